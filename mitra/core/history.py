"""Turn django-simple-history records into rows a person can read."""

from django.utils.translation import gettext as _


def _display(record, field_name):
    field = record.instance_type._meta.get_field(field_name)
    value = getattr(record, field.attname, None)
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if field.is_relation and value is not None:
        return getattr(record, field.name, value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value


def history_rows(obj, limit=50):
    """Newest first: (record, kind, changes) with changes as (field label, old, new)."""
    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    rows = []
    for i, record in enumerate(records[:limit]):
        previous = records[i + 1] if i + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, excluded_fields=["version"])
            for change in delta.changes:
                field = record.instance_type._meta.get_field(change.field)
                changes.append(
                    (
                        field.verbose_name,
                        _display(previous, change.field),
                        _display(record, change.field),
                    )
                )
        rows.append(
            {"record": record, "kind": record.get_history_type_display(), "changes": changes}
        )
    return rows
