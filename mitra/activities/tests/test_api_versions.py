"""J5 over the API for activities: ETag and version on reads; If-Match (412) and a
`version` in the body (409) refuse a stale write, which then changes nothing."""

from django.utils import timezone

from mitra.core.testing import BaseTestCase

from .factories import make_appointment, make_interaction, make_note, make_party, make_task

API = "/api/v1"


class ActivityApiVersionTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.party = make_party(cls.owner, "Siam Pumps", team=cls.p.alpha)

    def scenario(self, url, name, comment):
        """Owner reads; admin PATCHes the name; owner PUTs the earlier read: 412."""
        self.login(self.owner)
        earlier = self.client.get(url)
        self.assertEqual(earlier.status_code, 200, earlier.content)
        self.assertEqual(earlier["ETag"], f'"{earlier.json()["version"]}"')
        body, tag = earlier.json(), earlier["ETag"]
        self.login(self.admin)
        patched = self.client.patch(url, {name: "Renamed"}, content_type="application/json")
        self.assertEqual(patched.status_code, 200, patched.content)
        self.login(self.owner)
        body[comment] = "Stale comment"
        body = {k: v for k, v in body.items() if v is not None}
        response = self.client.put(
            url, body, content_type="application/json", headers={"If-Match": tag}
        )
        self.assertEqual(response.status_code, 412, response.content)
        after = self.client.get(url).json()
        self.assertEqual(after[name], "Renamed")
        self.assertNotEqual(after[comment], "Stale comment")
        # With the version in the body instead: 409, still nothing changed.
        response = self.client.patch(
            url, {comment: "Stale comment", "version": body["version"]},
            content_type="application/json",
        )  # fmt: skip
        self.assertEqual(response.status_code, 409, response.content)
        self.assertNotEqual(self.client.get(url).json()[comment], "Stale comment")

    def test_interaction(self):
        obj = make_interaction(self.owner, self.party, team=self.p.alpha)
        self.scenario(f"{API}/interactions/{obj.public_id}/", "subject", "notes")

    def test_appointment(self):
        obj = make_appointment(self.owner, party=self.party, team=self.p.alpha)
        self.scenario(f"{API}/appointments/{obj.public_id}/", "subject", "description")

    def test_task(self):
        obj = make_task(self.owner, self.party, team=self.p.alpha)
        self.scenario(f"{API}/tasks/{obj.public_id}/", "title", "description")

    def test_note(self):
        obj = make_note(self.owner, party=self.party, title="Invoice")
        self.scenario(f"{API}/notes/{obj.public_id}/", "title", "body")

    def test_a_task_status_with_a_stale_if_match_is_refused(self):
        task = make_task(self.owner, self.party, team=self.p.alpha, due_at=timezone.now())
        self.login(self.owner)
        self.client.patch(f"{API}/tasks/{task.public_id}/", {"title": "New"},
                          content_type="application/json")  # fmt: skip
        response = self.client.post(
            f"{API}/tasks/{task.public_id}/status/", {"status": "waiting"},
            content_type="application/json", headers={"If-Match": '"1"'},
        )  # fmt: skip
        self.assertEqual(response.status_code, 412)
        task.refresh_from_db()
        self.assertEqual(task.status, "not_started")
