"""Files chosen on a form that then failed to save are kept, so nobody chooses them twice.

A browser cannot fill a file input again. When a form comes back with errors (or with a
duplicate warning), each file it received is stored under `pending-uploads/` and the form
carries a token for it in a hidden field (`<field>__pending`). The next submit without a
new file uses the kept one. Tokens live in the user's session, so nobody else can claim
a file; kept files older than a day are removed when new ones are kept.
"""

import datetime as dt
import secrets

from django import forms
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

FOLDER = "pending-uploads"
SESSION_KEY = "pending_uploads"
SUFFIX = "__pending"
MAX_AGE = dt.timedelta(days=1)


class KeptFileInput(forms.ClearableFileInput):
    """A file input that, when a file was kept for it, says so and posts its token."""

    template_name = "parties/widgets/kept_file_input.html"
    pending = None  # {"token": …, "name": …} once a file is kept

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["pending"] = self.pending
        context["widget"]["pending_name"] = name + SUFFIX
        context["widget"]["pending_text"] = _("Kept from your last try")
        context["widget"]["pending_hint"] = _("choose another file to replace it")
        return context


def _store(request):
    return request.session.setdefault(SESSION_KEY, {})


def files_with_pending(request, fields):
    """request.FILES plus, for each of `fields` without a new file, the file kept for it."""
    if request.method != "POST":
        return None
    files = request.FILES.copy()
    kept = request.session.get(SESSION_KEY, {})
    for name in fields:
        token = request.POST.get(name + SUFFIX, "")
        if name in files or token not in kept:
            continue
        info = kept[token]
        if not default_storage.exists(info["path"]):
            continue
        upload = UploadedFile(
            file=default_storage.open(info["path"], "rb"),
            name=info["name"],
            content_type=info.get("content_type"),
            size=info.get("size"),
        )
        upload.pending_token = token
        files[name] = upload
    return files


def keep_pending(request, form, fields):
    """After a submit that did not save: keep the files `form` received for `fields`
    (those that are not themselves in error) and show them on the form again."""
    if request.method != "POST":
        return
    kept = _store(request)
    for name in fields:
        upload = form.files.get(name) if form.files else None
        if not isinstance(upload, UploadedFile) or form.errors.get(name):
            continue
        token = getattr(upload, "pending_token", None)
        if token not in kept:
            token = secrets.token_urlsafe(16)
            _remove_stale()
            upload.seek(0)
            filename = get_valid_filename(upload.name) or "file"
            path = default_storage.save(f"{FOLDER}/{token}/{filename}", upload)
            kept[token] = {
                "path": path,
                "name": upload.name,
                "size": upload.size,
                "content_type": getattr(upload, "content_type", None),
            }
            request.session.modified = True
        form.fields[name].widget.pending = {"token": token, "name": kept[token]["name"]}


def forget(request, form, fields):
    """After a successful save: remove the kept files the form used."""
    kept = request.session.get(SESSION_KEY)
    if not kept:
        return
    for name in fields:
        token = getattr(form.files.get(name) if form.files else None, "pending_token", None)
        token = token or request.POST.get(name + SUFFIX)
        info = kept.pop(token, None) if token else None
        if info:
            default_storage.delete(info["path"])
            request.session.modified = True


def _remove_stale():
    try:
        folders, _files = default_storage.listdir(FOLDER)
    except (FileNotFoundError, NotImplementedError):
        return
    cutoff = timezone.now() - MAX_AGE
    for folder in folders:
        try:
            names = default_storage.listdir(f"{FOLDER}/{folder}")[1]
            for filename in names:
                path = f"{FOLDER}/{folder}/{filename}"
                if default_storage.get_modified_time(path) < cutoff:
                    default_storage.delete(path)
        except (FileNotFoundError, NotImplementedError, OSError):
            continue
