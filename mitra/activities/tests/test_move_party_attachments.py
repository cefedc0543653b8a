"""The data migration that turns the former party files into attachments on the party: the
stored file is reused (same path, nothing copied or deleted), the public_id is kept so old
links resolve, and the history of the file is carried over."""

import datetime as dt
import importlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import TransactionTestCase
from django.urls import reverse

from mitra.core.testing import create_personas
from mitra.parties.history import party_history

from ..models import Attachment, AttachmentTarget
from .factories import make_party

migration = importlib.import_module("mitra.activities.migrations.0006_move_party_attachments")
BEFORE = [("activities", "0005_attachment_target_history"), ("parties", "0006_merge_20261206_0002")]


class MovePartyAttachmentsTests(TransactionTestCase):
    def setUp(self):
        # The state just before the move: parties.Attachment still exists. Its tables are
        # made here (the test database is fully migrated, so they are gone).
        self.apps = MigrationLoader(connection).project_state(BEFORE).apps
        self.old_models = [
            self.apps.get_model("parties", "Attachment"),
            self.apps.get_model("parties", "HistoricalAttachment"),
        ]
        with connection.schema_editor() as editor:
            for model in self.old_models:
                editor.create_model(model)

    def tearDown(self):
        with connection.schema_editor() as editor:
            for model in reversed(self.old_models):
                editor.delete_model(model)

    def test_party_files_become_attachments_on_the_party_with_the_same_file_and_id(self):
        p = create_personas()
        party = make_party(p.owner, "Acme Co", team=p.alpha)
        stored = default_storage.save(
            f"parties/attachments/2026/01/{party.public_id}/contract.pdf",
            ContentFile(b"%PDF-1.4 signed"),
        )
        Old, OldHistory = self.old_models
        when = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
        old = Old.objects.create(
            party_id=party.pk, file=stored, name="Signed contract", size=15,
            uploaded_by_id=p.owner.pk,
        )  # fmt: skip
        Old.objects.filter(pk=old.pk).update(created_at=when)
        OldHistory.objects.create(
            id=old.pk, public_id=old.public_id, party_id=party.pk, file=stored,
            name="Signed contract", size=15, uploaded_by_id=p.owner.pk, created_at=when,
            updated_at=when, history_date=when, history_type="+", history_user_id=p.owner.pk,
        )  # fmt: skip
        nobody = Old.objects.create(party_id=party.pk, file=stored, name="contract.pdf", size=15)

        migration.move_party_attachments(self.apps, None)
        migration.move_party_attachments(self.apps, None)  # a second run changes nothing

        self.assertEqual(Attachment.objects.count(), 2)
        att = Attachment.objects.get(public_id=old.public_id)
        self.assertEqual(att.file.name, stored)  # the same stored file: no copy
        self.assertEqual(
            (att.name, att.description, att.size, att.owner, att.team, att.created_at),
            ("contract.pdf", "Signed contract", 15, p.owner, p.alpha, when),
        )
        self.assertEqual(AttachmentTarget.objects.get(attachment=att).party, party)
        self.assertTrue(default_storage.exists(stored))
        # Without an uploader the party's owner owns it; its name is the label already.
        other = Attachment.objects.get(public_id=nobody.public_id)
        self.assertEqual((other.owner, other.description), (p.owner, ""))
        # Old links resolve through the one download view, for those who see the party.
        self.client.force_login(p.owner)
        r = self.client.get(reverse("parties:attachment", args=[old.public_id]), follow=True)
        self.assertEqual(b"".join(r.streaming_content), b"%PDF-1.4 signed")
        self.client.force_login(p.outsider)
        r = self.client.get(reverse("parties:attachment", args=[old.public_id]), follow=True)
        self.assertEqual(r.status_code, 404)
        # The party's history tab still tells when it was added and by whom.
        rows = [r for r in party_history(party, p.owner) if r["what"]]
        added = [r for r in rows if r["what"] == "Attachment: contract.pdf"]
        self.assertTrue(added)
        self.assertTrue(any(r["record"].history_user_id == p.owner.pk for r in added))
