"""Changing document configuration and issuing documents."""

import hashlib

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from mitra.core.policy import can_configure, is_visible

from . import engine
from .models import IssuedDocument, Language


def _configure(user):
    if not can_configure(user):
        raise PermissionDenied


@transaction.atomic
def save_config(obj, *, acting_user):
    """Store a piece of document configuration (a template, after checking every block in
    the sandbox; the company profile) for someone who may configure."""
    _configure(acting_user)
    obj.full_clean()
    obj._history_user = acting_user
    obj.save()
    return obj


save_template = save_company = save_config


def issue_document(doc_type, record, *, language, acting_user):
    """Render the record's document and store it as the next revision, never overwriting.

    The record must be one the user may see. The PDF is rendered before the transaction;
    the revision number is the record's next one (a unique constraint makes two issuers
    at once take different numbers: the loser retries)."""
    if not is_visible(acting_user, record):
        raise PermissionDenied
    if language not in Language.values:
        raise ValidationError(_("Unknown language."), code="language")
    template = engine.template_for(doc_type, language)
    content_type = ContentType.objects.get_for_model(record)
    revisions = IssuedDocument.objects.filter(
        content_type=content_type, object_id=record.pk, doc_type=doc_type.key
    )
    # Rendered outside any transaction (it takes a while; SQLite would hold its write lock).
    for _attempt in range(3):
        revision = (revisions.aggregate(n=Max("revision"))["n"] or 0) + 1
        pdf = engine.render_pdf(
            doc_type, record, acting_user, language, template=template, revision=revision
        )
        digest = hashlib.sha256(pdf).hexdigest()
        issued = IssuedDocument(
            doc_type=doc_type.key,
            content_type=content_type,
            object_id=record.pk,
            record_public_id=record.public_id,
            language=language,
            revision=revision,
            title=str(record)[:200],
            template_version=template.version,
            sha256=digest,
            size=len(pdf),
            issued_by=acting_user,
        )
        name = f"{doc_type.key}-{revision}-{digest[:12]}.pdf"
        issued.file.save(name, ContentFile(pdf), save=False)
        try:
            with transaction.atomic():
                issued.save()
        except IntegrityError:  # someone issued this revision meanwhile: take the next
            issued.file.delete(save=False)
            continue
        return issued
    raise ValidationError(_("The document could not be issued; please try again."), code="busy")
