"""Home page panel: the parties the user changed or added last."""

from django.urls import reverse
from django.utils.translation import gettext as _

from mitra.core.home import HOME_ITEMS, HomeItem, HomePanel, ltr, register_home_panel
from mitra.core.policy import Action, has_module_perm

from .models import Party

# History rows read to find the last few distinct parties (one user's edits of one party
# often come in a row).
SCAN = 50


@register_home_panel(order=40)
def recent_parties(request):
    user = request.user
    if not has_module_perm(user, "parties", Action.VIEW):
        return None
    # The history's (history_user) index, newest first: one short scan, then the parties
    # the user may still see (one query, by primary key).
    ids = []
    for pk in (
        Party.history.filter(history_user=user)
        .order_by("-history_date")
        .values_list("id", flat=True)[:SCAN]
    ):
        if pk not in ids:
            ids.append(pk)
        if len(ids) == HOME_ITEMS:
            break
    parties = {
        p.pk: p
        for p in Party.objects.visible_to(user)
        .filter(pk__in=ids)
        .only("public_id", "name", "code", "kind")
    }
    items = [
        HomeItem(
            str(parties[pk]),
            reverse("parties:detail", args=[parties[pk].public_id]),
            ltr(parties[pk].code),
        )
        for pk in ids
        if pk in parties
    ]
    return HomePanel(
        key="parties",
        title=_("Parties you changed lately"),
        icon="address-book",
        more_url=reverse("parties:list") + "?sort=updated",
        more_label=_("All parties"),
        empty=_("The parties you add or change will be listed here."),
        items=items,
    )
