"""The columns a user chose for each list: kept in the database (`ListPreference`),
read from the session (no query per page: the session is read anyway).

At sign-in the user's choices are copied into the session; a session from before that
(none there at all) reads them once. Saving writes both.
"""

from django.contrib.auth.signals import user_logged_in

SESSION_KEY = "list_prefs"


def _load(user):
    from .models import ListPreference

    return dict(ListPreference.objects.filter(user=user).values_list("list_key", "columns"))


def _session_prefs(request):
    session = getattr(request, "session", None)
    user = getattr(request, "user", None)
    if session is None or user is None or not user.is_authenticated:
        return None
    prefs = session.get(SESSION_KEY)
    if not isinstance(prefs, dict):
        prefs = session[SESSION_KEY] = _load(user)
    return prefs


def columns_for(request, key):
    """The optional columns' keys the user chose for list `key`, or None (the default)."""
    prefs = _session_prefs(request)
    chosen = (prefs or {}).get(key)
    return chosen if isinstance(chosen, list) else None


def save_columns(request, table, values):
    """Keep the user's choice among `table`'s optional columns; None resets it."""
    from .actions import save_columns as save

    keys = [c.key for c in table.optional]
    columns = None if values is None else [k for k in keys if k in values]
    save(acting_user=request.user, list_key=table.key, columns=columns)
    prefs = dict(_session_prefs(request) or {})
    if columns is None:
        prefs.pop(table.key, None)
    else:
        prefs[table.key] = columns
    request.session[SESSION_KEY] = prefs


def _on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = _load(user)


def connect():
    user_logged_in.connect(_on_login, dispatch_uid="core_tables_list_prefs")
