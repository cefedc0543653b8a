from unittest import mock

from django.db.models.deletion import ProtectedError
from django.urls import reverse

from mitra.core.testing import BaseTestCase
from mitra.parties import actions
from mitra.parties.models import ContactPoint, Party

from .factories import make_party


class TrashTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.party = make_party(cls.p.owner, "Acme Co", phone="02 123 4567")

    def delete(self):
        return self.client.post(reverse("parties:delete", args=[self.party.public_id]))

    def test_it_moves_the_party_to_the_trash(self):
        self.login(self.owner)
        self.assertRedirects(self.delete(), reverse("parties:list"))
        self.assertFalse(Party.objects.filter(pk=self.party.pk).exists())
        trashed = Party.all_objects.get(pk=self.party.pk)
        self.assertEqual(trashed.deleted_by, self.owner)
        self.assertEqual(
            self.client.get(reverse("parties:detail", args=[self.party.public_id])).status_code, 404
        )
        self.assertContains(self.client.get(reverse("parties:trash")), "Acme Co")
        self.assertNotContains(self.client.get(reverse("parties:list")), "Acme Co")

    def test_it_restores_from_the_trash(self):
        self.login(self.owner)
        self.delete()
        r = self.client.post(reverse("parties:restore", args=[self.party.public_id]))
        self.assertRedirects(r, reverse("parties:detail", args=[self.party.public_id]))
        self.assertTrue(Party.objects.filter(pk=self.party.pk).exists())
        self.assertEqual(Party.objects.get(pk=self.party.pk).contact_points.count(), 1)

    def test_purging_needs_its_own_right(self):
        self.login(self.owner)
        self.delete()
        # The Owner role has every action but "purge".
        r = self.client.post(reverse("parties:purge", args=[self.party.public_id]))
        self.assertEqual(r.status_code, 403)
        self.assertTrue(Party.all_objects.filter(pk=self.party.pk).exists())
        self.login(self.admin)
        r = self.client.post(reverse("parties:purge", args=[self.party.public_id]))
        self.assertRedirects(r, reverse("parties:trash"))
        self.assertFalse(Party.all_objects.filter(pk=self.party.pk).exists())
        self.assertFalse(ContactPoint.objects.exists())
        self.assertEqual(Party.history.filter(id=self.party.pk, history_type="-").count(), 1)

    def test_a_registered_blocker_allows_the_trash_but_blocks_the_purge(self):
        def blocker(party):
            return "It has 2 open invoices." if party.pk == self.party.pk else None

        actions.register_delete_blocker(blocker)
        try:
            self.login(self.owner)
            self.assertRedirects(self.delete(), reverse("parties:list"))
            self.assertTrue(Party.all_objects.get(pk=self.party.pk).in_trash)
            self.login(self.admin)
            r = self.client.post(reverse("parties:purge", args=[self.party.public_id]), follow=True)
            self.assertRedirects(r, reverse("parties:trash"))
            self.assertContains(r, "cannot be deleted for good")
            self.assertContains(r, "It has 2 open invoices.")
            self.assertTrue(Party.all_objects.get(pk=self.party.pk).in_trash)
            self.assertEqual(ContactPoint.objects.filter(party=self.party).count(), 1)
        finally:
            actions._delete_blockers.remove(blocker)

    def test_it_is_blocked_when_protected_rows_refer_to_it(self):
        other = make_party(self.owner, "Referrer")
        error = ProtectedError("protected", {other, make_party(self.owner, "Another")})
        with mock.patch("mitra.parties.actions.Collector.collect", side_effect=error):
            reasons = actions.delete_blockers(self.party)
        self.assertEqual(len(reasons), 1)
        self.assertIn("2 parties", reasons[0])

    def test_readonly_cannot_delete_and_outsiders_get_404(self):
        self.login(self.readonly)
        self.assertEqual(self.delete().status_code, 403)
        self.login(self.outsider)
        self.assertEqual(self.delete().status_code, 404)
        self.assertEqual(
            self.client.post(reverse("parties:restore", args=[self.party.public_id])).status_code,
            404,
        )
        self.assertTrue(Party.objects.filter(pk=self.party.pk).exists())

    def test_outsiders_cannot_restore_what_they_cannot_see(self):
        self.login(self.owner)
        self.delete()
        self.login(self.outsider)
        self.assertEqual(
            self.client.post(reverse("parties:restore", args=[self.party.public_id])).status_code,
            404,
        )
        self.assertEqual(
            list(self.client.get(reverse("parties:trash")).context["page"].object_list), []
        )
