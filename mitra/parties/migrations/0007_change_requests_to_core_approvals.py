"""Party change requests (A17) become core approval requests; the old table goes.

Every row is copied (decided ones keep their decision, so the "decided" list keeps its past);
a pending one gets a task for each active superuser and each active user whose role is at
team-lead or executive level with the approve right on parties — the built-in rule's
approvers (whether they can see the party is checked again when they decide).
"""

from django.db import migrations

KIND = "parties.change"


def forward(apps, schema_editor):
    ChangeRequest = apps.get_model("parties", "ChangeRequest")
    ApprovalRequest = apps.get_model("core", "ApprovalRequest")
    ApprovalTask = apps.get_model("core", "ApprovalTask")
    ContentType = apps.get_model("contenttypes", "ContentType")
    User = apps.get_model("users", "User")
    if not ChangeRequest.objects.exists():
        return
    ct, _ = ContentType.objects.get_or_create(app_label="parties", model="party")
    approvers = [
        u
        for u in User.objects.filter(is_active=True).select_related("role")
        if u.is_superuser
        or (
            u.role_id
            and u.role.level in ("team_lead", "executive")
            and "approve" in ((u.role.permissions or {}).get("parties") or [])
        )
    ]
    for cr in ChangeRequest.objects.select_related("party").order_by("pk"):
        req = ApprovalRequest.objects.create(
            public_id=cr.public_id,
            kind=KIND,
            content_type=ct,
            object_id=cr.party_id,
            record_version=None,
            title=(cr.party.name or str(cr.party_id))[:255],
            payload=cr.changes,
            status=cr.status,
            requested_by_id=cr.requested_by_id,
            decided_by_id=cr.decided_by_id,
            decided_at=cr.decided_at,
            note=cr.note,
        )
        ApprovalRequest.objects.filter(pk=req.pk).update(
            created_at=cr.created_at, updated_at=cr.updated_at
        )
        if cr.status == "pending":
            ApprovalTask.objects.bulk_create(
                [
                    ApprovalTask(request=req, level=1, mode="any", user=u)
                    for u in approvers
                    if u.pk != cr.requested_by_id
                ]
            )


class Migration(migrations.Migration):
    dependencies = [
        ("parties", "0006_merge_20261206_0002"),
        ("core", "0005_workflow_and_approvals"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(forward, migrations.RunPython.noop),
        migrations.DeleteModel(name="ChangeRequest"),
    ]
