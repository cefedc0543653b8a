"""The API lists' query parameters: validated, refused by name, documented."""

import datetime as dt

from mitra.activities.tests.factories import make_appointment, make_interaction, make_task
from mitra.core.testing import BaseTestCase
from mitra.parties.models import RoleKind
from mitra.parties.tests.factories import make_party

API = "/api/v1"


class FilterValidationTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.acme = make_party(cls.owner, "Acme Co", roles=[RoleKind.CUSTOMER])
        cls.other = make_party(cls.owner, "Zenith Ltd", roles=[RoleKind.SUPPLIER])
        day = dt.datetime(2026, 12, 5, 9, tzinfo=dt.UTC)
        cls.on_the_day = make_interaction(cls.owner, party=cls.acme, occurred_at=day)
        cls.day_after = make_interaction(
            cls.owner, party=cls.other, occurred_at=day + dt.timedelta(days=1)
        )
        make_appointment(cls.owner, start=day, party=cls.acme)
        cls.task = make_task(cls.owner, party=cls.acme, assignee=cls.teammate)
        make_task(cls.owner, party=cls.other)

    def get(self, path, **params):
        return self.client.get(f"{API}/{path}", params)

    def test_the_inputs_that_answered_500_now_answer_400_naming_the_parameter(self):
        self.login(self.owner)
        cases = [
            ("tasks/", "party", "x"),
            ("interactions/", "party", "x"),
            ("appointments/", "party", "x"),
            ("interactions/", "since", "yesterday"),
            ("interactions/", "until", "2026-02-30"),
            ("appointments/", "from", "x"),
            ("appointments/", "to", "99999-01-01"),
        ]
        for path, param, value in cases:
            r = self.get(path, **{param: value})
            self.assertEqual(r.status_code, 400, (path, param))
            [message] = r.json()["error"]["fields"][param]
            self.assertIn(f"“{param}”", message)

    def test_a_value_out_of_the_choices_is_refused_not_ignored(self):
        self.login(self.owner)
        r = self.get("parties/", role="customr")
        self.assertEqual(r.status_code, 400)
        self.assertEqual(
            r.json()["error"]["fields"],
            {"role": ["“role” must be one of: customer, lead, dealer, supplier, partner, "
                      "competitor, other."]},
        )  # fmt: skip
        for path, param in (("tasks/", "status"), ("notes/", "box"), ("parties/", "active")):
            self.assertEqual(self.get(path, **{param: "maybe"}).status_code, 400, path)

    def test_unknown_parameters_are_refused_and_search_is_q(self):
        self.login(self.owner)
        r = self.get("interactions/", search="acme")
        self.assertEqual(r.status_code, 400)
        self.assertIn(
            "since", r.json()["error"]["fields"]["search"][0]
        )  # it says what the list takes
        by_q = self.get("parties/", q="acme").json()["results"]
        by_search = self.get("parties/", search="acme").json()["results"]
        self.assertEqual([p["name"] for p in by_search], ["Acme Co"])
        self.assertEqual(by_q, by_search)
        both = self.get("parties/", q="acme", search="zenith")
        self.assertEqual(both.status_code, 400)
        self.assertIn("search", both.json()["error"]["fields"])
        # The pagination's and DRF's own parameters stay allowed.
        r = self.get("parties/", page_size="1", format="json")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(len(r.json()["results"]), 1)
        r = self.client.get(r.json()["next"])
        self.assertEqual(r.status_code, 200)
        self.assertEqual(self.get("parties/", page_size="0").status_code, 400)
        self.assertEqual(self.get("parties/", cursor="x").status_code, 400)

    def test_a_parameter_given_twice_is_refused(self):
        self.login(self.owner)
        r = self.client.get(f"{API}/tasks/?status=open&status=done")
        self.assertEqual(r.status_code, 400)
        self.assertIn("status", r.json()["error"]["fields"])

    def test_valid_filters_still_filter(self):
        self.login(self.owner)
        ids = lambda r: [row["id"] for row in r.json()["results"]]  # noqa: E731
        self.assertEqual(
            ids(self.get("interactions/", party=str(self.acme.public_id))),
            [str(self.on_the_day.public_id)],
        )
        # A date alone: `since` from the start of that day, `until` through its end.
        self.assertEqual(
            ids(self.get("interactions/", since="2026-12-05", until="2026-12-05")),
            [str(self.on_the_day.public_id)],
        )
        self.assertEqual(
            ids(self.get("interactions/", since="2026-12-05T10:30:00+01:00")),
            [str(self.day_after.public_id)],
        )
        self.assertEqual(len(ids(self.get("appointments/", to="2026-12-05"))), 1)
        self.assertEqual(ids(self.get("appointments/", **{"from": "2026-12-06"})), [])
        self.assertEqual(
            ids(self.get("tasks/", assignee=str(self.teammate.public_id))),
            [str(self.task.public_id)],
        )
        self.assertEqual(len(ids(self.get("parties/", role="supplier", active="true"))), 1)
        # An empty value is no filter, as a form sends it.
        self.assertEqual(len(ids(self.get("tasks/", party="", status=""))), 2)

    def test_messages_speak_the_users_language(self):
        self.owner.language = "fa"
        self.owner.save()
        self.login(self.owner)
        [message] = self.get("tasks/", party="x").json()["error"]["fields"]["party"]
        self.assertIn("«party»", message)
        self.assertIn("شناسه", message)
        self.owner.language = "th"
        self.owner.save()
        [message] = self.get("interactions/", since="x").json()["error"]["fields"]["since"]
        self.assertIn("วันที่", message)

    def test_the_schema_documents_each_lists_parameters(self):
        self.login(self.admin)
        schema = self.client.get("/api/schema/?format=json").json()
        params = lambda path: {p["name"] for p in schema["paths"][path]["get"]["parameters"]}  # noqa: E731
        self.assertTrue({"party", "channel", "since", "until"} <= params("/api/v1/interactions/"))
        self.assertTrue({"q", "search", "role", "group"} <= params("/api/v1/parties/"))
        self.assertIn("party", params("/api/v1/contact-points/"))
        self.assertNotIn("since", params("/api/v1/interactions/{public_id}/"))

    def test_the_schema_documents_if_match_and_idempotency_key(self):
        self.login(self.admin)
        schema = self.client.get("/api/schema/?format=json").json()

        def headers(path, method):
            params = schema["paths"][path][method].get("parameters", [])
            return {p["name"] for p in params if p["in"] == "header"}

        self.assertIn("If-Match", headers("/api/v1/tasks/{public_id}/", "patch"))
        self.assertIn("If-Match", headers("/api/v1/parties/{public_id}/", "put"))
        self.assertIn("Idempotency-Key", headers("/api/v1/tasks/", "post"))
        self.assertNotIn("If-Match", headers("/api/v1/tasks/", "post"))
