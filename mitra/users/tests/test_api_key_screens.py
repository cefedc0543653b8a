from django.urls import reverse

from mitra.core.testing import BaseTestCase
from mitra.users import actions
from mitra.users.models import ApiKey


class ApiKeyScreenTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.key, _raw = actions.issue_api_key("ERP sync", acting_user=cls.owner)
        cls.other, _raw = actions.issue_api_key("Teammate's", acting_user=cls.teammate)

    def test_a_user_lists_only_their_own_keys_and_filters_them(self):
        self.login(self.owner)
        r = self.client.get(reverse("api_keys"))
        self.assertContains(r, "ERP sync")
        self.assertNotContains(r, "Teammate")
        self.assertContains(r, reverse("api_key_revoke", args=[self.key.public_id]))
        self.assertContains(r, 'id="revoke-form"')
        r = self.client.get(reverse("api_keys"), {"q": "nothing"}, headers={"HX-Request": "true"})
        self.assertContains(r, 'data-list-empty="filtered"')
        self.assertNotContains(r, "<html")

    def test_creating_shows_the_key_once(self):
        self.login(self.owner)
        r = self.client.post(reverse("api_keys"), {"name": "Shop"})
        self.assertContains(r, 'id="new-key"')
        self.assertTrue(ApiKey.objects.filter(user=self.owner, name="Shop").exists())

    def test_another_users_key_cannot_be_revoked(self):
        self.login(self.owner)
        r = self.client.post(reverse("api_key_revoke", args=[self.other.public_id]))
        self.assertEqual(r.status_code, 404)
        self.assertTrue(ApiKey.objects.filter(pk=self.other.pk).exists())
        r = self.client.post(reverse("api_key_revoke", args=[self.key.public_id]))
        self.assertRedirects(r, reverse("api_keys"))

    def test_the_list_query_count_per_persona(self):
        counts = {"owner": 4, "teammate": 4, "readonly": 3, "admin": 3}
        self.assertListQueries(reverse("api_keys"), counts)
