from django.urls import reverse

from mitra.core.approvals.models import ApprovalRequest
from mitra.core.testing import BaseTestCase, edits_need_approval
from mitra.parties.models import RoleKind

from .factories import make_group, make_party


class BulkActionTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.a = make_party(cls.p.owner, "Alpha One")
        cls.b = make_party(cls.p.owner, "Alpha Two")
        cls.other = make_party(cls.p.outsider, "Beta Secret")
        cls.group = make_group("VIP")

    def bulk(self, action, parties, **extra):
        data = {
            "action": action,
            "ids": [str(p.public_id) for p in parties],
            "next": "/parties/?q=alpha",
            **extra,
        }
        return self.client.post(reverse("parties:bulk"), data)

    def test_it_assigns_a_manager_adds_to_a_group_and_sets_a_role(self):
        self.login(self.owner)
        self.assertRedirects(
            self.bulk("assign_manager", [self.a, self.b], manager=self.teammate.public_id),
            "/parties/?q=alpha",
            fetch_redirect_response=False,
        )
        self.bulk("add_to_group", [self.a], group=self.group.public_id)
        self.bulk("set_role", [self.a, self.b], role=RoleKind.PARTNER)
        self.assertEqual(list(self.a.managers.all()), [self.teammate])
        self.assertEqual(list(self.a.groups.all()), [self.group])
        self.assertEqual(self.b.role_values(), ["partner"])

    def test_it_exports_the_selected_parties_only(self):
        self.login(self.owner)
        response = self.bulk("export", [self.a])
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("parties:export") + "?ids="))
        csv = self.client.get(response["Location"] + "&format=csv")
        body = b"".join(csv.streaming_content).decode("utf-8-sig")
        self.assertIn("Alpha One", body)
        self.assertNotIn("Alpha Two", body)
        # Nothing selected: a clear message, no export.
        self.assertRedirects(
            self.bulk("export", []), "/parties/?q=alpha", fetch_redirect_response=False
        )
        # Read-only may not export.
        self.login(self.readonly)
        self.assertEqual(self.bulk("export", [self.a]).status_code, 403)

    def test_it_activates_deactivates_and_stars(self):
        self.login(self.owner)
        self.bulk("deactivate", [self.a])
        self.a.refresh_from_db()
        self.assertFalse(self.a.is_active)
        self.bulk("activate", [self.a])
        self.a.refresh_from_db()
        self.assertTrue(self.a.is_active)
        self.bulk("star", [self.a, self.b])
        self.assertEqual(self.owner.starred_parties.count(), 2)
        self.bulk("unstar", [self.b])
        self.assertEqual(list(self.owner.starred_parties.all()), [self.a])

    def test_it_ignores_parties_the_user_cannot_see(self):
        self.login(self.owner)
        self.bulk("deactivate", [self.a, self.other])
        self.other.refresh_from_db()
        self.assertTrue(self.other.is_active)

    def test_readonly_may_not_bulk_edit(self):
        self.login(self.readonly)
        self.assertEqual(self.bulk("deactivate", [self.a]).status_code, 403)
        self.a.refresh_from_db()
        self.assertTrue(self.a.is_active)

    def test_bad_input_changes_nothing(self):
        self.login(self.owner)
        self.bulk("assign_manager", [self.a], manager="nobody")
        self.bulk("add_to_group", [self.a], group="00000000-0000-0000-0000-000000000000")
        self.bulk("set_role", [self.a], role="emperor")
        self.bulk("explode", [self.a])
        self.assertFalse(self.a.managers.exists())
        self.assertFalse(self.a.groups.exists())
        self.assertFalse(self.a.roles.exists())

    def test_edits_wait_for_approval_when_the_role_says_so(self):
        edits_need_approval(self.p.roles["owner"])
        self.login(self.owner)
        self.bulk("deactivate", [self.a, self.b])
        self.a.refresh_from_db()
        self.assertTrue(self.a.is_active)
        self.assertEqual(ApprovalRequest.objects.count(), 2)
