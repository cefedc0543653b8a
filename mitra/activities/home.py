"""Home page panels: my tasks due today (and overdue), my appointments today and next."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from mitra.core import calendars
from mitra.core.home import HOME_ITEMS, HomeItem, HomePanel, ltr, register_home_panel
from mitra.core.policy import Action, has_module_perm

from .models import Appointment, Task


def _start_of(day):
    return dt.datetime.combine(day, dt.time(0), tzinfo=timezone.get_current_timezone())


@register_home_panel(order=10)
def tasks_due(request):
    user = request.user
    if not has_module_perm(user, "tasks", Action.VIEW):
        return None
    now = timezone.now()
    tomorrow = _start_of(timezone.localdate() + dt.timedelta(days=1))
    tasks = (
        Task.objects.visible_to(user)
        .open()
        .filter(assignee=user, due_at__lt=tomorrow)
        .only("public_id", "title", "due_at", "priority")
        .order_by("due_at", "pk")[:HOME_ITEMS]
    )
    return HomePanel(
        key="tasks",
        title=_("My tasks due today and overdue"),
        icon="checklist",
        more_url=reverse("activities:tasks"),
        more_label=_("All my tasks"),
        empty=_("No task is due today."),
        items=[
            HomeItem(
                t.title,
                reverse("activities:task_detail", args=[t.public_id]),
                ltr(calendars.format_datetime(t.due_at)),
                alert=t.due_at < now,
            )
            for t in tasks
        ],
    )


@register_home_panel(order=20)
def appointments_next(request):
    user = request.user
    if not has_module_perm(user, "appointments", Action.VIEW):
        return None
    today = timezone.localdate()
    appointments = (
        Appointment.objects.visible_to(user)
        .for_user(user)
        .filter(end__gte=timezone.now(), start__lt=_start_of(today + dt.timedelta(days=8)))
        .exclude(status=Appointment.Status.CANCELLED)
        .only("public_id", "subject", "start", "all_day", "place")
        .order_by("start", "pk")[:HOME_ITEMS]
    )
    items = []
    for a in appointments:
        when = ltr(
            calendars.format_date(a.start) if a.all_day else calendars.format_datetime(a.start)
        )
        if timezone.localtime(a.start).date() <= today:
            when = format_html("{} · {}", _("Today"), when)
        meta = format_html("{} · {}", when, a.place) if a.place else when
        items.append(
            HomeItem(a.subject, reverse("activities:appointment_detail", args=[a.public_id]), meta)
        )
    return HomePanel(
        key="appointments",
        title=_("My appointments today and this week"),
        icon="calendar-event",
        more_url=reverse("activities:calendar"),
        more_label=_("Calendar"),
        empty=_("No appointments in the coming week."),
        items=items,
    )
