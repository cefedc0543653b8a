from mitra.core.policy import Action
from mitra.core.testing import BaseTestCase
from mitra.users.models import ApiKey


class UsersApiTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for role in cls.p.roles.values():
            role.permissions["users"] = [Action.VIEW]
            role.save()

    def test_it_lists_only_what_the_user_may_see(self):
        self.login(self.outsider)
        names = [u["username"] for u in self.client.get("/api/v1/users/").json()["results"]]
        self.assertEqual(names, ["outsider"])

    def test_an_api_key_acts_as_its_user(self):
        key, raw = ApiKey.issue(self.teammate, "ERP")
        r = self.client.get("/api/v1/users/", headers={"Authorization": f"Api-Key {raw}"})
        names = {u["username"] for u in r.json()["results"]}
        self.assertEqual(names, {"owner", "teammate", "readonly"})
        key.refresh_from_db()
        self.assertIsNotNone(key.last_used_at)

    def test_a_wrong_key_is_refused(self):
        r = self.client.get("/api/v1/users/", headers={"Authorization": "Api-Key mk_nope"})
        self.assertEqual(r.status_code, 401)

    def test_anonymous_is_refused(self):
        self.assertIn(self.client.get("/api/v1/users/").status_code, (401, 403))

    def test_the_schema_is_served(self):
        self.login(self.admin)
        r = self.client.get("/api/schema/")
        self.assertEqual(r.status_code, 200)
        self.assertIn(b"/api/v1/users/", r.content)


class ApiKeyScreenTest(BaseTestCase):
    def test_it_shows_a_new_key_once_and_revokes_it(self):
        self.login(self.owner)
        r = self.client.post("/account/api-keys/", {"name": "Zapier"})
        self.assertContains(r, "It will not be shown again")
        key = ApiKey.objects.get(user=self.owner)
        r = self.client.get("/account/api-keys/")
        self.assertNotContains(r, "It will not be shown again")
        self.client.post(f"/account/api-keys/{key.public_id}/revoke/")
        self.assertFalse(ApiKey.objects.filter(pk=key.pk).exists())

    def test_nobody_revokes_another_users_key(self):
        key, _raw = ApiKey.issue(self.teammate, "ERP")
        self.login(self.owner)
        self.assertEqual(
            self.client.post(f"/account/api-keys/{key.public_id}/revoke/").status_code, 404
        )
        self.assertTrue(ApiKey.objects.filter(pk=key.pk).exists())
