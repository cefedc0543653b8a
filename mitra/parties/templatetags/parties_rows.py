from django import template

from ..rows import render_rows

register = template.Library()


@register.simple_tag(takes_context=True)
def party_rows(context, parties):
    """The list's rows (see parties.rows for why they are not a template)."""
    rights = context.get("rights") or {}
    return render_rows(
        parties,
        can_bulk=context.get("can_bulk"),
        can_star=rights.get("star"),
        csrf_token=context.get("csrf_token"),
        here=context["request"].get_full_path(),
        columns=context.get("columns"),
    )
