"""What every activity screen shares: party helpers, rights, the create/edit helper."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from mitra.core.forms import apply_errors
from mitra.core.lists import back_url
from mitra.core.policy import (
    Action,
    can,
    get_for_user,
)

from .. import attachables

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


def _rights(user, obj):
    return {a: can(user, a, obj) for a in (Action.EDIT, Action.DELETE)}


def _calendar_url():
    for name in ("activities:calendar", "activities:calendar_month", "activities:calendar_week"):
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return ""


_attachments_context = attachables.files_context


def save_form(
    request,
    form,
    save,
    *,
    message,
    success_url,
    title,
    back,
    obj=None,
    template="activities/form.html",
    context=None,
):
    """The create or edit screen of every activity record, in one place.

    On a valid POST `save(data)` runs the record's action with a copy of the form's cleaned
    data and returns the record; a `ValidationError` from it (a rule, a stale version) lands
    on the form's fields and the form is shown again, nothing written. On success `message`
    (text, or a callable taking the record) is flashed and the user goes to `success_url`
    (a URL, or a callable taking the record). Otherwise `template` shows the form with
    `title`, `back`, `obj` and `context` (a dict, or a callable taking the validated form,
    for what validation finds, such as an appointment's conflicts). `create_once` on the
    view keeps a double-submitted create from saving twice."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(dict(form.cleaned_data))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, message(saved) if callable(message) else message)
            return redirect(success_url(saved) if callable(success_url) else success_url)
    extra = context(form) if callable(context) else (context or {})
    page = {"form": form, "title": title, "back": back, **extra}
    if obj is not None:
        page["obj"] = obj
    return render(request, template, page)


def save_new_from_party(request, form, save, *, kind, plural, party, message, title):
    """The create screen of a record that may start from a party's page (`?party=`).

    `save_form` with what these screens share: the party picker, back to the party (or to
    the list, `activities:<plural>`) and, once saved, on to the record's detail page
    (`activities:<kind>_detail`) unless a safe `next` says otherwise."""
    return save_form(
        request,
        form,
        save,
        message=message,
        success_url=lambda obj: back_url(
            request, reverse(f"activities:{kind}_detail", args=[obj.public_id])
        ),
        title=title,
        back=_party_url(party) if party else reverse(f"activities:{plural}"),
        context={"party_picker": True},
    )


def save_edit(request, form, save, *, kind, obj, message, title, **options):
    """The edit screen of a record: `save_form` back to, and once saved on to, its detail
    page (`activities:<kind>_detail`); `options` go to `save_form` (`context`, …)."""
    detail = reverse(f"activities:{kind}_detail", args=[obj.public_id])
    return save_form(
        request,
        form,
        save,
        message=message,
        success_url=detail,
        title=title,
        obj=obj,
        back=detail,
        **options,
    )
