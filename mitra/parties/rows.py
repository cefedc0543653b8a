"""The party list's rows rendered in Python.

The template language spends about 0.2 ms per row on variable lookups and escaping; a
50-row page was most of the list's server time. This builds the same markup with
`format_html`, which escapes every value it is given.
"""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _


def render_rows(parties, *, can_bulk, can_star, csrf_token, here):
    t_select, t_star, t_unstar, t_inactive = _("Select"), _("Star"), _("Remove star"), _("Inactive")
    csrf = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', csrf_token)
    filled = mark_safe('<i class="ti ti-star-filled text-warning" aria-hidden="true"></i>')
    empty = mark_safe('<i class="ti ti-star text-secondary" aria-hidden="true"></i>')
    out = []
    for p in parties:
        cells = []
        if can_bulk:
            cells.append(
                format_html(
                    '<td><input type="checkbox" class="form-check-input m-0 align-middle" name="ids" '
                    'value="{}" form="bulk-form" aria-label="{} {}"></td>',
                    p.public_id,
                    t_select,
                    p.name,
                )
            )
        if can_star:
            star = format_html(
                '<form method="post" action="{url}" hx-post="{url}" hx-target="this" '
                'hx-swap="outerHTML" class="d-inline">{csrf}<input type="hidden" name="next" '
                'value="{here}"><input type="hidden" name="starred" value="{value}"><button '
                'type="submit" class="btn btn-ghost-warning btn-icon btn-sm" aria-label="{label}" '
                'aria-pressed="{pressed}">{icon}</button></form>',
                url=p.star_url,
                csrf=csrf,
                here=here,
                value="0" if p.is_starred else "1",
                label=t_unstar if p.is_starred else t_star,
                pressed="true" if p.is_starred else "false",
                icon=filled if p.is_starred else empty,
            )
        else:
            star = filled if p.is_starred else ""
        cells.append(format_html("<td>{}</td>", star))
        if p.icon:
            avatar = format_html('<i class="ti ti-{}" aria-hidden="true"></i>', p.icon)
        elif p.kind == "organisation":
            avatar = mark_safe('<i class="ti ti-building" aria-hidden="true"></i>')
        else:
            avatar = p.initials
        priority = (
            format_html(' <span class="badge bg-orange-lt ms-1">{}</span>', p.priority_label)
            if p.priority >= 2
            else ""
        )
        cells.append(
            format_html(
                '<td><div class="d-flex align-items-center"><span class="avatar avatar-sm me-2{}">{}'
                '</span><div class="text-truncate"><a href="{}"{}>{}</a>{}<div class="small '
                'text-secondary"><span class="font-monospace">{}</span> · {}</div></div></div></td>',
                f" bg-{p.colour}-lt" if p.colour else "",
                avatar,
                p.url,
                mark_safe(' class="text-secondary"') if not p.is_active else "",
                p.full_name,
                priority,
                p.code,
                p.kind_label,
            )
        )
        roles = format_html_join(
            "", '<span class="badge bg-azure-lt me-1">{}</span>', ((r,) for r in p.role_labels)
        )
        inactive = (
            format_html('<span class="badge bg-secondary-lt">{}</span>', t_inactive)
            if not p.is_active
            else ""
        )
        cells.append(format_html("<td>{}{}</td>", roles, inactive))
        cells.append(format_html("<td>{}</td>", p.stage_label))
        phone = (
            format_html(
                '<a href="{}" class="ltr d-inline-block">{}</a>', p.phone.href, p.phone.display
            )
            if p.phone
            else ""
        )
        cells.append(format_html('<td class="text-nowrap">{}</td>', phone))
        email = (
            format_html(
                '<a href="{}" class="ltr d-inline-block">{}</a>', p.email.href, p.email.value
            )
            if p.email
            else ""
        )
        cells.append(
            format_html('<td class="text-truncate" style="max-width: 14rem">{}</td>', email)
        )
        city = p.address.city if p.address else ""
        country = (
            format_html(' <span class="text-secondary small">{}</span>', p.address.country)
            if p.address and p.address.country
            else ""
        )
        cells.append(format_html("<td>{}{}</td>", city or "", country))
        rating = (
            format_html(
                '<span class="badge{}">{}</span>',
                f" bg-{p.rating.colour}-lt" if p.rating.colour else "",
                p.rating.name,
            )
            if p.rating
            else ""
        )
        cells.append(format_html("<td>{}</td>", rating))
        out.append(
            format_html(
                "<tr{}>{}</tr>",
                mark_safe(' class="text-secondary"') if not p.is_active else "",
                mark_safe("".join(cells)),
            )
        )
    return mark_safe("\n".join(out))
