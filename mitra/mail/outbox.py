"""Queue email: the email channel of the one outbox (`mitra.core.outbox`).

Any app sends mail with `queue_email(...)`: the message is stored in the same
transaction as the change that caused it and handed to a worker after commit, so a
rolled-back change never sends mail and a slow SMTP server never slows a page. The
claim, backoff, recovery and delivery log are the outbox's, shared with SMS and
webhooks; SMTP itself is `mitra.integrations.smtp`.

Email delivery is at most once: a message left in "sending" by a worker that died is
marked failed, never sent again automatically, because it may already have gone out.
"""

import uuid
from email.utils import make_msgid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from mitra.core import outbox as _outbox
from mitra.core.outbox import (  # noqa: F401 - the outbox's API, as mail's callers know it
    BACKOFF_MAX_SECONDS,
    BACKOFF_SECONDS,
    BATCH_SIZE,
    MAX_ATTEMPTS,
    STALE_AFTER,
    Channel,
    _sent_hooks,
    backoff,
    claim_batch,
    drain,
    register_sent_hook,
    release_stale,
    send_batch,
)
from mitra.integrations.smtp import bare_address as _bare
from mitra.integrations.smtp import build_email, message_domain  # noqa: F401


def _addresses(value, field):
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    result = []
    for address in value:
        address = str(address).strip()
        if not address:
            continue
        try:
            validate_email(_bare(address))
        except ValidationError as exc:
            raise ValidationError(
                {field: _("%(address)s is not a valid email address.") % {"address": address}}
            ) from exc
        result.append(address)
    return result


def _one_line(text):
    # Header injection: a subject never carries line breaks.
    return " ".join(str(text).split())


def queue_email(
    *,
    to,
    subject,
    body,
    html=None,
    party=None,
    acting_user=None,
    cc=None,
    attachments=None,
    from_email=None,
):
    """Store an email for delivery by the worker; returns the OutboxMessage.

    `to`/`cc`: an address or a list of them. `attachments`: (filename, bytes, mimetype)
    tuples, stored through Django's storage API. Raises ValidationError for an invalid
    address or no recipient at all.
    """
    to_list = _addresses(to, "to")
    cc_list = _addresses(cc, "cc")
    if not to_list:
        raise ValidationError({"to": _("An email needs at least one recipient.")})
    stored = []
    for name, content, mimetype in attachments or ():
        if isinstance(content, str):
            content = content.encode()
        name = get_valid_filename(name) or "attachment"
        path = default_storage.save(f"mail/{uuid.uuid4().hex}/{name}", ContentFile(content))
        stored.append({"name": name, "path": path, "mimetype": mimetype or ""})
    return _outbox.enqueue(
        Channel.EMAIL,
        to=", ".join(to_list),
        cc=", ".join(cc_list),
        from_email=from_email or "",
        subject=_one_line(subject)[:500],
        text=body or "",
        html=html or "",
        attachments=stored,
        party=party,
        acting_user=acting_user,
        message_id=make_msgid(domain=message_domain()),
    )


def _enqueue_drain():
    _outbox.enqueue_drain()
