from django.urls import reverse

from mitra.core.testing import BaseTestCase

from ..models import Interaction, InteractionTarget
from .factories import make_party

URL = reverse("activities:interaction_create")


class InteractionCreateTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.party = make_party(cls.owner, "Siam Pumps", team=cls.p.alpha)
        cls.second = make_party(cls.owner, "Bangkok Motors", team=cls.p.alpha)
        cls.beta_party = make_party(cls.outsider, "Tehran Trading", team=cls.p.beta)

    def data(self, **extra):
        return {
            "subject": "Asked for a quotation",
            "parties": f"{self.party.code}, {self.second.code}",
            "channel": "email",
            "direction": "in",
            "occurred_at_0": "2026-02-03",
            "occurred_at_1": "14:30",
            "user": self.owner.pk,
            "products": "Water pump WP-200",
            "notes": "Wants delivery in March",
            **extra,
        }

    def test_it_prefills_the_party_from_the_query(self):
        self.login(self.owner)
        response = self.client.get(URL, {"party": self.party.public_id})
        self.assertContains(response, self.party.code)

    def test_it_logs_an_interaction_on_several_parties(self):
        self.login(self.owner)
        response = self.client.post(URL, self.data())
        interaction = Interaction.objects.get()
        self.assertRedirects(
            response, reverse("activities:interaction_detail", args=[interaction.public_id])
        )
        self.assertEqual(interaction.owner, self.owner)
        self.assertEqual(interaction.channel, "email")
        self.assertEqual(interaction.occurred_at.isoformat(), "2026-02-03T14:30:00+00:00")
        self.assertEqual(
            set(InteractionTarget.objects.values_list("party_id", flat=True)),
            {self.party.pk, self.second.pk},
        )
        self.assertEqual(interaction.history.first().history_user, self.owner)

    def test_it_reads_the_date_in_the_users_calendar_and_time_zone(self):
        self.owner.calendar = "jalali"
        self.owner.time_zone = "Asia/Tehran"
        self.owner.save()
        self.login(self.owner)
        self.client.post(URL, self.data(occurred_at_0="۱۴۰۴-۱۱-۱۴", occurred_at_1="10:00"))
        interaction = Interaction.objects.get()
        # 14 Bahman 1404 = 3 February 2026; 10:00 in Tehran is 06:30 UTC.
        self.assertEqual(interaction.occurred_at.isoformat(), "2026-02-03T06:30:00+00:00")

    def test_it_explains_bad_input_and_saves_nothing(self):
        self.login(self.owner)
        response = self.client.post(
            URL, self.data(subject="", parties="NOPE-NOT-THERE", occurred_at_0="31/31/2026")
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "No party matches")
        self.assertContains(response, "There is no month 31")
        self.assertFalse(Interaction.objects.exists())

    def test_it_does_not_let_a_user_attach_a_party_they_cannot_see(self):
        self.login(self.owner)
        response = self.client.post(URL, self.data(parties=self.beta_party.code))
        self.assertContains(response, "No party matches")
        self.assertFalse(Interaction.objects.exists())

    def test_it_is_a_404_to_prefill_a_hidden_party(self):
        self.login(self.outsider)
        self.assertEqual(self.client.get(URL, {"party": self.party.public_id}).status_code, 404)

    def test_it_refuses_read_only_users(self):
        self.login(self.readonly)
        self.assertEqual(self.client.post(URL, self.data()).status_code, 403)
        self.assertFalse(Interaction.objects.exists())
