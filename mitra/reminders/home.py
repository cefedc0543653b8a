"""Home page panel: the reminders waiting for the user (the bell's list)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mitra.core import calendars
from mitra.core.home import HOME_ITEMS, HomeItem, HomePanel, ltr, register_home_panel

from .models import Reminder


@register_home_panel(order=30)
def reminders_due(request):
    now = timezone.now()
    reminders = (
        Reminder.objects.for_user(request.user)
        .due(now)
        .only("public_id", "title", "url", "occurrence", "all_day")
        .order_by("occurrence", "id")[:HOME_ITEMS]
    )
    items = []
    for r in reminders:
        when = r.due_date if r.all_day else r.occurrence
        meta = calendars.format_date(when) if r.all_day else calendars.format_datetime(when)
        items.append(HomeItem(r.title, r.url or reverse("reminders:list"), ltr(meta)))
    return HomePanel(
        key="reminders",
        title=_("Reminders"),
        icon="bell",
        more_url=reverse("reminders:list"),
        more_label=_("All reminders"),
        empty=_("Nothing is due. Well done!"),
        items=items,
    )
