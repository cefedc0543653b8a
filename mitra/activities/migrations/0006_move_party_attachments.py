"""One attachment model: every parties.Attachment becomes an activities.Attachment on the
same party. The stored file is reused (same path, nothing copied or deleted) and the public_id
is kept, so old links to a party's file find it through the one download view."""

from django.db import migrations


def move_party_attachments(apps, schema_editor):
    Old = apps.get_model("parties", "Attachment")
    OldHistory = apps.get_model("parties", "HistoricalAttachment")
    New = apps.get_model("activities", "Attachment")
    NewHistory = apps.get_model("activities", "HistoricalAttachment")
    Target = apps.get_model("activities", "AttachmentTarget")
    TargetHistory = apps.get_model("activities", "HistoricalAttachmentTarget")
    for old in Old.objects.select_related("party").order_by("pk").iterator():
        if New.objects.filter(public_id=old.public_id).exists():
            continue  # already moved
        stored = old.file.name or ""
        filename = stored.rsplit("/", 1)[-1] or old.name or "file"
        new = New.objects.create(
            public_id=old.public_id,
            file=stored,
            name=filename[:255],
            size=old.size,
            content_type="",  # read from the content at download, as before
            description=(old.name if old.name != filename else "")[:255],
            owner_id=old.uploaded_by_id or old.party.owner_id,
            team_id=old.party.team_id,
        )
        # auto_now(_add) set both times to now: keep when the file was really added.
        New.objects.filter(pk=new.pk).update(created_at=old.created_at, updated_at=old.updated_at)
        target = Target.objects.create(attachment=new, party_id=old.party_id)
        TargetHistory.objects.create(
            id=target.pk,
            attachment_id=new.pk,
            party_id=old.party_id,
            history_date=old.created_at,
            history_type="+",
            history_user_id=old.uploaded_by_id,
        )
        for rec in OldHistory.objects.filter(id=old.pk).order_by("history_id"):
            NewHistory.objects.create(
                id=new.pk,
                created_at=old.created_at,
                updated_at=rec.updated_at,
                public_id=old.public_id,
                version=1,
                file=stored,
                name=new.name,
                size=new.size,
                content_type="",
                description=new.description,
                owner_id=new.owner_id,
                team_id=new.team_id,
                history_date=rec.history_date,
                history_change_reason=rec.history_change_reason,
                history_type=rec.history_type,
                history_user_id=rec.history_user_id,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0005_attachment_target_history"),
        ("parties", "0006_merge_20261206_0002"),
    ]

    operations = [
        migrations.RunPython(move_party_attachments, migrations.RunPython.noop, elidable=False),
    ]
