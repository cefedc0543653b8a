"""Attachments (C9): upload, download, delete; a party's Files tab."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mitra.core.files import safe_file_response
from mitra.core.lists import back_url as _safe_next
from mitra.core.policy import (
    get_for_user,
)

from .. import actions, attachables
from ..forms import (
    AttachmentForm,
)
from ..models import (
    Attachment,
    AttachmentTarget,
)
from .common import (
    _attachments_context,
)

# -- attachments (C9) -----------------------------------------------------------------------


def _record_for(user, kind, public_id):
    """The record a file goes on (a kind registered in `attachables`), 404 if the user cannot
    see it."""
    k = attachables.get(kind)
    if k is None:
        raise Http404
    return get_for_user(user, k.model, public_id=public_id)


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
