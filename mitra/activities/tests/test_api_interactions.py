from mitra.core.testing import BaseTestCase
from mitra.users.models import ApiKey

from ..models import Interaction, LookupKind
from .factories import make_interaction, make_lookup, make_party

URL = "/api/v1/interactions/"


class InteractionApiTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.party = make_party(cls.owner, "Siam Pumps", team=cls.p.alpha)
        cls.beta_party = make_party(cls.outsider, "Tehran Trading", team=cls.p.beta)
        cls.call = make_interaction(cls.owner, cls.party, "Price call")
        cls.private = make_interaction(cls.owner, cls.party, "Private call", is_private=True)
        cls.beta = make_interaction(cls.outsider, cls.beta_party, "Beta call")
        cls.ordered = make_lookup(LookupKind.RESULT, "Ordered")

    def subjects(self, response):
        return sorted(r["subject"] for r in response.json()["results"])

    def test_it_lists_by_the_same_policy_as_the_screens(self):
        self.login(self.teammate)
        self.assertEqual(self.subjects(self.client.get(URL)), ["Price call"])
        self.login(self.outsider)
        self.assertEqual(self.subjects(self.client.get(URL)), ["Beta call"])
        self.assertEqual(self.client.get(f"{URL}{self.call.public_id}/").status_code, 404)

    def test_it_filters_by_party(self):
        self.login(self.owner)
        response = self.client.get(URL, {"party": str(self.party.public_id)})
        self.assertEqual(self.subjects(response), ["Price call", "Private call"])
        self.assertEqual(response.json()["results"][0]["parties"], [str(self.party.public_id)])

    def test_it_creates_through_the_action_with_an_api_key(self):
        _key, raw = ApiKey.issue(self.owner, "ERP")
        response = self.client.post(
            URL,
            {"subject": "Order by phone", "channel": "phone", "direction": "in",
             "parties": [str(self.party.public_id)], "result": str(self.ordered.public_id)},
            content_type="application/json", headers={"Authorization": f"Api-Key {raw}"},
        )  # fmt: skip
        self.assertEqual(response.status_code, 201, response.content)
        interaction = Interaction.objects.get(subject="Order by phone")
        self.assertEqual(interaction.owner, self.owner)
        self.assertEqual(interaction.user, self.owner)
        self.assertEqual(interaction.result, self.ordered)
        self.assertEqual(response.json()["id"], str(interaction.public_id))
        self.assertEqual(interaction.targets.get().at, interaction.occurred_at)

    def test_it_refuses_a_party_the_caller_cannot_see_and_saves_nothing(self):
        self.login(self.owner)
        response = self.client.post(
            URL,
            {"subject": "x", "parties": [str(self.beta_party.public_id)]},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("parties", response.json()["error"]["fields"])
        self.assertFalse(Interaction.objects.filter(subject="x").exists())

    def test_it_refuses_bad_input(self):
        self.login(self.owner)
        response = self.client.post(
            URL, {"subject": "", "channel": "pigeon"}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(set(response.json()["error"]["fields"]), {"subject", "channel"})

    def test_it_updates_and_deletes_with_the_right_permissions(self):
        self.login(self.readonly)
        url = f"{URL}{self.call.public_id}/"
        self.assertEqual(
            self.client.patch(url, {"subject": "y"}, content_type="application/json").status_code,
            403,
        )
        self.assertEqual(self.client.delete(url).status_code, 403)
        self.login(self.owner)
        response = self.client.patch(
            url, {"subject": "Price call (2)"}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["subject"], "Price call (2)")
        self.assertEqual(self.call.history.first().history_user, self.owner)
        self.assertEqual(self.client.delete(url).status_code, 204)
        self.assertFalse(Interaction.objects.filter(pk=self.call.pk).exists())
