"""The policy core with personas, proven on the user, team and role screens."""

from django.test import RequestFactory
from django.urls import reverse

from mitra.core.policy import Action, can, get_for_user
from mitra.core.testing import BaseTestCase
from mitra.users.models import Team, User


class PolicyTestBase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Give every business role the user screens too, at its own scope.
        for name, role in cls.p.roles.items():
            actions = (
                [Action.VIEW] if name == "readonly" else [Action.VIEW, Action.EDIT, Action.ACTIVATE]
            )
            role.permissions.update({"users": actions, "teams": actions})
            role.save()


class VisibleToTest(PolicyTestBase):
    def test_own_scope_sees_only_itself(self):
        self.assertEqual(list(User.objects.visible_to(self.owner)), [self.owner])

    def test_team_scope_sees_the_team(self):
        names = set(User.objects.visible_to(self.teammate).values_list("username", flat=True))
        self.assertEqual(names, {"owner", "teammate", "readonly"})

    def test_outsider_sees_nothing_of_alpha(self):
        names = set(User.objects.visible_to(self.outsider).values_list("username", flat=True))
        self.assertEqual(names, {"outsider"})

    def test_admin_sees_all(self):
        self.assertEqual(User.objects.visible_to(self.admin).count(), User.objects.count())

    def test_users_without_the_module_see_nothing(self):
        self.assertFalse(User.objects.visible_to(self.portal).exists())

    def test_anonymous_sees_nothing(self):
        from django.contrib.auth.models import AnonymousUser

        self.assertFalse(User.objects.visible_to(AnonymousUser()).exists())
        self.assertFalse(can(AnonymousUser(), Action.VIEW, module="users"))


class CanTest(PolicyTestBase):
    def test_readonly_may_view_but_not_edit(self):
        self.assertTrue(can(self.readonly, Action.VIEW, self.owner))
        self.assertFalse(can(self.readonly, Action.EDIT, self.owner))

    def test_teammate_may_edit_a_teammate(self):
        self.assertTrue(can(self.teammate, Action.EDIT, self.owner))

    def test_nobody_acts_on_what_they_cannot_see(self):
        self.assertFalse(can(self.outsider, Action.EDIT, self.owner))

    def test_inactive_users_may_do_nothing(self):
        self.teammate.is_active = False
        self.assertFalse(can(self.teammate, Action.VIEW, self.owner))

    def test_get_for_user_gives_404_then_403(self):
        from django.core.exceptions import PermissionDenied
        from django.http import Http404

        with self.assertRaises(Http404):
            get_for_user(self.outsider, User, public_id=self.owner.public_id)
        with self.assertRaises(PermissionDenied):
            get_for_user(self.readonly, User, Action.EDIT, public_id=self.owner.public_id)
        self.assertEqual(
            get_for_user(self.teammate, User, Action.EDIT, public_id=self.owner.public_id),
            self.owner,
        )
        RequestFactory()  # keep import used for readers extending these tests


class RecordUrlsTest(PolicyTestBase):
    """An outsider gets 404 on every record URL of another team; read-only gets 403 on change."""

    def record_urls(self):
        alpha = self.p.alpha
        return [
            ("get", reverse("users:detail", args=[self.owner.public_id])),
            ("get", reverse("users:edit", args=[self.owner.public_id])),
            ("post", reverse("users:set_active", args=[self.owner.public_id])),
            ("get", reverse("users:team_detail", args=[alpha.public_id])),
            ("get", reverse("users:team_edit", args=[alpha.public_id])),
            ("post", reverse("users:team_delete", args=[alpha.public_id])),
            ("get", f"/api/v1/users/{self.owner.public_id}/"),
            ("get", f"/api/v1/teams/{alpha.public_id}/"),
        ]

    def test_outsider_gets_404_everywhere(self):
        self.login(self.outsider)
        for method, url in self.record_urls():
            r = getattr(self.client, method)(url)
            self.assertEqual(r.status_code, 404, f"{method} {url}")
        self.owner.refresh_from_db()
        self.assertTrue(self.owner.is_active)
        self.assertTrue(Team.objects.filter(pk=self.p.alpha.pk).exists())

    def test_readonly_gets_403_on_changes(self):
        self.login(self.readonly)
        self.assertEqual(
            self.client.get(reverse("users:detail", args=[self.owner.public_id])).status_code, 200
        )
        for method, url in self.record_urls()[1:3] + self.record_urls()[4:6]:
            r = getattr(self.client, method)(url)
            self.assertEqual(r.status_code, 403, f"{method} {url}")

    def test_portal_user_reaches_no_module(self):
        self.login(self.portal)
        for url in (reverse("users:list"), reverse("users:teams"), reverse("users:roles")):
            self.assertEqual(self.client.get(url).status_code, 403, url)
        self.assertEqual(self.client.get("/api/v1/users/").status_code, 403)


class MalformedIdTest(PolicyTestBase):
    def test_a_malformed_id_is_a_404_not_a_500(self):
        from django.http import Http404

        with self.assertRaises(Http404):
            get_for_user(self.admin, User, public_id="not-a-uuid")
