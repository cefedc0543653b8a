"""Shared configuration (party groups, rating levels, activity codes, duplicate rules) is a
right of its own: editing parties is not enough to rename or delete what the whole company
uses."""

import importlib
from types import SimpleNamespace

from django.urls import reverse

from mitra.activities.models import Lookup, LookupKind
from mitra.core.testing import BaseTestCase
from mitra.dedupe.models import DuplicateRule
from mitra.parties.models import Group, RatingLevel

from .factories import make_group

API = "/api/v1"


class ConfigurationRightTests(BaseTestCase):
    def setUp(self):
        self.group = make_group("Industry")
        self.level = RatingLevel.objects.create(name="Gold", order=1)
        self.code = Lookup.objects.create(
            module="interactions", kind=LookupKind.MEDIUM, name="Facebook"
        )
        self.rule = DuplicateRule.objects.first()
        # The owner edits and deletes parties and may look at the settings screens.
        role = self.owner.role
        role.permissions = {
            **role.permissions,
            "activity_codes": ["view"],
            "duplicate_rules": ["view"],
        }
        role.save()
        self.login(self.owner)

    def grant(self):
        role = self.owner.role
        role.permissions = {**role.permissions, "configuration": ["edit"]}
        role.save()

    def attempts(self):
        post = self.client.post
        return {
            "group create": post(reverse("parties:group_create"), {"name": "New"}),
            "group rename": post(
                reverse("parties:group_edit", args=[self.group.public_id]), {"name": "Renamed"}
            ),
            "group delete": post(reverse("parties:group_delete", args=[self.group.public_id])),
            "rating rename": post(
                reverse("parties:rating_level_edit", args=[self.level.public_id]),
                {"name": "Platinum", "order": "1"},
            ),
            "rating delete": post(
                reverse("parties:rating_level_delete", args=[self.level.public_id])
            ),
            "code rename": post(
                reverse("activities:lookup_edit", args=[self.code.public_id]),
                {"kind": "medium", "name": "Instagram", "order": "1", "is_active": "on"},
            ),
            "rule rename": post(
                reverse("parties:duplicate_rule_edit", args=[self.rule.public_id]),
                {"name": "Renamed", "fields": ["phone"], "name_similarity": "80"},
            ),
            "rule delete": post(
                reverse("parties:duplicate_rule_delete", args=[self.rule.public_id])
            ),
            "api create": post(
                f"{API}/party-groups/", {"name": "X"}, content_type="application/json"
            ),
            "api rename": self.client.patch(
                f"{API}/party-groups/{self.group.public_id}/",
                {"name": "Renamed"},
                content_type="application/json",
            ),
            "api delete": self.client.delete(f"{API}/party-groups/{self.group.public_id}/"),
        }

    def test_a_party_editor_without_the_right_gets_403_and_nothing_changes(self):
        names = (self.group.name, self.level.name, self.code.name, self.rule.name)
        for what, response in self.attempts().items():
            self.assertEqual(response.status_code, 403, what)
        self.group.refresh_from_db()
        self.level.refresh_from_db()
        self.code.refresh_from_db()
        self.rule.refresh_from_db()
        self.assertEqual((self.group.name, self.level.name, self.code.name, self.rule.name), names)
        self.assertEqual(Group.objects.count(), 1)
        # They still see (and use) the shared lists.
        self.assertEqual(self.client.get(reverse("parties:groups")).status_code, 200)
        self.assertEqual(len(self.client.get(f"{API}/party-groups/").json()["results"]), 1)
        page = self.client.get(reverse("parties:groups")).content.decode()
        self.assertNotIn(reverse("parties:group_delete", args=[self.group.public_id]), page)
        page = self.client.get(reverse("parties:ratings")).content.decode()
        self.assertNotIn(reverse("parties:rating_level_delete", args=[self.level.public_id]), page)

    def test_with_the_right_the_same_requests_change_the_configuration(self):
        self.grant()
        page = self.client.get(reverse("parties:groups")).content.decode()
        self.assertIn(reverse("parties:group_delete", args=[self.group.public_id]), page)
        self.client.post(
            reverse("parties:group_edit", args=[self.group.public_id]), {"name": "Renamed"}
        )
        self.group.refresh_from_db()
        self.assertEqual(self.group.name, "Renamed")
        r = self.client.patch(
            f"{API}/party-groups/{self.group.public_id}/",
            {"name": "Via API"},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 200, r.content)
        self.client.post(
            reverse("activities:lookup_edit", args=[self.code.public_id]),
            {"kind": "medium", "name": "Instagram", "order": "1", "is_active": "on"},
        )
        self.code.refresh_from_db()
        self.assertEqual(self.code.name, "Instagram")
        self.client.post(reverse("parties:rating_level_delete", args=[self.level.public_id]))
        self.assertFalse(RatingLevel.objects.filter(pk=self.level.pk).exists())
        self.client.post(reverse("parties:duplicate_rule_delete", args=[self.rule.public_id]))
        self.assertFalse(DuplicateRule.objects.filter(pk=self.rule.pk).exists())
        r = self.client.delete(f"{API}/party-groups/{self.group.public_id}/")
        self.assertEqual(r.status_code, 204)

    def test_the_role_editor_shows_the_right(self):
        self.login(self.admin)
        r = self.client.get(reverse("users:role_edit", args=[self.owner.role.public_id]))
        self.assertContains(r, 'name="perm__configuration__edit"')
        self.assertContains(r, "Shared configuration")
        self.assertNotContains(r, 'name="perm__activity_codes__edit"')


class MigrationAndDemoTests(BaseTestCase):
    def test_administrators_and_team_leads_keep_the_right_operators_lose_it(self):
        keeps = importlib.import_module("mitra.users.migrations.0002_configuration_right")._keeps_it
        role = lambda level, **perms: SimpleNamespace(level=level, permissions=perms)  # noqa: E731
        party_editor = {"parties": ["view", "create", "edit", "delete"]}
        self.assertTrue(keeps(role("executive", **party_editor)))
        self.assertTrue(keeps(role("team_lead", **party_editor)))
        self.assertFalse(keeps(role("operator", **party_editor)))
        self.assertFalse(keeps(role("team_lead", parties=["view"])))
        self.assertTrue(keeps(role("operator", activity_codes=["view", "edit"])))
        self.assertTrue(keeps(role("operator", duplicate_rules=["view", "edit"])))
        self.assertTrue(keeps(role("operator", roles=["view", "edit"])))

    def test_demo_roles(self):
        from mitra.users.demo import roles_spec

        spec = roles_spec()
        self.assertIn("edit", spec["Administrator"]["permissions"]["configuration"])
        self.assertIn("edit", spec["Sales manager"]["permissions"]["configuration"])
        self.assertNotIn("configuration", spec["Sales rep"]["permissions"])
