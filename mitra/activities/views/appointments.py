"""Appointments (C4): list, create, edit, conflicts, detail, delete."""

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mitra.core.idempotency import create_once
from mitra.core.lists import back_url as _safe_next
from mitra.core.policy import (
    Action,
    get_for_user,
    has_module_perm,
    require_module,
)
from mitra.core.tables import paginate

from .. import actions
from ..forms import (
    AppointmentForm,
    parse_iso,
)
from ..models import (
    Appointment,
    AppointmentTarget,
)
from .common import (
    PER_PAGE,
    _attachments_context,
    _calendar_url,
    _parties_of,
    _party_from_query,
    _party_targets,
    _party_url,
    _render,
    _rights,
    save_form,
)

# -- appointments (C4) ----------------------------------------------------------------------


@login_required
def appointment_list(request):
    """Upcoming appointments (mine, or everything I may see), as an agenda."""
    require_module(request.user, "appointments", Action.VIEW)
    show = request.GET.get("show", "mine")
    qs = Appointment.objects.visible_to(request.user).active()
    if show == "mine":
        qs = qs.for_user(request.user)
    else:
        show = "all"
    if request.GET.get("when") == "past":
        when = "past"
        qs = qs.filter(end__lt=timezone.now()).order_by("-start", "-pk")
    else:
        when = "upcoming"
        qs = qs.filter(end__gte=timezone.now()).order_by("start", "pk")
    qs = qs.select_related("type").prefetch_related(
        "participants", _party_targets(AppointmentTarget)
    )
    page = paginate(request, qs, PER_PAGE)
    for appt in page:
        appt.local_day = timezone.localdate(appt.start)
    return _render(
        request,
        "activities/appointment_list.html",
        {
            "page": page,
            "show": show,
            "when": when,
            "calendar_url": _calendar_url(),
            "can_create": has_module_perm(request.user, "appointments", Action.CREATE),
        },
    )


def _conflict_rows(user, conflicts):
    """[(person, [appointment or None for hidden ones])] for the warning box."""
    visible = set(
        Appointment.objects.visible_to(user)
        .filter(pk__in=[a.pk for appts in conflicts.values() for a in appts])
        .values_list("pk", flat=True)
    )
    return [
        (person, [(a if a.pk in visible else None, a.start, a.end) for a in appts])
        for person, appts in conflicts.items()
    ]


@login_required
@create_once
def appointment_create(request):
    """New appointment; ?start=ISO&end=ISO prefill it (a click on a calendar slot)."""
    require_module(request.user, "appointments", Action.CREATE)
    party = _party_from_query(request)
    initial = {}
    start = parse_iso(request.GET.get("start"))
    end = parse_iso(request.GET.get("end"))
    if start:
        initial["start"] = start
        initial["end"] = end if end and end >= start else start + dt.timedelta(hours=1)
        if request.GET.get("all_day") in ("1", "true"):
            initial["all_day"] = True
    form = AppointmentForm(
        request.POST or None,
        initial=initial,
        user=request.user,
        parties=[party] if party else None,
    )

    def save(data):
        data.pop("confirm_conflicts", None)
        participants = data.pop("participants")
        parties = data.pop("parties")
        return actions.create_appointment(
            acting_user=request.user, participants=participants, parties=parties, **data
        )

    return save_form(
        request, form, save,
        message=_("The appointment was saved."),
        success_url=lambda obj: _safe_next(
            request, reverse("activities:appointment_detail", args=[obj.public_id])
        ),
        title=_("New appointment"),
        back=_party_url(party) if party else (_calendar_url() or reverse("activities:appointments")),
        template="activities/appointment_form.html",
        context=lambda form: {"conflicts": _conflict_rows(request.user, form.conflicts)},
    )  # fmt: skip


@login_required
def appointment_edit(request, public_id):
    appt = get_for_user(request.user, Appointment, Action.EDIT, public_id=public_id)
    parties = _parties_of(appt, AppointmentTarget, "appointment")
    form = AppointmentForm(request.POST or None, instance=appt, user=request.user, parties=parties)

    def save(data):
        data.pop("confirm_conflicts", None)
        participants = data.pop("participants")
        new_parties = data.pop("parties")
        actions.update_appointment(
            appt, acting_user=request.user, participants=participants, parties=new_parties, **data
        )
        return appt

    detail = reverse("activities:appointment_detail", args=[appt.public_id])
    return save_form(
        request, form, save,
        message=_("The appointment was saved."),
        success_url=lambda obj: _safe_next(request, detail),
        title=_("Edit appointment"), obj=appt, back=detail,
        template="activities/appointment_form.html",
        context=lambda form: {"conflicts": _conflict_rows(request.user, form.conflicts)},
    )  # fmt: skip


def _clean_or_none(field, value):
    try:
        return field.clean(value)
    except ValidationError:
        return None


@login_required
def appointment_conflicts(request):
    """The conflict box for the form, refreshed by htmx as start, end and people change."""
    require_module(request.user, "appointments", Action.VIEW)
    form = AppointmentForm(request.GET, user=request.user)
    exclude = None
    try:
        exclude_id = uuid.UUID(request.GET.get("appointment", ""))
    except ValueError:
        exclude_id = None
    if exclude_id:
        exclude = Appointment.objects.visible_to(request.user).filter(public_id=exclude_id).first()
    start = _clean_or_none(form.fields["start"], form["start"].value())
    end = _clean_or_none(form.fields["end"], form["end"].value())
    found = {}
    if start:
        end = end if end and end > start else start + dt.timedelta(hours=1)
        try:
            people = list(form.fields["participants"].clean(request.GET.getlist("participants")))
        except ValidationError:
            people = []
        found = actions.conflicts(people or [request.user], start, end, exclude=exclude)
    return _render(
        request,
        "activities/_conflicts.html",
        {"conflicts": _conflict_rows(request.user, found)},
    )


@login_required
def appointment_detail(request, public_id):
    appt = get_for_user(
        request.user, Appointment.objects.select_related("type", "owner"), public_id=public_id
    )
    return _render(
        request,
        "activities/appointment_detail.html",
        {
            "obj": appt,
            "participants": list(appt.participants.all()),
            "parties": _parties_of(appt, AppointmentTarget, "appointment", request.user),
            "rights": _rights(request.user, appt),
            "calendar_url": _calendar_url(),
            **_attachments_context(request, "appointment", appt),
        },
    )


@login_required
@require_POST
def appointment_delete(request, public_id):
    appt = get_for_user(request.user, Appointment, Action.DELETE, public_id=public_id)
    actions.delete_appointment(appt, acting_user=request.user)
    messages.success(request, _("The appointment was deleted."))
    return redirect(_safe_next(request, _calendar_url() or reverse("activities:appointments")))
