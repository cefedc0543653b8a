"""Notes (C6): list, write, read, edit, close, delete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mitra.core.idempotency import create_once
from mitra.core.lists import back_url as _safe_next
from mitra.core.policy import (
    Action,
    can,
    get_for_user,
    has_module_perm,
    require_module,
)

from .. import actions
from ..forms import (
    NoteForm,
)
from ..lists import NOTES
from ..models import (
    Note,
    NoteRecipient,
    NoteTarget,
)
from .common import (
    _attachments_context,
    _parties_of,
    _party_from_query,
    _render,
    _rights,
    save_edit,
    save_new_from_party,
)

# -- notes (C6) -----------------------------------------------------------------------------


@login_required
def note_list(request):
    require_module(request.user, "notes", Action.VIEW)
    listing = NOTES.bind(request, Note.objects.visible_to(request.user))
    # The screen's defaults (the API has none): the notes I received, the active ones.
    if "box" not in listing.values:
        listing.queryset = listing.queryset.received_by(request.user)
    if "status" not in listing.values:
        listing.queryset = listing.queryset.filter(status=Note.Status.ACTIVE)
    rows = listing.queryset.select_related("owner").prefetch_related(
        Prefetch("deliveries", queryset=NoteRecipient.objects.select_related("user"))
    )
    page = listing.paginate(rows, numbered=True)
    for note in page:
        note.unread = any(
            d.user_id == request.user.pk and d.read_at is None for d in note.deliveries.all()
        )
    mine = NoteRecipient.objects.filter(user=request.user)
    return listing.render(
        "activities/note_list.html",
        {
            "box": listing.values.get("box", "received"),
            "status": listing.values.get("status", "active"),
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

    def save(data):
        return actions.create_note(
            acting_user=request.user,
            recipients=data.pop("recipients"),
            parties=data.pop("parties"),
            **data,
        )

    def sent(note):
        return _("The note was sent.") if note.deliveries.exists() else _("The note was saved.")

    return save_new_from_party(
        request, form, save, kind="note", plural="notes", party=party,
        message=sent, title=_("New note"),
    )  # fmt: skip


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
    form.fields["parties"].disabled = True  # a note's parties are set when it is written

    def save(data):
        data.pop("parties")
        actions.update_note(
            note, acting_user=request.user, recipients=data.pop("recipients"), **data
        )
        return note

    return save_edit(
        request, form, save, kind="note", obj=note,
        message=_("The note was saved."), title=_("Edit note"),
    )  # fmt: skip


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
