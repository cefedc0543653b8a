from django.urls import reverse

from mitra.core.testing import BaseTestCase
from mitra.parties import actions as party_actions
from mitra.parties.models import Party

from .factories import make_appointment, make_interaction, make_note, make_party, make_task


class PartyDeleteBlockerTests(BaseTestCase):
    def test_activities_about_a_party_are_named_as_what_blocks_its_purge(self):
        party = make_party(self.owner, "Siam Pumps")
        self.assertEqual(party_actions.delete_blockers(party), [])
        make_interaction(self.owner, party)
        make_interaction(self.owner, party)
        task = make_task(self.owner, party, assignee=self.owner)
        make_appointment(self.owner, party=party)
        make_note(self.owner, party=party)
        reasons = party_actions.delete_blockers(party)
        self.assertEqual(len(reasons), 1)
        self.assertIn("2 interactions", reasons[0])
        self.assertIn("1 task", reasons[0])
        self.assertIn("1 appointment", reasons[0])
        self.assertIn("1 note", reasons[0])
        task.status = "done"
        task.save()
        # A finished task still refers to the party.
        self.assertIn("1 task", party_actions.delete_blockers(party)[0])

    def test_a_party_with_ten_interactions_goes_to_the_trash_but_is_not_purged(self):
        party = make_party(self.owner, "Siam Pumps")
        for _i in range(10):
            make_interaction(self.owner, party)
        self.login(self.owner)
        r = self.client.post(reverse("parties:delete", args=[party.public_id]))
        self.assertRedirects(r, reverse("parties:list"))
        self.assertTrue(Party.all_objects.get(pk=party.pk).in_trash)
        self.login(self.admin)
        r = self.client.post(reverse("parties:purge", args=[party.public_id]), follow=True)
        self.assertContains(r, "10 interactions")
        self.assertTrue(Party.all_objects.filter(pk=party.pk).exists())
        # Restored, it still has its interactions.
        self.client.post(reverse("parties:restore", args=[party.public_id]))
        r = self.client.get(reverse("parties:detail", args=[party.public_id]))
        self.assertEqual(r.status_code, 200)
