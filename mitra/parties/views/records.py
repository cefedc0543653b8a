"""Creating, editing, deleting, starring and (de)activating a party, and its photo."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mitra.core.forms import apply_errors as _attach_errors
from mitra.core.idempotency import create_once
from mitra.core.lists import back_url as _next_url
from mitra.core.policy import (
    Action,
    get_for_user,
    require_module,
)

from .. import actions, uploads
from ..chrome import render_page as _render
from ..duplicates import find_duplicates
from ..forms import (
    AddressFormSet,
    ContactPointFormSet,
    LanguageFormSet,
    PartyForm,
    error_summary,
    formset_rows,
)
from ..models import (
    ContactPoint,
    Kind,
    Party,
)
from .common import MODULE
from .detail import _back_to

# -- create / edit ---------------------------------------------------------------------------


def _formsets(request, party):
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    instance = party if party.pk else Party()
    return (
        ContactPointFormSet(data, files, instance=instance, prefix="cp"),
        AddressFormSet(data, files, instance=instance, prefix="addr"),
        LanguageFormSet(data, files, instance=instance, prefix="lang"),
    )


def _rows(cp_fs, addr_fs, lang_fs):
    return {
        "contact_points": formset_rows(cp_fs, actions.CONTACT_POINT_FIELDS),
        "addresses": formset_rows(addr_fs, actions.ADDRESS_FIELDS),
        "languages": formset_rows(lang_fs, actions.LANGUAGE_FIELDS),
    }


# File fields of the party form kept across a submit that did not save (`uploads`).
UPLOAD_FIELDS = ["photo"]


def _error_summary(form, cp_fs, addr_fs, lang_fs):
    return error_summary(
        form,
        [
            (_("Phones, emails and websites"), cp_fs),
            (_("Addresses"), addr_fs),
            (_("Foreign languages"), lang_fs),
        ],
    )


def _duplicates(user, values, points, party=None):
    """Parties the duplicate rules match to the one being saved. On edit (`party`), only
    when what the rules compare (name, phones, emails, IDs) changes."""
    name = values.get("name") or " ".join(
        p for p in (values.get("first_name", ""), values.get("last_name", "")) if p
    )
    probe = {
        "name": name,
        "phones": [r["value"] for r in points if r["kind"] in ContactPoint.PHONE_KINDS],
        "emails": [r["value"] for r in points if r["kind"] == ContactPoint.Kind.EMAIL],
        "national_id": values.get("national_id", ""),
        "tax_id": values.get("tax_id", ""),
    }
    if party is not None:
        stored = list(party.contact_points.values_list("kind", "value"))
        before = {
            "name": party.name,
            "phones": [v for k, v in stored if k in ContactPoint.PHONE_KINDS],
            "emails": [v for k, v in stored if k == ContactPoint.Kind.EMAIL],
            "national_id": party.national_id,
            "tax_id": party.tax_id,
        }
        if all(
            sorted(probe[k]) == sorted(before[k]) if isinstance(probe[k], list) else
            (probe[k] or "") == (before[k] or "")
            for k in probe
        ):  # fmt: skip
            return []
    return find_duplicates(user, exclude_pk=party.pk if party else None, **probe)


def _party_form(request, party=None, initial=None):
    """The one create/edit flow: the form and its three formsets, the duplicate check
    (skipped with "create anyway"), the version carried by the form, the action, and the
    action's refusals shown on the form. `party` None creates (the view is `create_once`)."""
    files = uploads.files_with_pending(request, UPLOAD_FIELDS)
    form = PartyForm(request.POST or None, files or None, instance=party, initial=initial)
    cp_fs, addr_fs, lang_fs = _formsets(request, party or Party())
    duplicates = []
    if request.method == "POST" and all(f.is_valid() for f in (form, cp_fs, addr_fs, lang_fs)):
        rows = _rows(cp_fs, addr_fs, lang_fs)
        values = form.values()
        stored = None
        if party is not None:
            # form.instance now holds the new values in memory; the action reads the stored row.
            stored = Party.objects.get(pk=party.pk)
            if form.expected_version is not None:
                stored.version = form.expected_version  # a save by someone else since is refused
        if not request.POST.get("create_anyway"):
            duplicates = _duplicates(request.user, values, rows["contact_points"], stored)
        if not duplicates:
            try:
                if stored is None:
                    saved = actions.create_party(
                        acting_user=request.user, values=values, **form.related(), **rows
                    )
                    cr = None
                else:
                    saved, cr = actions.update_party(
                        stored, acting_user=request.user, values=values, **form.related(), **rows
                    )
            except ValidationError as exc:
                _attach_errors(form, exc)
            else:
                uploads.forget(request, form, UPLOAD_FIELDS)
                if cr is not None:
                    messages.info(request, _("Your changes were sent to a team lead for approval."))
                elif party is None:
                    messages.success(request, _("%(name)s was added.") % {"name": saved})
                else:
                    messages.success(request, _("%(name)s was saved.") % {"name": saved})
                return redirect("parties:detail", public_id=saved.public_id)
    uploads.keep_pending(request, form, UPLOAD_FIELDS)
    context = {
        "form": form,
        "cp_fs": cp_fs,
        "addr_fs": addr_fs,
        "lang_fs": lang_fs,
        "party": party,
        "duplicates": duplicates,
        "form_errors": _error_summary(form, cp_fs, addr_fs, lang_fs),
    }
    if party is not None:
        context["needs_approval"] = actions.needs_approval(request.user)
    return _render(request, "parties/party_form.html", context)


@login_required
@create_once
def party_create(request):
    require_module(request.user, MODULE, Action.CREATE)
    kind = request.GET.get("kind")
    return _party_form(request, initial={"kind": kind if kind in Kind.values else Kind.PERSON})


@login_required
def party_edit(request, public_id):
    party = get_for_user(request.user, Party, Action.EDIT, public_id=public_id)
    return _party_form(request, party)


# -- record actions ----------------------------------------------------------------------------


@login_required
@require_POST
def party_delete(request, public_id):
    party = get_for_user(request.user, Party, Action.DELETE, public_id=public_id)
    actions.trash_party(party, acting_user=request.user)
    messages.success(request, _("%(name)s was moved to the trash.") % {"name": party})
    return redirect("parties:list")


@login_required
@require_POST
def party_star(request, public_id):
    party = get_for_user(request.user, Party, Action.STAR, public_id=public_id)
    starred = request.POST.get("starred") == "1"
    actions.set_star(party, starred, acting_user=request.user)
    if request.htmx:
        party.is_starred = starred
        return _render(request, "parties/_star.html", {"p": party})
    return redirect(_next_url(request, _back_to(party)))


@login_required
@require_POST
def party_set_active(request, public_id):
    party = get_for_user(request.user, Party, Action.ACTIVATE, public_id=public_id)
    _party, cr = actions.set_active(
        party, request.POST.get("active") == "1", acting_user=request.user
    )
    if cr is not None:
        messages.info(request, _("Your change was sent to a team lead for approval."))
    return redirect(_next_url(request, _back_to(party)))


@login_required
def party_photo(request, public_id):
    party = get_for_user(request.user, Party, public_id=public_id)
    if not party.photo:
        raise Http404
    try:
        return FileResponse(party.photo.open("rb"))
    except FileNotFoundError as exc:
        raise Http404 from exc


# -- approvals (A17): the screen is the core approval engine's (/approvals/) ---------------------


def approvals(request):
    """The old address of the approvals screen."""
    return redirect("approvals:list")
