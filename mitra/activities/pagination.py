"""Keyset pages for activity lists: no COUNT, no OFFSET, however deep the user goes."""

import base64
import json
from dataclasses import dataclass

from django.db.models import Q


@dataclass
class KeysetPage:
    object_list: list
    next_cursor: str = ""
    is_first: bool = True

    @property
    def has_next(self):
        return bool(self.next_cursor)

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)


def _fields(ordering):
    return [(o.lstrip("-"), o.startswith("-")) for o in ordering]


def encode(values):
    raw = json.dumps([v.isoformat() if hasattr(v, "isoformat") else v for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(cursor, ordering, model):
    """The sort values in `cursor`, or None for a missing or tampered one (first page)."""
    if not cursor:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        fields = _fields(ordering)
        if not isinstance(values, list) or len(values) != len(fields):
            return None
        return [
            model._meta.get_field(name).to_python(value)
            for (name, _desc), value in zip(fields, values, strict=True)
        ]
    except Exception:  # noqa: BLE001
        return None


def after_q(ordering, values):
    """Rows strictly after `values` in `ordering`."""
    q = Q()
    fields = _fields(ordering)
    for i, (name, desc) in enumerate(fields):
        cond = {fields[j][0]: values[j] for j in range(i)}
        cond[f"{name}__{'lt' if desc else 'gt'}"] = values[i]
        q |= Q(**cond)
    return q


def keyset_page(queryset, ordering, cursor="", per_page=50):
    """One page of `queryset` in `ordering` (ending in a unique column such as "-id")."""
    qs = queryset.order_by(*ordering)
    values = decode(cursor, ordering, queryset.model)
    if values is not None:
        qs = qs.filter(after_q(ordering, values))
    rows = list(qs[: per_page + 1])
    next_cursor = ""
    if len(rows) > per_page:
        rows = rows[:per_page]
        last = rows[-1]
        next_cursor = encode([getattr(last, name) for name, _desc in _fields(ordering)])
    return KeysetPage(rows, next_cursor, values is None)
