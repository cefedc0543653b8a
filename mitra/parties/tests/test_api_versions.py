"""J5 over the API: ETag and version on reads; If-Match (412) and `version` (409) on writes."""

from mitra.core.testing import BaseTestCase

from .factories import make_customer

API = "/api/v1/parties"


class PartyApiVersionTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.acme = make_customer(cls.p.owner)

    def url(self):
        return f"{API}/{self.acme.public_id}/"

    def test_a_read_carries_the_version_and_an_etag(self):
        self.login(self.owner)
        response = self.client.get(self.url())
        self.assertEqual(response.json()["version"], 1)
        self.assertEqual(response["ETag"], '"1"')

    def test_a_put_of_an_earlier_read_is_refused_after_a_patch(self):
        self.login(self.owner)
        earlier = self.client.get(self.url())
        body, tag = earlier.json(), earlier["ETag"]
        self.login(self.admin)
        patched = self.client.patch(
            self.url(), {"name": "Acme Trading"}, content_type="application/json"
        )
        self.assertEqual(patched.status_code, 200, patched.content)
        self.assertEqual(patched["ETag"], '"2"')
        self.login(self.owner)
        body["comments"] = "Call after lunch"
        response = self.client.put(
            self.url(), body, content_type="application/json", headers={"If-Match": tag}
        )
        self.assertEqual(response.status_code, 412, response.content)
        self.assertEqual(response.json()["error"]["current_version"], 2)
        self.assertIn("name", response.json()["error"]["changed_fields"])
        self.assertEqual(response["ETag"], '"2"')
        self.acme.refresh_from_db()
        self.assertEqual((self.acme.name, self.acme.comments, self.acme.version),
                         ("Acme Trading", "", 2))  # fmt: skip

    def test_a_stale_version_in_the_body_is_a_conflict(self):
        self.login(self.owner)
        self.client.patch(self.url(), {"name": "Acme Trading"}, content_type="application/json")
        response = self.client.patch(
            self.url(), {"comments": "Old news", "version": 1}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 409)
        self.acme.refresh_from_db()
        self.assertEqual(self.acme.comments, "")

    def test_the_current_version_or_none_lets_the_update_through(self):
        self.login(self.owner)
        ok = self.client.patch(
            self.url(), {"comments": "One", "version": 1}, content_type="application/json"
        )
        self.assertEqual(ok.status_code, 200, ok.content)
        ok = self.client.patch(
            self.url(), {"comments": "Two"}, content_type="application/json",
            headers={"If-Match": ok["ETag"]},
        )  # fmt: skip
        self.assertEqual(ok.status_code, 200, ok.content)
        ok = self.client.patch(self.url(), {"comments": "Three"}, content_type="application/json")
        self.assertEqual((ok.status_code, ok.json()["version"]), (200, 4))

    def test_a_stale_delete_is_refused(self):
        self.login(self.owner)
        self.client.patch(self.url(), {"name": "Acme Trading"}, content_type="application/json")
        response = self.client.delete(self.url(), headers={"If-Match": '"1"'})
        self.assertEqual(response.status_code, 412)
        self.acme.refresh_from_db()
        self.assertIsNone(self.acme.deleted_at)

    def test_outsiders_still_get_a_404_whatever_the_version(self):
        self.login(self.outsider)
        response = self.client.patch(
            self.url(), {"name": "X"}, content_type="application/json", headers={"If-Match": '"9"'}
        )
        self.assertEqual(response.status_code, 404)
