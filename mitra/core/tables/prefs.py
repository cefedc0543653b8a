"""The columns a user chose for a list.

Read from the session (no query per page: the session is read anyway); the session holds
the user's choice as saved in the database (`ListPreference`), copied in at login.
"""

SESSION_KEY = "list_prefs"


def _legacy_key(key):
    return f"list_columns.{key}"


def columns_for(request, key):
    """The optional columns' keys the user chose for list `key`, or None (the default)."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    chosen = session.get(_legacy_key(key))
    return chosen if isinstance(chosen, list) else None


def save_columns(request, table, values):
    """Keep the user's choice among `table`'s optional columns; None resets it."""
    keys = [c.key for c in table.optional]
    name = _legacy_key(table.key)
    if values is None:
        request.session.pop(name, None)
    else:
        request.session[name] = [k for k in keys if k in values]
