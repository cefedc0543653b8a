"""Every list the API router registers, under `assertNumQueries`, per persona.

Each list has rows for the persona (three of each kind, so a query per row shows as a
higher count) and a fixed budget; the outsider (team Beta) sees none of team Alpha's.
A new endpoint without a budget here fails `test_every_registered_list_has_a_budget`.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from mitra.activities.tests.factories import (
    make_appointment,
    make_interaction,
    make_note,
    make_task,
)
from mitra.api.urls import router
from mitra.core.events import record_event
from mitra.core.testing import BaseTestCase
from mitra.parties.models import RoleKind
from mitra.parties.tests.factories import make_group, make_party

API = "/api/v1"

# Queries per list page and persona: {prefix: (owner, readonly, admin)}; None: refused.
BUDGETS = {
    "users": (None, None, 3),  # administration: refused to business roles
    "teams": (None, None, 3),
    "parties": (8, 8, 8),
    "party-roles": (3, 3, 3),
    "contact-points": (3, 3, 3),
    "addresses": (3, 3, 3),
    "party-groups": (3, 3, 3),
    "interactions": (4, 4, 4),
    "appointments": (5, 5, 5),
    "tasks": (5, 5, 5),
    "notes": (6, 6, 6),
    "events": (3, 3, 3),
}
# Lists of company-wide things the outsider may see too (the others must be empty).
SHARED = {"users", "teams", "party-groups"}


def list_prefixes():
    return sorted(
        prefix for prefix, viewset, _basename in router.registry if hasattr(viewset, "list")
    )


class ApiListQueryTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for i in range(3):
            party = make_party(
                cls.owner,
                name=f"Alpha {i}",
                team=cls.p.alpha,
                roles=[RoleKind.CUSTOMER],
                phone=f"08123456{i}0",
                email=f"a{i}@example.com",
                city="Bangkok",
            )
            party.groups.add(make_group(f"Group {i}"))
            party.managers.add(cls.owner)
            make_interaction(cls.owner, party=party)
            make_appointment(cls.owner, party=party, participants=[cls.owner, cls.readonly])
            make_task(cls.owner, party=party, assignee=cls.owner, team=cls.p.alpha)
            make_note(cls.owner, party=party, recipients=[cls.readonly])
            record_event("party.created", party, acting_user=cls.owner, party=party)

    def test_every_registered_list_has_a_budget(self):
        self.assertEqual(list_prefixes(), sorted(BUDGETS))

    def test_each_list_runs_a_fixed_number_of_queries_per_persona(self):
        for prefix in list_prefixes():
            url = f"{API}/{prefix}/"
            for persona, budget in zip(
                ("owner", "readonly", "admin"), BUDGETS[prefix], strict=True
            ):
                with self.subTest(list=prefix, persona=persona):
                    self.login(getattr(self, persona))
                    if budget is None:
                        self.assertEqual(self.client.get(url).status_code, 403)
                        continue
                    self.client.get(url)  # warm the caches (role, content types)
                    with self.assertNumQueries(budget):
                        response = self.client.get(url)
                    self.assertEqual(response.status_code, 200)
                    self.assertGreaterEqual(len(response.json()["results"]), 1)
            with self.subTest(list=prefix, persona="outsider"):
                self.login(self.outsider)
                response = self.client.get(url)
                if prefix in SHARED:
                    self.assertIn(response.status_code, (200, 403))
                else:
                    self.assertEqual(response.status_code, 200)
                    self.assertEqual(response.json()["results"], [])

    def measure(self):  # pragma: no cover - a helper to set the budgets above
        for prefix in list_prefixes():
            counts = []
            for persona in ("owner", "readonly", "admin"):
                self.login(getattr(self, persona))
                self.client.get(f"{API}/{prefix}/")
                with CaptureQueriesContext(connection) as ctx:
                    r = self.client.get(f"{API}/{prefix}/")
                counts.append((len(ctx), r.status_code, len(r.json().get("results", []))))
            print(prefix, counts)
