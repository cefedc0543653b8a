"""Keyset pagination for the party list and phone book: no COUNT, no OFFSET.

The page after a row is "rows that sort after it", an indexed range scan however deep
the user goes (DESIGN rule 5). The cursor is the last row's sort values, opaque to users.
"""

import base64
import json
from dataclasses import dataclass, field

from django.db.models import Q


@dataclass
class KeysetPage:
    object_list: list
    next_cursor: str = ""
    is_first: bool = True
    per_page: int = 50
    extra: dict = field(default_factory=dict)

    @property
    def has_next(self):
        return bool(self.next_cursor)

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)


def _split(ordering):
    return [(o[1:], True) if o.startswith("-") else (o, False) for o in ordering]


def encode_cursor(obj, ordering):
    """The cursor after `obj`: a model instance or a `.values()` dict."""
    values = []
    for name, _desc in _split(ordering):
        attr = "pk" if name == "id" else name
        value = obj[name] if isinstance(obj, dict) else getattr(obj, attr)
        values.append(value.isoformat() if hasattr(value, "isoformat") else value)
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def decode_cursor(cursor, ordering, model):
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (ValueError, TypeError):
        return None
    fields = _split(ordering)
    if not isinstance(values, list) or len(values) != len(fields):
        return None
    out = []
    try:
        for (name, _desc), value in zip(fields, values, strict=True):
            out.append(model._meta.get_field("id" if name == "id" else name).to_python(value))
    except Exception:  # noqa: BLE001 - a tampered cursor is treated as "first page"
        return None
    return out


def after_q(ordering, values):
    """Rows strictly after `values` in `ordering` (any mix of ascending and descending)."""
    q = Q()
    fields = _split(ordering)
    for i, (name, desc) in enumerate(fields):
        cond = {fields[j][0]: values[j] for j in range(i)}
        cond[f"{name}__{'lt' if desc else 'gt'}"] = values[i]
        q |= Q(**cond)
    return q


def keyset_page(queryset, ordering, cursor="", per_page=50):
    """One page of `queryset` sorted by `ordering` (which must end in a unique column)."""
    qs = queryset.order_by(*ordering)
    values = decode_cursor(cursor, ordering, queryset.model) if cursor else None
    if values is not None:
        qs = qs.filter(after_q(ordering, values))
    rows = list(qs[: per_page + 1])
    next_cursor = ""
    if len(rows) > per_page:
        rows = rows[:per_page]
        next_cursor = encode_cursor(rows[-1], ordering)
    return KeysetPage(rows, next_cursor, values is None, per_page)
