"""Edit approval for parties (A17) as a kind of the core approval engine.

A party edit that a rule says needs approval becomes a `core.ApprovalRequest` whose payload
is the change (`{"field": {"old": …, "new": …}}`, JSON-safe); approving it applies the change
through `actions._apply`, in the requester's name with the approver in the reason.
"""

from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mitra.core.approvals.engine import ApprovalKind, register_kind
from mitra.core.events import record_event

KIND = "parties.change"


def label_of(name):
    from .models import Party

    special = {
        "roles": _("roles"),
        "managers": _("account managers"),
        "groups": _("groups"),
        "contact_points": _("contact points"),
        "addresses": _("addresses"),
        "languages": _("foreign languages"),
    }
    if name in special:
        return special[name]
    try:
        return Party._meta.get_field(name).verbose_name
    except Exception:  # noqa: BLE001 - a field removed since the request was made
        return name


def field_rows(request):
    """(label, old, new) for display: only what the request changes."""
    rows = []
    for name, change in (request.payload or {}).items():
        if change.get("old") in (None, "") and change.get("new") in (None, ""):
            continue
        if change.get("old") == change.get("new"):
            continue
        old = change.get("old_display", change.get("old"))
        new = change.get("new_display", change.get("new"))
        rows.append((label_of(name), old, new))
    return rows


def _role_needs_approval(party, user, payload, rule):
    from .actions import needs_approval

    return needs_approval(user)


def _not_an_approver(party, user, payload, rule):
    from .actions import can_approve

    return not can_approve(user, party)


def _apply(request, acting_user):
    from .actions import _apply as apply_changes
    from .models import Party

    party = Party.all_objects.select_for_update().get(pk=request.object_id)
    reason = _("approved by %(user)s") % {"user": acting_user}
    apply_changes(party, request.payload, history_user=request.requested_by, reason=reason)
    fields = sorted(n for n, c in (request.payload or {}).items() if c.get("old") != c.get("new"))
    record_event("party.updated", party, acting_user=request.requested_by, payload={
        "fields": fields, "approval": str(request.public_id)})  # fmt: skip


def _stale(party, request):
    from .actions import changed_since

    return changed_since(party, request.payload)


def _on_reject(request, acting_user):
    pending_files = [
        c["new"]
        for c in (request.payload or {}).values()
        if isinstance(c.get("new"), str) and c["new"].startswith("parties/pending/")
    ]
    transaction.on_commit(lambda: [default_storage.delete(f) for f in pending_files])


def _url(request):
    from .models import Party

    public_id = Party.all_objects.filter(pk=request.object_id).values_list("public_id", flat=True)
    return reverse("parties:detail", args=[public_id.first()]) if public_id else ""


def register():
    from .models import Party

    register_kind(
        ApprovalKind(
            key=KIND,
            label=gettext_lazy("A change to a party"),
            model=Party,
            module="parties",
            conditions={
                "role": (
                    gettext_lazy("by a user whose role's edits need approval"),
                    _role_needs_approval,
                ),
                "not_approver": (
                    gettext_lazy("by anyone without the right to approve"),
                    _not_an_approver,
                ),
            },
            default_condition="role",
            apply=_apply,
            on_reject=_on_reject,
            stale=_stale,
            rows=field_rows,
            url=_url,
        )
    )
