"""A record the caller may not see and one that never existed get the same answer.

Same status, same body, for every record URL (read, change, delete, the records' own
actions), for a record named in a body, and for a filter: the API never confirms that a
hidden id exists.
"""

import uuid

from mitra.activities.tests.factories import (
    make_appointment,
    make_interaction,
    make_note,
    make_task,
)
from mitra.core.testing import BaseTestCase
from mitra.parties.models import RoleKind
from mitra.parties.tests.factories import make_party

API = "/api/v1"


NOT_FOUND = (404, {"error": {"code": "not_found", "message": "Not found."}})


class HiddenLooksMissingTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Alpha's records; the outsider (team Beta) sees none of them.
        cls.party = make_party(
            cls.owner, "Hidden Co", roles=[RoleKind.CUSTOMER], phone="02 123 4567", city="Bangkok"
        )
        cls.hidden = {
            "parties": cls.party.public_id,
            "party-roles": cls.party.roles.get().pk,
            "contact-points": cls.party.contact_points.get().pk,
            "addresses": cls.party.addresses.get().pk,
            "interactions": make_interaction(cls.owner, party=cls.party).public_id,
            "appointments": make_appointment(cls.owner, party=cls.party).public_id,
            "tasks": make_task(cls.owner, party=cls.party).public_id,
            "notes": make_note(cls.owner, party=cls.party).public_id,
        }

    def answers(self, method, url, body=None):
        r = getattr(self.client, method)(url, body or {}, content_type="application/json")
        return r.status_code, r.json() if r.content else None

    def assertSameAnswer(self, method, hidden_url, missing_url, body=None):
        hidden = self.answers(method, hidden_url, body)
        missing = self.answers(method, missing_url, body)
        self.assertEqual(hidden, missing, (method, hidden_url))
        return hidden

    def test_record_urls_answer_the_same_for_a_hidden_and_a_missing_record(self):
        for persona in (self.outsider, self.portal):
            self.login(persona)
            for prefix, hidden_id in self.hidden.items():
                missing_id = 987654321 if isinstance(hidden_id, int) else uuid.uuid4()
                actions = {"tasks": ("close/", "status/"), "notes": ("read/", "status/")}
                for tail in ("", *actions.get(prefix, ())):
                    hidden_url = f"{API}/{prefix}/{hidden_id}/{tail}"
                    missing_url = f"{API}/{prefix}/{missing_id}/{tail}"
                    methods = ("post",) if tail else ("get", "patch", "put", "delete")
                    for method in methods:
                        answer = self.assertSameAnswer(method, hidden_url, missing_url)
                        if persona == self.outsider and method == "get":
                            self.assertEqual(answer, NOT_FOUND)
        # A malformed id reads the same too.
        self.login(self.outsider)
        self.assertEqual(self.answers("get", f"{API}/parties/not-an-id/"), NOT_FOUND)

    def test_a_hidden_record_is_still_there_for_those_who_may_see_it(self):
        # Otherwise the test above would pass with nothing to hide.
        self.login(self.owner)
        for prefix, hidden_id in self.hidden.items():
            self.assertEqual(self.client.get(f"{API}/{prefix}/{hidden_id}/").status_code, 200)

    def test_a_hidden_party_named_in_a_body_reads_as_missing(self):
        self.login(self.outsider)
        missing = uuid.uuid4()
        for prefix, body in (
            ("contact-points", {"kind": "email", "value": "a@example.com"}),
            ("addresses", {"kind": "contact", "city": "Tehran"}),
            ("party-roles", {"role": "lead"}),
        ):
            url = f"{API}/{prefix}/"
            hidden = self.answers("post", url, {**body, "party": str(self.party.public_id)})
            self.assertEqual(hidden, self.answers("post", url, {**body, "party": str(missing)}))
            self.assertEqual(hidden[0], 400)
            self.assertEqual(
                hidden[1]["error"]["fields"], {"party": ["There is no record with this id."]}
            )
        # Lists of parties echo the ids sent, and say the same of both.
        for prefix, body in (
            ("tasks", {"title": "Call"}),
            ("interactions", {"subject": "Call", "channel": "phone"}),
            ("notes", {"body": "Hi"}),
        ):
            url = f"{API}/{prefix}/"
            status, hidden = self.answers(
                "post", url, {**body, "parties": [str(self.party.public_id)]}
            )
            missing_answer = self.answers("post", url, {**body, "parties": [str(missing)]})
            self.assertEqual(status, 400)
            self.assertEqual(
                (status, str(hidden).replace(str(self.party.public_id), "ID")),
                (missing_answer[0], str(missing_answer[1]).replace(str(missing), "ID")),
            )
        self.assertFalse(self.party.contact_points.filter(value="a@example.com").exists())

    def test_a_hidden_party_in_a_filter_gives_the_same_empty_list(self):
        self.login(self.outsider)
        for prefix, param in (
            ("interactions", "party"),
            ("tasks", "party"),
            ("appointments", "party"),
            ("contact-points", "party"),
            ("addresses", "party"),
            ("party-roles", "party"),
        ):
            url = f"{API}/{prefix}/"
            hidden = self.answers("get", f"{url}?{param}={self.party.public_id}")
            missing = self.answers("get", f"{url}?{param}={uuid.uuid4()}")
            self.assertEqual(hidden, missing)
            self.assertEqual(hidden, (200, {"next": None, "previous": None, "results": []}))
