"""Junk in every query parameter of every API list, as every persona: never a 5xx.

The lists and their parameters are read from the router and each viewset's declared
`filterset`, so a new endpoint or filter is fuzzed without touching this file. A 400 must
name the parameter it refuses.
"""

import base64
import datetime as dt

from django.test import override_settings

from mitra.activities.tests.factories import (
    make_appointment,
    make_interaction,
    make_note,
    make_task,
)
from mitra.core.tables.filters import PAGINATION_PARAMS
from mitra.core.testing import BaseTestCase
from mitra.parties.models import RoleKind
from mitra.parties.tests.factories import make_group, make_party

API = "/api/v1"


def _cursor(text):
    return base64.b64encode(text.encode()).decode()


JUNK = [
    "x",
    "",
    " ",
    "0",
    "1e309",
    "9" * 40,
    str(2**63),
    "2026-13-45",
    "2026-02-30",
    "0001-01-01",
    "99999-01-01",
    "9999-12-31",
    "2026-12-05T10:00+99:00",
    "' OR 1=1 --",
    "%",
    '"',
    "NEAR(a b) AND *",
    "00000000-0000-0000-0000-000000000000",
    "{3f2b8c1e-9d4a-4f6b-8e2d-1a2b3c4d5e6f}",
    "۲۰۲۶-۱۲-۰۵",
    "๒๕๖๙-๑๒-๐๕",
    "سلام",
    "🙂" * 10,
    "\u202eabc",
    "a\x00b",
    "x" * 3000,
    "me",
    "open",
    _cursor("p=junk"),
    _cursor("o=99999999999999999999&p=" + "9" * 30),
    _cursor("r=1&p=9999-12-31 23:59:59+14:00"),
]


def list_endpoints():
    from mitra.api.urls import router

    for prefix, viewset, _basename in router.registry:
        if hasattr(viewset, "list"):
            yield f"{API}/{prefix}/", viewset.filterset


@override_settings(DEBUG_PROPAGATE_EXCEPTIONS=False)
class JunkQueryParameterTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Translated messages are formatted too: two personas read Thai and Persian.
        cls.teammate.language = "th"
        cls.teammate.save()
        cls.readonly.language = "fa"
        cls.readonly.save()
        group = make_group("VIP")
        when = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
        for user in (cls.owner, cls.outsider):
            party = make_party(
                user, f"{user.username} Co", roles=[RoleKind.CUSTOMER], phone="02 123 4567",
                email=f"{user.username}@example.com", city="Bangkok",
            )  # fmt: skip
            party.groups.add(group)
            make_interaction(user, party=party, occurred_at=when)
            make_appointment(user, start=when, party=party)
            make_task(user, party=party, assignee=user)
            make_note(user, party=party, recipients=[cls.teammate])

    def clients(self):
        """A signed-in client per persona, and one signed in as nobody."""
        clients = {"anonymous": self.client_class()}
        for name in ("admin", "owner", "teammate", "readonly", "outsider", "portal"):
            clients[name] = self.client_class()
            clients[name].force_login(getattr(self, name))
        for client in clients.values():
            client.raise_request_exception = False
        return clients

    def test_junk_in_every_parameter_of_every_list_never_answers_5xx(self):
        clients = self.clients()
        failures, tried = [], set()

        def get(name, url, query, label):
            r = clients[name].get(url, query)
            if r.status_code >= 500:
                failures.append((name, url, label, str(query)[:60], r.status_code))
            return r

        for url, filterset in list_endpoints():
            params = [*filterset.filters, *filterset.aliases, *PAGINATION_PARAMS, "format"]
            allowed = [n for n in clients if get(n, url, {}, "").status_code == 200]
            self.assertIn("admin", allowed, url)
            for name in set(clients) - set(allowed):
                # Refused before any parameter is read: one value each is enough.
                for param in params:
                    get(name, url, {param: JUNK[0]}, param)
            # Every junk value in every parameter, spread over the personas who may list,
            # so each of them meets every parameter (and its scope shapes the query).
            for j, param in enumerate(params):
                for i, value in enumerate(JUNK[:3] if param == "format" else JUNK):
                    name = allowed[(i + j) % len(allowed)]
                    r = get(name, url, {param: value}, param)
                    tried.add((url, param, value))
                    if r.status_code == 400:
                        self.assertIn(param, r.json()["error"]["fields"], (name, url, value))
            self.assertIn(
                "unknown", get("admin", url, {"unknown": "1"}, "unknown").json()["error"]["fields"]
            )
            # Every parameter at once, each with junk, and each given twice.
            for name in allowed:
                get(name, url, {p: [JUNK[i % len(JUNK)], "x"] for i, p in enumerate(params)}, "all")
        self.assertEqual(failures, [])
        self.assertGreater(len(tried), 1200)

    def test_junk_ids_in_record_urls_answer_404(self):
        self.login(self.admin)
        for url, _filterset in list_endpoints():
            for value in ("x", "9" * 40, "' OR 1=1 --", "%00", "سلام", "🙂"):
                r = self.client.get(f"{url}{value}/")
                self.assertEqual(r.status_code, 404, (url, value))

    def test_junk_bodies_on_the_records_own_actions_answer_400(self):
        from mitra.activities.models import Note, Task

        self.login(self.owner)
        task = Task.objects.filter(owner=self.owner).get().public_id
        note = Note.objects.filter(owner=self.owner).get().public_id
        for url in (
            f"{API}/tasks/{task}/status/",
            f"{API}/tasks/{task}/close/",
            f"{API}/notes/{note}/status/",
        ):
            for body in ("[1]", '"x"', "1", "null", '{"status": ["x"]}', '{"cancel": "maybe"}'):
                if url.endswith("close/") and "status" in body:
                    continue  # close/ takes no status: an ignored key
                r = self.client.post(url, body, content_type="application/json")
                self.assertEqual(r.status_code, 400, (url, body))
        self.assertEqual(Task.objects.get(public_id=task).status, "not_started")
