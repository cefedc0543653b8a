from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mitra.core.lists import back_url

from . import actions, registry
from .forms import PreferenceForm
from .lists import EMPTY_TEXT, REMINDERS, SHOW_SORT, SHOWS
from .models import Reminder

BELL_CAP = 99


@login_required
def reminder_list(request):
    listing = REMINDERS.bind(request, Reminder.objects.for_user(request.user))
    which = listing.values.get("show", "due")
    if "show" not in listing.values:
        listing.queryset = listing.queryset.due(timezone.now())
    if request.GET.get("sort") not in REMINDERS.sort_map:
        listing.sort = SHOW_SORT[which]
    page = listing.paginate(numbered=True)
    for reminder in page.object_list:
        reminder.source_label = registry.source_label(reminder.source)
    rows = "".join(
        render_to_string("reminders/_row.html", {"r": r}, request=request) for r in page.object_list
    )
    context = {
        "show": which,
        "filters": SHOWS,
        "rows_html": mark_safe(rows),  # noqa: S308 - rendered templates, escaped
        "empty_text": EMPTY_TEXT[which],
        "empty_keep": "show",
    }
    return listing.render("reminders/list.html", context)


@login_required
def bell(request):
    """The count on the bell in the top bar, loaded by htmx after the page."""
    count = Reminder.objects.for_user(request.user).due()[: BELL_CAP + 1].count()
    return render(request, "reminders/_bell_count.html", {"count": count, "cap": BELL_CAP})


def _reminder(request, public_id):
    # Only one's own reminders: anybody else's is a 404, administrators included.
    return get_object_or_404(Reminder.objects.for_user(request.user), public_id=public_id)


def _after(request, reminder):
    if request.htmx:
        reminder.source_label = registry.source_label(reminder.source)
        response = render(
            request, "reminders/_row.html", {"r": reminder, "show": request.POST.get("show", "")}
        )
        response["HX-Trigger"] = "remindersChanged"
        return response
    return redirect(back_url(request, reverse("reminders:list")))


@login_required
@require_POST
def reminder_done(request, public_id):
    reminder = actions.mark_done(_reminder(request, public_id), acting_user=request.user)
    if not request.htmx:
        messages.success(request, _("Marked as done."))
    return _after(request, reminder)


@login_required
@require_POST
def reminder_snooze(request, public_id):
    reminder = _reminder(request, public_id)
    try:
        actions.snooze(reminder, request.POST.get("until", ""), acting_user=request.user)
    except ValueError:
        if request.htmx:
            return HttpResponse(_("Choose how long to snooze."), status=400)
        messages.error(request, _("Choose how long to snooze."))
        return _after(request, reminder)
    if not request.htmx:
        messages.success(request, _("Snoozed."))
    return _after(request, reminder)


@login_required
@require_POST
def reminder_reopen(request, public_id):
    reminder = actions.reopen(_reminder(request, public_id), acting_user=request.user)
    return _after(request, reminder)


@login_required
def preferences(request):
    pref = actions.preference_for(request.user)
    form = PreferenceForm(request.POST or None, instance=pref)
    if request.method == "POST" and form.is_valid():
        actions.save_preferences(form, acting_user=request.user)
        messages.success(request, _("Reminder preferences saved."))
        return redirect("reminders:list")
    return render(request, "reminders/preferences.html", {"form": form})
