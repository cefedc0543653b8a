"""The one "is this code (or name) free?" check: forms, actions and the API ask it, and the
database's unique constraint stays the last word (a race becomes a form error in actions)."""


def code_taken(queryset, value, *, field="code", instance=None):
    """True when a row of `queryset` other than `instance` has `value` in `field`, compared
    without case and surrounding spaces. A blank value is never taken. Pass a manager that
    includes the trash (`all_objects`) when codes stay unique across it."""
    value = (value or "").strip()
    if not value:
        return False
    others = queryset.filter(**{f"{field}__iexact": value})
    pk = getattr(instance, "pk", instance)
    if pk is not None:
        others = others.exclude(pk=pk)
    return others.exists()
