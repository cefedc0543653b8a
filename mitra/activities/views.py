"""Screens for activities: the interaction log and its analysis, follow-ups, appointments,
tasks (list and board), notes, news, attachments and the party timeline."""

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mitra.core import calendars
from mitra.core.charts import bar_spec as _bar_spec
from mitra.core.files import safe_file_response
from mitra.core.forms import apply_errors as _apply_errors
from mitra.core.idempotency import create_once
from mitra.core.labels import localized
from mitra.core.lists import back_url as _safe_next
from mitra.core.pagination import paginate
from mitra.core.policy import (
    Action,
    can,
    can_configure,
    get_for_user,
    has_module_perm,
    require_module,
)
from mitra.core.versioning import StaleEdit, check_version

from . import actions, attachables, timeline
from .forms import (
    AppointmentForm,
    AttachmentForm,
    CloseTaskForm,
    FollowUpForm,
    InteractionFilterForm,
    InteractionForm,
    LookupForm,
    NewsForm,
    NoteForm,
    PeriodForm,
    QuickLogForm,
    StepForm,
    TaskFilterForm,
    TaskForm,
    TaskStatusForm,
    parse_iso,
    resolve_party,
)
from .models import (
    LOOKUP_MODULE,
    Appointment,
    AppointmentTarget,
    Attachment,
    AttachmentTarget,
    Channel,
    FollowUp,
    Interaction,
    InteractionTarget,
    Lookup,
    LookupKind,
    News,
    Note,
    NoteRecipient,
    NoteTarget,
    Task,
    TaskStatus,
    TaskTarget,
)
from .pagination import keyset_page_for

PER_PAGE = 50


def _render(request, template, context):
    return render(request, template, context)


def _party_from_query(request, param="party"):
    """The party named by ?party=<public_id> (404 if the user cannot see it), or None."""
    value = request.GET.get(param)
    if not value:
        return None
    from mitra.parties.models import Party

    # A malformed id is a 404 too: get_for_user treats it as a record nobody can see.
    return get_for_user(request.user, Party, public_id=value)


def _party_url(party, tab="timeline"):
    try:
        return reverse("parties:detail", args=[party.public_id]) + f"?tab={tab}"
    except NoReverseMatch:
        return "/"


def _party_targets(model_target, user=None):
    """Prefetch the parties an activity is about (name and code only). With `user`, each
    target knows whether that user may open its party (`can_open`, in the same query)."""
    queryset = model_target.objects.select_related("party").only(
        "id",
        *[f.attname for f in model_target._meta.concrete_fields if f.is_relation],
        "party__id",
        "party__public_id",
        "party__name",
        "party__code",
    )
    if user is not None:
        from mitra.parties.models import Party

        queryset = queryset.annotate(
            can_open=Exists(Party.objects.visible_to(user).filter(pk=OuterRef("party_id")))
        )
    return Prefetch("targets", queryset=queryset)


# -- party options for the pickers ----------------------------------------------------------


@login_required
def party_options(request):
    """<option>s for a parties box: the last comma-separated word is looked up; each option's
    value is the box's text with that word completed, so picking one keeps the others."""
    from mitra.parties.models import Party
    from mitra.parties.search import search_parties

    raw = ""
    for name in ("parties", "party", "q"):
        if request.GET.get(name):
            raw = request.GET[name][:500]
            break
    head, sep, last = raw.rpartition(",")
    last = last.strip()
    prefix = f"{head}, " if sep else ""
    parties = []
    if len(last) >= 2 and has_module_perm(request.user, "parties", Action.VIEW):
        qs = Party.objects.visible_to(request.user)
        parties = list(
            search_parties(qs, last).only("code", "name", "priority", "search_name")[:10]
        )
    options = [(f"{prefix}{p.code}", f"{p.name}") for p in parties]
    return _render(request, "activities/_party_options.html", {"options": options})


# -- interactions (C1) ----------------------------------------------------------------------


def _interaction_rows(qs, user=None):
    return qs.select_related("user", "result", "reason", "medium").prefetch_related(
        _party_targets(InteractionTarget, user)
    )


@login_required
def interaction_list(request):
    require_module(request.user, "interactions", Action.VIEW)
    form = InteractionFilterForm(request.GET or None)
    qs = Interaction.objects.visible_to(request.user)
    party = None
    if form.is_valid():
        data = form.cleaned_data
        if data["channel"]:
            qs = qs.filter(channel=data["channel"])
        if data["direction"]:
            qs = qs.filter(direction=data["direction"])
        if data["result"]:
            qs = qs.filter(result=data["result"])
        if data["user"]:
            qs = qs.filter(user=data["user"])
        start, end = _day_range(data["start"], data["end"])
        qs = qs.between(start, end)
        if data["party"]:
            try:
                party = resolve_party(request.user, data["party"])
            except ValidationError as exc:
                form.add_error("party", exc)
                qs = qs.none()
            else:
                qs = qs.for_party(party)
    page = keyset_page_for(
        request, _interaction_rows(qs, request.user), ("-occurred_at", "-id"), PER_PAGE
    )
    template = "activities/interaction_list.html"
    if request.htmx and request.htmx.target == "rows":
        template += "#rows"
    return _render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "party": party,
            "can_create": has_module_perm(request.user, "interactions", Action.CREATE),
        },
    )


