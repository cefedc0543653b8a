"""Which records files can be attached to: one registry, so a later app's record (an
opportunity, a service case) gets files without `activities` importing that app.

Each kind names the record's model and the link table that holds "this file is on that
record" with a real foreign key. The built-in kinds (party, interaction, task, appointment,
note) share `AttachmentTarget`; a later app owns its own link table and registers it from its
`AppConfig.ready()`:

    # sales/models.py
    class OpportunityFile(models.Model):
        attachment = models.ForeignKey("activities.Attachment", on_delete=models.CASCADE,
                                       related_name="+")
        opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE)

    # sales/apps.py, in ready()
    from mitra.activities.attachables import register_attachable
    register_attachable("opportunity", Opportunity, OpportunityFile, "opportunity",
                        url=lambda o: reverse("sales:opportunity", args=[o.public_id]))

The record's page includes `activities/_attachments.html` with `files_context(request, kind,
record)`. Who sees a file: whoever sees one record it is on (`Model.objects.visible_to`). Who may
attach or remove: `may_attach(user, record)`, by default whoever may edit the record.
"""

from dataclasses import dataclass
from typing import Any

from mitra.core.policy import Action, can


@dataclass(frozen=True)
class Attachable:
    kind: str
    model: Any  # the record's model
    through: Any  # the link table: a FK named "attachment" and a FK named `field`
    field: str
    url: Any = None  # record -> URL of the page that lists its files
    may_attach: Any = None  # (user, record) -> bool; default: may edit the record

    def allowed(self, user, record):
        if self.may_attach is not None:
            return bool(self.may_attach(user, record))
        return can(user, Action.EDIT, record)

    def links(self, **filters):
        """The link rows of this kind (only rows that point at a record of it)."""
        return self.through.objects.filter(**{f"{self.field}__isnull": False}, **filters)


_kinds: dict[str, Attachable] = {}


def register_attachable(kind, model, through, field, *, url=None, may_attach=None):
    """Let files be attached to `model`'s records under the name `kind` (used in URLs)."""
    _kinds[kind] = Attachable(kind, model, through, field, url, may_attach)
    return _kinds[kind]


def unregister_attachable(kind):
    _kinds.pop(kind, None)


def get(kind):
    """The registered kind, or None."""
    return _kinds.get(kind)


def kinds():
    return list(_kinds.values())


def kind_of(record):
    """The kind `record` is attached as (the first registered for its model), or None."""
    for k in _kinds.values():
        if isinstance(record, k.model):
            return k
    return None


def through_tables():
    """Each link table once, with the kinds stored in it."""
    out = {}
    for k in _kinds.values():
        out.setdefault(k.through, []).append(k)
    return out


def files_context(request, kind, record):
    """The context of `activities/_attachments.html` (the file list and the upload form) for
    `record`'s page; a later app's record page includes that template with it."""
    from .actions import can_attach
    from .forms import AttachmentForm
    from .models import Attachment

    files = Attachment.objects.on(**{kind: record}).select_related("owner")
    return {
        "attachments": list(files.order_by("-created_at", "-pk")),
        "attachment_form": AttachmentForm() if can_attach(request.user, record, kind) else None,
        "attachment_kind": kind,
        "attachment_record": record,
    }
