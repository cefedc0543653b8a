from django.urls import reverse

from mitra.core.testing import BaseTestCase

from ..models import Interaction, InteractionTarget
from .factories import make_interaction, make_party


class InteractionDetailTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.party = make_party(cls.owner, "Siam Pumps", team=cls.p.alpha)
        cls.interaction = make_interaction(cls.owner, cls.party, "Price call")
        cls.private = make_interaction(cls.owner, cls.party, "Private call", is_private=True)

    def url(self, obj, name="interaction_detail"):
        return reverse(f"activities:{name}", args=[obj.public_id])

    def test_it_shows_the_interaction(self):
        self.login(self.teammate)
        response = self.client.get(self.url(self.interaction))
        self.assertContains(response, "Price call")
        self.assertContains(response, "Siam Pumps")

    def test_it_is_a_404_for_an_outsider_everywhere(self):
        self.login(self.outsider)
        for name in ("interaction_detail", "interaction_edit"):
            self.assertEqual(self.client.get(self.url(self.interaction, name)).status_code, 404)
        response = self.client.post(self.url(self.interaction, "interaction_delete"))
        self.assertEqual(response.status_code, 404)
        self.assertTrue(Interaction.objects.filter(pk=self.interaction.pk).exists())

    def test_it_keeps_a_private_interaction_from_teammates(self):
        self.login(self.teammate)
        self.assertEqual(self.client.get(self.url(self.private)).status_code, 404)
        self.login(self.owner)
        self.assertEqual(self.client.get(self.url(self.private)).status_code, 200)

    def test_it_lets_read_only_users_look_but_not_change(self):
        self.login(self.readonly)
        self.assertEqual(self.client.get(self.url(self.interaction)).status_code, 200)
        self.assertEqual(
            self.client.get(self.url(self.interaction, "interaction_edit")).status_code, 403
        )
        self.assertEqual(
            self.client.post(self.url(self.interaction, "interaction_delete")).status_code, 403
        )

    def test_it_edits_and_moves_the_interaction_to_other_parties(self):
        other = make_party(self.owner, "Bangkok Motors")
        self.login(self.owner)
        response = self.client.post(
            self.url(self.interaction, "interaction_edit"),
            {"subject": "Price call (updated)", "parties": other.code, "channel": "phone",
             "direction": "out", "occurred_at_0": "2026-01-05", "occurred_at_1": "09:00",
             "user": self.owner.pk},
        )  # fmt: skip
        self.assertRedirects(response, self.url(self.interaction))
        self.interaction.refresh_from_db()
        self.assertEqual(self.interaction.subject, "Price call (updated)")
        self.assertEqual(
            list(
                InteractionTarget.objects.filter(interaction=self.interaction).values_list(
                    "party_id", flat=True
                )
            ),
            [other.pk],
        )

    def test_it_deletes(self):
        self.login(self.owner)
        response = self.client.post(self.url(self.interaction, "interaction_delete"))
        self.assertRedirects(response, reverse("activities:interactions"))
        self.assertFalse(Interaction.objects.filter(pk=self.interaction.pk).exists())