def _day_range(start, end):
    """[start 00:00, day after end 00:00) in the user's time zone, as aware datetimes."""
    tz = timezone.get_current_timezone()
    begin = dt.datetime.combine(start, dt.time(0), tzinfo=tz) if start else None
    finish = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=tz) if end else None
    return begin, finish


def _parties_of(obj, target_model, field, user=None):
    """The parties `obj` is about; with `user`, each knows whether that user may open it."""
    parties = [
        t.party
        for t in target_model.objects.filter(**{field: obj}, party__isnull=False).select_related(
            "party"
        )
    ]
    if user is not None:
        mark_openable(user, parties)
    return parties


def mark_openable(user, parties):
    """Set `can_open` on each party: a record shared with `user` shows its party's name
    even when `user` may not open the party (one query)."""
    from mitra.parties.models import Party

    if not parties:
        return parties
    seen = set(
        Party.objects.visible_to(user)
        .filter(pk__in={p.pk for p in parties})
        .values_list("pk", flat=True)
    )
    for p in parties:
        p.can_open = p.pk in seen
    return parties


@login_required
@create_once
def interaction_create(request):
    require_module(request.user, "interactions", Action.CREATE)
    party = _party_from_query(request)
    form = InteractionForm(
        request.POST or None, user=request.user, parties=[party] if party else None
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        parties = data.pop("parties")
        try:
            interaction = actions.log_interaction(acting_user=request.user, parties=parties, **data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The interaction was logged."))
            return redirect(
                _safe_next(
                    request, reverse("activities:interaction_detail", args=[interaction.public_id])
                )
            )
    return _render(
        request,
        "activities/form.html",
        {
            "form": form,
            "title": _("Log an interaction"),
            "back": _party_url(party) if party else reverse("activities:interactions"),
            "party_picker": True,
        },
    )


@login_required
def interaction_detail(request, public_id):
    interaction = get_for_user(
        request.user,
        Interaction.objects.select_related("user", "result", "reason", "medium", "owner"),
        public_id=public_id,
    )
    return _render(
        request,
        "activities/interaction_detail.html",
        {
            "obj": interaction,
            "parties": _parties_of(interaction, InteractionTarget, "interaction", request.user),
            "followups": list(interaction.followups.visible_to(request.user)),
            "rights": _rights(request.user, interaction),
            **_attachments_context(request, "interaction", interaction),
        },
    )


def _rights(user, obj):
    return {a: can(user, a, obj) for a in (Action.EDIT, Action.DELETE)}


@login_required
def interaction_edit(request, public_id):
    interaction = get_for_user(request.user, Interaction, Action.EDIT, public_id=public_id)
    parties = _parties_of(interaction, InteractionTarget, "interaction")
    form = InteractionForm(
        request.POST or None, instance=interaction, user=request.user, parties=parties
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        new_parties = data.pop("parties")
        try:
            actions.update_interaction(
                interaction, acting_user=request.user, parties=new_parties, **data
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The interaction was saved."))
            return redirect("activities:interaction_detail", public_id=interaction.public_id)
    return _render(
        request,
        "activities/form.html",
        {
            "form": form,
            "title": _("Edit interaction"),
            "obj": interaction,
            "back": reverse("activities:interaction_detail", args=[interaction.public_id]),
            "party_picker": True,
        },
    )


@login_required
@require_POST
def interaction_delete(request, public_id):
    interaction = get_for_user(request.user, Interaction, Action.DELETE, public_id=public_id)
    actions.delete_interaction(interaction, acting_user=request.user)
    messages.success(request, _("The interaction was deleted."))
    return redirect(_safe_next(request, reverse("activities:interactions")))


@login_required
def quick_log(request):
    """A few fields to log a contact with one party, from its page or a search result."""
    require_module(request.user, "interactions", Action.CREATE)
    party = _party_from_query(request)
    if party is None:
        raise Http404
    form = QuickLogForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            actions.log_interaction(acting_user=request.user, parties=[party], **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            if request.htmx:
                response = _render(
                    request,
                    "activities/quick_log.html#form",
                    {"form": QuickLogForm(user=request.user), "party": party, "logged": True},
                )
                response["HX-Trigger"] = "activity-logged"
                return response
            messages.success(request, _("The interaction was logged."))
            return redirect(_safe_next(request, _party_url(party)))
    template = "activities/quick_log.html"
    if request.htmx:
        template += "#form"
    return _render(request, template, {"form": form, "party": party})


# -- analysis (C2) --------------------------------------------------------------------------

DIMENSIONS = {
    "medium": ("medium__name", lambda: _("Advertising medium")),
    "result": ("result__name", lambda: _("Result")),
    "reason": ("reason__name", lambda: _("Reason / problem")),
    "user": ("user", lambda: _("Made by")),
    "channel": ("channel", lambda: _("Channel")),
    "products": ("products", lambda: _("Products discussed")),
}


MAX_TREND_MONTHS = 36


def _trend_periods(start, end):
    """(first day, label) of each month of [start, end] in the user's calendar, oldest first.

    The first month starts on `start` itself (a period may begin mid-month). Past
    MAX_TREND_MONTHS months the bars are years of the user's calendar instead.
    """
    y, m, _d = calendars.to_calendar(start)
    last_y, last_m, _d = calendars.to_calendar(end)
    if (last_y - y) * 12 + last_m - m + 1 > MAX_TREND_MONTHS:
        years = range(y, last_y + 1)
        firsts = [start] + [calendars.from_calendar(year, 1, 1) for year in years[1:]]
        labels = [calendars.localize_digits(str(year)) for year in years]
        return list(zip(firsts, labels, strict=True)), True
    periods = []
    while (y, m) <= (last_y, last_m):
        first = max(start, calendars.from_calendar(y, m, 1))
        periods.append((first, calendars.format_date(first, "month")))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return periods, False


@login_required
def interaction_analysis(request):
    """Counts by medium, result, reason, user, channel and product over a period (C2)."""
    require_module(request.user, "interactions", Action.VIEW)
    form = PeriodForm(request.GET or None)
    today = timezone.localdate()
    start, end = today - dt.timedelta(days=89), today
    channel = ""
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
        channel = form.cleaned_data["channel"]
    if end < start:
        start, end = end, start
    begin, finish = _day_range(start, end)
    qs = Interaction.objects.visible_to(request.user).between(begin, finish)
    if channel:
        qs = qs.filter(channel=channel)
    dim = request.GET.get("by") if request.GET.get("by") in DIMENSIONS else "medium"
    tables = []
    labels = {
        "channel": dict(Channel.choices),
    }
    # Codes are counted by their default name and shown by their label in this language.
    for kind, name, names in Lookup.objects.filter(module=LOOKUP_MODULE).values_list(
        "kind", "name", "labels"
    ):
        labels.setdefault(kind, {})[name] = localized(name, names)
    for key, (column, title) in DIMENSIONS.items():
        rows = list(
            qs.order_by().values(column).annotate(n=Count("id")).order_by("-n", column)[:20]
        )
        if key == "user":
            from mitra.users.models import User

            names = {u.pk: str(u) for u in User.objects.filter(pk__in=[r[column] for r in rows])}
            for r in rows:
                r["label"] = names.get(r[column], "—")
        else:
            for r in rows:
                value = r[column]
                r["label"] = labels.get(key, {}).get(value, value) or _("(none)")
        total = sum(r["n"] for r in rows)
        for r in rows:
            r["share"] = round(100 * r["n"] / total, 1) if total else 0
        tables.append({"key": key, "title": title(), "rows": rows, "total": total})
    current = next(t for t in tables if t["key"] == dim)
    chart = _bar_spec(current["title"], [(r["label"], r["n"]) for r in current["rows"]])
    # Month by month over the chosen period, in the user's calendar: one query with a
    # conditional count per month.
    periods, yearly = _trend_periods(start, end)
    tz = timezone.get_current_timezone()
    bounds = [dt.datetime.combine(first, dt.time(0), tzinfo=tz) for first, _label in periods]
    bounds.append(finish)
    agg = qs.aggregate(
        **{
            f"m{i}": Count(
                "id", filter=Q(occurred_at__gte=bounds[i], occurred_at__lt=bounds[i + 1])
            )
            for i in range(len(periods))
        }
    )
    trend = [(label, agg[f"m{i}"]) for i, (_first, label) in enumerate(periods)]
    trend_title = _("Interactions per year") if yearly else _("Interactions per month")
    trend_chart = _bar_spec(trend_title, trend, line=True)
    return _render(
        request,
        "activities/interaction_analysis.html",
        {
            "form": form,
            "tables": tables,
            "current": current,
            "dim": dim,
            "chart": chart,
            "trend": trend,
            "trend_chart": trend_chart,
            "trend_title": trend_title,
            "start": start,
            "end": end,
            "total": qs.count(),
        },
    )


# -- follow-ups (C3) ------------------------------------------------------------------------


@login_required
def followup_list(request):
    require_module(request.user, "followups", Action.VIEW)
    show = request.GET.get("show", "due")
    today = timezone.localdate()
    qs = FollowUp.objects.visible_to(request.user).select_related("party", "owner")
    if show == "due":
        qs = qs.due(today).order_by("next_date", "pk")
    elif show == "current":
        qs = qs.current().order_by(F("next_date").asc(nulls_last=True), "pk")
    else:
        show = "all"
        qs = qs.order_by("-followed_up_at", "-pk")
    page = paginate(request, qs, PER_PAGE)
    # Effectiveness over the last 12 months: overall and per person.
    since = timezone.now() - dt.timedelta(days=365)
    recent = FollowUp.objects.visible_to(request.user).filter(followed_up_at__gte=since)
    total, won, share = actions.followup_effectiveness(recent)
    per_user = list(
        recent.order_by()
        .values("owner")
        .annotate(n=Count("id"), won=Count("id", filter=Q(led_to_sale=True)))
        .order_by("-n")[:20]
    )
    from mitra.users.models import User

    names = {u.pk: str(u) for u in User.objects.filter(pk__in=[r["owner"] for r in per_user])}
    for r in per_user:
        r["name"] = names.get(r["owner"], "—")
        r["share"] = round(100 * r["won"] / r["n"], 1) if r["n"] else None
    return _render(
        request,
        "activities/followup_list.html",
        {
            "page": page,
            "show": show,
            "today": today,
            "effectiveness": {"total": total, "won": won, "share": share},
            "per_user": per_user,
            "can_create": has_module_perm(request.user, "followups", Action.CREATE),
        },
    )


@login_required
@create_once
def followup_create(request):
    require_module(request.user, "followups", Action.CREATE)
    party = _party_from_query(request)
    form = FollowUpForm(request.POST or None, user=request.user, party=party)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_followup(
                data["party"],
                acting_user=request.user,
                result=data["result"],
                next_date=data["next_date"],
                led_to_sale=data["led_to_sale"],
                followed_up_at=data["followed_up_at"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The follow-up was recorded."))
            return redirect(
                _safe_next(
                    request, reverse("activities:followup_chain", args=[data["party"].public_id])
                )
            )
    return _render(
        request,
        "activities/form.html",
        {
            "form": form,
            "title": _("Record a follow-up"),
            "back": _party_url(party) if party else reverse("activities:followups"),
            "party_picker": True,
        },
    )


@login_required
def followup_edit(request, public_id):
    followup = get_for_user(
        request.user, FollowUp.objects.select_related("party"), Action.EDIT, public_id=public_id
    )
    form = FollowUpForm(request.POST or None, instance=followup, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_followup(followup, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The follow-up was saved."))
            return redirect("activities:followup_chain", public_id=followup.party.public_id)
    return _render(
        request,
        "activities/form.html",
        {
            "form": form,
            "title": _("Edit follow-up"),
            "obj": followup,
            "back": reverse("activities:followup_chain", args=[followup.party.public_id]),
        },
    )


@login_required
@require_POST
def followup_delete(request, public_id):
    followup = get_for_user(
        request.user, FollowUp.objects.select_related("party"), Action.DELETE, public_id=public_id
    )
    party = followup.party
    actions.delete_followup(followup, acting_user=request.user)
    messages.success(request, _("The follow-up was deleted."))
    return redirect("activities:followup_chain", public_id=party.public_id)


@login_required
def followup_chain(request, public_id):
    """One party's follow-ups, newest first, with its effectiveness."""
    require_module(request.user, "followups", Action.VIEW)
    from mitra.parties.models import Party

    party = get_for_user(request.user, Party, public_id=public_id)
    qs = FollowUp.objects.visible_to(request.user).filter(party=party).select_related("owner")
    chain = list(qs.order_by("-followed_up_at", "-pk")[:200])
    total, won, share = actions.followup_effectiveness(qs)
    return _render(
        request,
        "activities/followup_chain.html",
        {
            "party": party,
            "chain": chain,
            "effectiveness": {"total": total, "won": won, "share": share},
            "can_create": has_module_perm(request.user, "followups", Action.CREATE),
        },
    )


# -- appointments (C4) ----------------------------------------------------------------------


def _calendar_url():
    for name in ("activities:calendar", "activities:calendar_month", "activities:calendar_week"):
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return ""


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
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("confirm_conflicts", None)
        participants = data.pop("participants")
        parties = data.pop("parties")
        try:
            appt = actions.create_appointment(
                acting_user=request.user, participants=participants, parties=parties, **data
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The appointment was saved."))
            return redirect(
                _safe_next(request, reverse("activities:appointment_detail", args=[appt.public_id]))
            )
    return _render(
        request,
        "activities/appointment_form.html",
        {
            "form": form,
            "title": _("New appointment"),
            "conflicts": _conflict_rows(request.user, form.conflicts),
            "back": _party_url(party)
            if party
            else (_calendar_url() or reverse("activities:appointments")),
        },
    )


@login_required
def appointment_edit(request, public_id):
    appt = get_for_user(request.user, Appointment, Action.EDIT, public_id=public_id)
    parties = _parties_of(appt, AppointmentTarget, "appointment")
    form = AppointmentForm(request.POST or None, instance=appt, user=request.user, parties=parties)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("confirm_conflicts", None)
        participants = data.pop("participants")
        new_parties = data.pop("parties")
        try:
            actions.update_appointment(
                appt,
                acting_user=request.user,
                participants=participants,
                parties=new_parties,
                **data,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The appointment was saved."))
            return redirect(
                _safe_next(request, reverse("activities:appointment_detail", args=[appt.public_id]))
            )
    return _render(
        request,
        "activities/appointment_form.html",
        {
            "form": form,
            "obj": appt,
            "title": _("Edit appointment"),
            "conflicts": _conflict_rows(request.user, form.conflicts),
            "back": reverse("activities:appointment_detail", args=[appt.public_id]),
        },
    )


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


# -- tasks (C5) -----------------------------------------------------------------------------


def _task_queryset(request, view):
    qs = Task.objects.visible_to(request.user)
    if view == "created":
        return qs.filter(owner=request.user)
    if view == "team":
        return qs
    return qs.filter(assignee=request.user)


def _task_rows(qs, user=None):
    return qs.select_related("assignee", "team").prefetch_related(_party_targets(TaskTarget, user))


@login_required
def task_list(request):
    """ "My tasks": assigned to me (or created by me, or my team's), open first by due date."""
    require_module(request.user, "tasks", Action.VIEW)
    form = TaskFilterForm(request.GET or None)
    view, status, priority = "mine", "", None
    if form.is_valid():
        view = form.cleaned_data["view"] or "mine"
        status = form.cleaned_data["status"]
        priority = form.cleaned_data["priority"]
    qs = _task_queryset(request, view)
    if status == "all":
        pass
    elif status in TaskStatus.values:
        qs = qs.filter(status=status)
    else:
        qs = qs.open()
    if priority is not None:
        qs = qs.filter(priority=priority)
    qs = _task_rows(qs, request.user).order_by(F("due_at").asc(nulls_last=True), "-priority", "pk")
    page = paginate(request, qs, PER_PAGE)
    template = "activities/task_list.html"
    if request.htmx and request.htmx.target == "rows":
        template += "#rows"
    return _render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "view": view,
            "now": timezone.now(),
            "can_create": has_module_perm(request.user, "tasks", Action.CREATE),
        },
    )


BOARD_LIMIT = 100


@login_required
def task_board(request):
    """Columns by status; drag a card to change its status (htmx POST), or use its menu."""
    require_module(request.user, "tasks", Action.VIEW)
    view = (
        request.GET.get("view")
        if request.GET.get("view") in ("mine", "created", "team")
        else "mine"
    )
    since = timezone.now() - dt.timedelta(days=14)
    qs = _task_queryset(request, view).filter(
        Q(status__in=[s for s in TaskStatus.values if s not in ("done", "cancelled")])
        | Q(closed_at__gte=since)
    )
    tasks = list(
        _task_rows(qs).order_by(F("due_at").asc(nulls_last=True), "-priority", "pk")[
            : BOARD_LIMIT + 1
        ]
    )
    truncated = len(tasks) > BOARD_LIMIT
    columns = [{"status": s, "label": label, "tasks": []} for s, label in TaskStatus.choices]
    by_status = {c["status"]: c for c in columns}
    for task in tasks[:BOARD_LIMIT]:
        by_status[task.status]["tasks"].append(task)
    return _render(
        request,
        "activities/task_board.html",
        {
            "columns": columns,
            "view": view,
            "truncated": truncated,
            "statuses": TaskStatus.choices,
            "now": timezone.now(),
            "can_edit": has_module_perm(request.user, "tasks", Action.EDIT),
            "can_create": has_module_perm(request.user, "tasks", Action.CREATE),
        },
    )


@login_required
@require_POST
def task_status(request, public_id):
    """Change a task's status: the board's drag (htmx) or the card's small form."""
    task = get_for_user(request.user, Task, Action.EDIT, public_id=public_id)
    form = TaskStatusForm(request.POST)
    if not form.is_valid():
        if request.htmx:
            return HttpResponse(_("Unknown status."), status=400)
        messages.error(request, _("Unknown status."))
        return redirect(_safe_next(request, reverse("activities:task_board")))
    stale = None
    try:
        check_version(task, form.cleaned_data["version"])
        actions.set_task_status(task, form.cleaned_data["status"], acting_user=request.user)
    except StaleEdit as exc:
        stale = _("%(summary)s The task is shown as it is now.") % {"summary": exc.summary()}
        if not request.htmx:
            messages.error(request, stale)
    except ValidationError as exc:
        if request.htmx:
            return HttpResponse(" ".join(exc.messages), status=400)
        messages.error(request, " ".join(exc.messages))
    if request.htmx:
        task.refresh_from_db()
        response = _render(
            request,
            "activities/task_board.html#card",
            {
                "task": task,
                "statuses": TaskStatus.choices,
                "now": timezone.now(),
                "can_edit": True,
                "stale": stale,
            },
        )
        if stale:
            response.status_code = 409  # the card as it is now; board.js puts it back
        return response
    return redirect(_safe_next(request, reverse("activities:task_board")))


@login_required
@create_once
def task_create(request):
    require_module(request.user, "tasks", Action.CREATE)
    party = _party_from_query(request)
    form = TaskForm(request.POST or None, user=request.user, parties=[party] if party else None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        parties = data.pop("parties")
        steps = data.pop("steps")
        try:
            task = actions.create_task(
                acting_user=request.user, parties=parties, steps=steps, **data
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The task was created."))
            return redirect(
                _safe_next(request, reverse("activities:task_detail", args=[task.public_id]))
            )
    return _render(
        request,
        "activities/form.html",
        {
            "form": form,
            "title": _("New task"),
            "back": _party_url(party) if party else reverse("activities:tasks"),
            "party_picker": True,
        },
    )


@login_required
def task_detail(request, public_id):
    task = get_for_user(
        request.user,
        Task.objects.select_related("assignee", "team", "owner", "rework_of"),
        public_id=public_id,
    )
    rights = _rights(request.user, task)
    reworks = list(Task.objects.visible_to(request.user).filter(rework_of=task))
    return _render(
        request,
        "activities/task_detail.html",
        {
            "obj": task,
            "steps": list(task.steps.select_related("done_by")),
            "parties": _parties_of(task, TaskTarget, "task", request.user),
            "reworks": reworks,
            "rights": rights,
            "close_form": CloseTaskForm() if rights[Action.EDIT] and task.is_open else None,
            "step_form": StepForm() if rights[Action.EDIT] else None,
            "statuses": TaskStatus.choices,
            **_attachments_context(request, "task", task),
        },
    )


@login_required
def task_edit(request, public_id):
    task = get_for_user(request.user, Task, Action.EDIT, public_id=public_id)
    parties = _parties_of(task, TaskTarget, "task")
    form = TaskForm(request.POST or None, instance=task, user=request.user, parties=parties)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        new_parties = data.pop("parties")
        if not task.is_open:
            data.pop("status", None)
        try:
            actions.update_task(task, acting_user=request.user, parties=new_parties, **data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The task was saved."))
            return redirect("activities:task_detail", public_id=task.public_id)
    return _render(
        request,
        "activities/form.html",
        {
            "form": form,
            "obj": task,
            "title": _("Edit task"),
            "back": reverse("activities:task_detail", args=[task.public_id]),
            "party_picker": True,
        },
    )


@login_required
@require_POST
def task_close(request, public_id):
    task = get_for_user(request.user, Task, Action.EDIT, public_id=public_id)
    cancel = request.POST.get("cancel") == "1"
    form = CloseTaskForm(request.POST)
    if not cancel and not form.is_valid():
        messages.error(request, _("Choose whether the task succeeded or failed."))
        return redirect("activities:task_detail", public_id=task.public_id)
    try:
        actions.close_task(
            task,
            acting_user=request.user,
            result=form.cleaned_data.get("result", "") if not cancel else "",
            note=form.cleaned_data.get("note", "") if form.is_valid() else "",
            cancel=cancel,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("activities:task_detail", public_id=task.public_id)
    if task.rework is not None:
        messages.warning(
            request,
            _("The task failed; a rework task was opened: %(title)s") % {"title": task.rework},
        )
        return redirect("activities:task_detail", public_id=task.rework.public_id)
    messages.success(request, _("The task was closed."))
    return redirect("activities:task_detail", public_id=task.public_id)


@login_required
@require_POST
def task_step_add(request, public_id):
    task = get_for_user(request.user, Task, Action.EDIT, public_id=public_id)
    form = StepForm(request.POST)
    if form.is_valid():
        actions.add_step(task, form.cleaned_data["title"], acting_user=request.user)
    else:
        messages.error(request, _("Write what the step is."))
    return _steps_response(request, task)


@login_required
@require_POST
def task_step_toggle(request, public_id, step_id):
    task = get_for_user(request.user, Task, Action.EDIT, public_id=public_id)
    step = task.steps.filter(pk=step_id).first()
    if step is None:
        raise Http404
    step.task = task
    actions.toggle_step(step, acting_user=request.user)
    return _steps_response(request, task)


@login_required
@require_POST
def task_step_delete(request, public_id, step_id):
    task = get_for_user(request.user, Task, Action.EDIT, public_id=public_id)
    step = task.steps.filter(pk=step_id).first()
    if step is None:
        raise Http404
    step.task = task
    actions.delete_step(step, acting_user=request.user)
    return _steps_response(request, task)


def _steps_response(request, task):
    if request.htmx:
        return _render(
            request,
            "activities/task_detail.html#steps",
            {
                "obj": task,
                "steps": list(task.steps.select_related("done_by")),
                "rights": {Action.EDIT: True},
                "step_form": StepForm(),
            },
        )
    return redirect("activities:task_detail", public_id=task.public_id)


@login_required
@require_POST
def task_delete(request, public_id):
    task = get_for_user(request.user, Task, Action.DELETE, public_id=public_id)
    actions.delete_task(task, acting_user=request.user)
    messages.success(request, _("The task was deleted."))
    return redirect(_safe_next(request, reverse("activities:tasks")))


# -- notes (C6) -----------------------------------------------------------------------------


@login_required
def note_list(request):
    require_module(request.user, "notes", Action.VIEW)
    box = request.GET.get("box", "received")
    status = request.GET.get("status", "active")
    qs = Note.objects.visible_to(request.user)
    if box == "sent":
        qs = qs.filter(owner=request.user, pk__in=NoteRecipient.objects.values("note_id"))
    elif box == "mine":
        qs = qs.filter(owner=request.user)
    else:
        box = "received"
        qs = qs.received_by(request.user)
    if status in Note.Status.values:
        qs = qs.filter(status=status)
    else:
        status = "all"
    mine = NoteRecipient.objects.filter(user=request.user)
    qs = (
        qs.select_related("owner")
        .prefetch_related(
            Prefetch("deliveries", queryset=NoteRecipient.objects.select_related("user"))
        )
        .order_by("-created_at", "-pk")
    )
    page = paginate(request, qs, PER_PAGE)
    for note in page:
        note.unread = any(
            d.user_id == request.user.pk and d.read_at is None for d in note.deliveries.all()
        )
    return _render(
        request,
        "activities/note_list.html",
        {
            "page": page,
            "box": box,
            "status": status,
            "unread_count": mine.filter(
                read_at__isnull=True, note__status=Note.Status.ACTIVE
            ).count(),
            "can_create": has_module_perm(request.user, "notes", Action.CREATE),
        },
    )


@login_required
@create_once
def note_create(request):
    require_module(request.user, "notes", Action.CREATE)
    party = _party_from_query(request)
    form = NoteForm(
        request.POST or None,
        user=request.user,
        parties=[party] if party else None,
        initial={"is_private": party is None},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            note = actions.create_note(
                acting_user=request.user,
                recipients=data.pop("recipients"),
                parties=data.pop("parties"),
                **data,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            sent = note.deliveries.exists()
            messages.success(request, _("The note was sent.") if sent else _("The note was saved."))
            return redirect(
                _safe_next(request, reverse("activities:note_detail", args=[note.public_id]))
            )
    return _render(
        request,
        "activities/form.html",
        {
            "form": form,
            "title": _("New note"),
            "back": _party_url(party) if party else reverse("activities:notes"),
            "party_picker": True,
        },
    )


@login_required
def note_detail(request, public_id):
    note = get_for_user(request.user, Note.objects.select_related("owner"), public_id=public_id)
    actions.mark_note_read(note, acting_user=request.user)
    deliveries = list(note.deliveries.select_related("user"))
    involved = note.owner_id == request.user.pk or any(
        d.user_id == request.user.pk for d in deliveries
    )
    return _render(
        request,
        "activities/note_detail.html",
        {
            "obj": note,
            "deliveries": deliveries,
            "parties": _parties_of(note, NoteTarget, "note", request.user),
            "is_owner": note.owner_id == request.user.pk or request.user.is_superuser,
            "can_close": involved or can(request.user, Action.EDIT, note),
            "rights": _rights(request.user, note),
            **_attachments_context(request, "note", note),
        },
    )


@login_required
def note_edit(request, public_id):
    note = get_for_user(request.user, Note, Action.EDIT, public_id=public_id)
    if note.owner_id != request.user.pk and not request.user.is_superuser:
        raise PermissionDenied
    form = NoteForm(
        request.POST or None,
        instance=note,
        user=request.user,
        parties=_parties_of(note, NoteTarget, "note"),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("parties")
        try:
            actions.update_note(
                note, acting_user=request.user, recipients=data.pop("recipients"), **data
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The note was saved."))
            return redirect("activities:note_detail", public_id=note.public_id)
    form.fields["parties"].disabled = True
    return _render(
        request,
        "activities/form.html",
        {
            "form": form,
            "obj": note,
            "title": _("Edit note"),
            "back": reverse("activities:note_detail", args=[note.public_id]),
        },
    )


@login_required
@require_POST
def note_status(request, public_id):
    note = get_for_user(request.user, Note, public_id=public_id)
    status = request.POST.get("status", Note.Status.CLOSED)
    try:
        actions.set_note_status(note, status, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The note was closed.")
            if status == Note.Status.CLOSED
            else _("The note was reopened."),
        )
    return redirect(_safe_next(request, reverse("activities:note_detail", args=[note.public_id])))


@login_required
@require_POST
def note_delete(request, public_id):
    note = get_for_user(request.user, Note, Action.DELETE, public_id=public_id)
    actions.delete_note(note, acting_user=request.user)
    messages.success(request, _("The note was deleted."))
    return redirect("activities:notes")


# -- news (C7) ------------------------------------------------------------------------------


@login_required
def news_list(request):
    require_module(request.user, "news", Action.VIEW)
    qs = (
        News.objects.visible_to(request.user)
        .for_audience(request.user)
        .published()
        .select_related("owner", "audience_team")
    )
    kind = request.GET.get("kind", "")
    if kind in News.Kind.values:
        qs = qs.filter(kind=kind)
    page = paginate(request, qs.order_by("-published_at", "-pk"), 20)
    return _render(
        request,
        "activities/news_list.html",
        {
            "page": page,
            "kind": kind,
            "kinds": News.Kind.choices,
            "can_create": has_module_perm(request.user, "news", Action.CREATE),
        },
    )


@login_required
@create_once
def news_create(request):
    require_module(request.user, "news", Action.CREATE)
    form = NewsForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            news = actions.post_news(acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The news was posted."))
            return redirect("activities:news_detail", public_id=news.public_id)
    return _render(
        request,
        "activities/form.html",
        {"form": form, "title": _("Post news"), "back": reverse("activities:news")},
    )


@login_required
def news_detail(request, public_id):
    news = get_for_user(
        request.user, News.objects.select_related("owner", "audience_team"), public_id=public_id
    )
    is_author = news.owner_id == request.user.pk or request.user.is_superuser
    return _render(
        request,
        "activities/news_detail.html",
        {
            "obj": news,
            "can_edit": is_author and can(request.user, Action.EDIT, news),
            "can_delete": is_author and can(request.user, Action.DELETE, news),
        },
    )


@login_required
def news_edit(request, public_id):
    news = get_for_user(request.user, News, Action.EDIT, public_id=public_id)
    if news.owner_id != request.user.pk and not request.user.is_superuser:
        raise PermissionDenied
    form = NewsForm(request.POST or None, instance=news, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_news(news, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The news was saved."))
            return redirect("activities:news_detail", public_id=news.public_id)
    return _render(
        request,
        "activities/form.html",
        {
            "form": form,
            "obj": news,
            "title": _("Edit news"),
            "back": reverse("activities:news_detail", args=[news.public_id]),
        },
    )


@login_required
@require_POST
def news_delete(request, public_id):
    news = get_for_user(request.user, News, Action.DELETE, public_id=public_id)
    actions.delete_news(news, acting_user=request.user)
    messages.success(request, _("The news was deleted."))
    return redirect("activities:news")


# -- attachments (C9) -----------------------------------------------------------------------


def _record_for(user, kind, public_id):
    """The record a file goes on (a kind registered in `attachables`), 404 if the user cannot
    see it."""
    k = attachables.get(kind)
    if k is None:
        raise Http404
    return get_for_user(user, k.model, public_id=public_id)


_attachments_context = attachables.files_context


@login_required
@require_POST
def attachment_upload(request, kind, public_id):
    obj = _record_for(request.user, kind, public_id)
    if not actions.can_attach(request.user, obj, kind):
        raise PermissionDenied
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.add_attachment(
                form.cleaned_data["file"],
                acting_user=request.user,
                description=form.cleaned_data["description"],
                **{kind: obj},
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The file was attached."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(_safe_next(request, _record_url(kind, obj)))


def _record_url(kind, obj):
    k = attachables.get(kind)
    try:
        return k.url(obj) if k.url else "/"
    except NoReverseMatch:
        return "/"


@login_required
def attachment_download(request, public_id):
    """The file, for users who may see a record it is attached to; 404 for anyone else."""
    att = get_for_user(request.user, Attachment, public_id=public_id)
    return safe_file_response(
        att.file,
        filename=att.name,
        content_type=att.content_type,
        inline=request.GET.get("inline") == "1",
    )


@login_required
@require_POST
def attachment_delete(request, public_id):
    att = get_for_user(request.user, Attachment, public_id=public_id)
    actions.delete_attachment(att, acting_user=request.user)
    messages.success(request, _("The file was removed."))
    return redirect(_safe_next(request, reverse("home")))


def party_files_tab(request, party):
    """The "Files" tab of the party page: the one list of files kept on the party."""
    return render_to_string(
        "activities/_attachments.html",
        {"party": party, **_attachments_context(request, "party", party)},
        request=request,
    )


def party_file_history(party):
    """The files kept on `party`, added and removed, for its history tab."""
    ever = AttachmentTarget.history.filter(party_id=party.pk).values("attachment_id")
    return Attachment, Attachment.history.filter(id__in=ever)


# -- the party 360 tab ----------------------------------------------------------------------


def timeline_tab(request, party):
    """The "Timeline" tab of the party page: the upcoming box and the newest activities."""
    kinds = _timeline_kinds(request)
    items, cursor = timeline.page(request.user, party, request.GET.get("after", ""), kinds=kinds)
    return render_to_string(
        "activities/party_timeline.html",
        {
            "party": party,
            "items": items,
            "next_cursor": cursor,
            "upcoming": timeline.upcoming(request.user, party),
            "kinds": kinds,
            "kind_choices": _kind_choices(),
            "can": {
                m: has_module_perm(request.user, m, Action.CREATE)
                for m in ("interactions", "appointments", "tasks", "notes", "followups")
            },
            "now": timezone.now(),
            "quick_form": QuickLogForm(user=request.user)
            if has_module_perm(request.user, "interactions", Action.CREATE)
            else None,
        },
        request=request,
    )


def _kind_choices():
    return timeline.kind_choices()  # one per registered source (core.timeline)


def _timeline_kinds(request):
    valid = {k for k, _label in _kind_choices()}
    kinds = [k for k in request.GET.getlist("kind") if k in valid]
    return kinds or None


@login_required
def party_timeline(request, public_id):
    """More of a party's timeline (htmx "load more"), or the whole tab after a quick log."""
    from mitra.parties.models import Party

    party = get_for_user(request.user, Party, public_id=public_id)
    if not request.htmx:
        url = _party_url(party)
        if request.GET.get("after"):
            url += "&after=" + request.GET["after"]
        return redirect(url)
    kinds = _timeline_kinds(request)
    if request.GET.get("after"):
        items, cursor = timeline.page(request.user, party, request.GET["after"], kinds=kinds)
        return _render(
            request,
            "activities/party_timeline.html#items",
            {
                "party": party,
                "items": items,
                "next_cursor": cursor,
                "kinds": kinds,
                "now": timezone.now(),
            },
        )
    return HttpResponse(timeline_tab(request, party))


# -- codes (settings) -----------------------------------------------------------------------


@login_required
def lookup_list(request, public_id=None):
    require_module(request.user, "activity_codes", Action.VIEW)
    instance = None
    if public_id:
        instance = Lookup.objects.filter(module=LOOKUP_MODULE, public_id=public_id).first()
        if instance is None:
            raise Http404
    can_edit = can_configure(request.user)
    # ?kind= preselects the list of a new code; an edited code keeps its own.
    initial = {"kind": request.GET.get("kind")} if instance is None else None
    form = LookupForm(request.POST or None, instance=instance, initial=initial)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                with transaction.atomic():
                    form.save()
            except ValidationError as exc:  # a save by someone else got there first
                form.add_error(None, exc)
            else:
                messages.success(request, _("The code was saved."))
                return redirect("activities:lookups")
    groups = []
    rows = list(Lookup.objects.filter(module=LOOKUP_MODULE))
    for kind, label in LookupKind.choices:
        groups.append((kind, label, [r for r in rows if r.kind == kind]))
    return _render(
        request,
        "activities/lookup_list.html",
        {"groups": groups, "form": form if can_edit else None, "instance": instance},
    )
