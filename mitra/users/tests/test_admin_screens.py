"""Managing users, teams and roles in the app (not the Django admin)."""

from django.urls import reverse

from mitra.core.policy import Action
from mitra.core.testing import BaseTestCase
from mitra.users.models import Role, Team, User


class RoleScreensTest(BaseTestCase):
    def test_it_saves_the_permission_matrix(self):
        self.login(self.admin)
        r = self.client.post(
            reverse("users:role_create"),
            {
                "name": "Auditor",
                "level": "operator",
                "scope": "all",
                "perm__users__view": "on",
                "perm__teams__view": "on",
            },
        )
        role = Role.objects.get(name="Auditor")
        self.assertRedirects(r, reverse("users:role_edit", args=[role.public_id]))
        self.assertEqual(role.permissions, {"users": ["view"], "teams": ["view"]})
        self.assertEqual(role.scope, "all")

    def test_the_matrix_shows_every_module_and_action(self):
        self.login(self.admin)
        r = self.client.get(reverse("users:role_create"))
        self.assertContains(r, 'name="perm__users__activate"')
        self.assertContains(r, "Permanently delete")

    def test_a_role_in_use_cannot_be_deleted(self):
        self.login(self.admin)
        role = self.p.roles["owner"]
        r = self.client.post(reverse("users:role_delete", args=[role.public_id]), follow=True)
        self.assertContains(r, "held by users")
        self.assertTrue(Role.objects.filter(pk=role.pk).exists())

    def test_an_unused_role_can_be_deleted(self):
        self.login(self.admin)
        role = Role.objects.create(name="Spare")
        r = self.client.post(reverse("users:role_delete", args=[role.public_id]))
        self.assertRedirects(r, reverse("users:roles"))
        self.assertFalse(Role.objects.filter(pk=role.pk).exists())

    def test_a_blank_name_is_refused_and_nothing_changes(self):
        self.login(self.admin)
        r = self.client.post(
            reverse("users:role_create"), {"name": "", "level": "operator", "scope": "own"}
        )
        self.assertContains(r, "invalid-feedback")
        self.assertFalse(Role.objects.filter(name="").exists())

    def test_roles_need_the_roles_right(self):
        self.login(self.teammate)
        self.assertEqual(self.client.get(reverse("users:roles")).status_code, 403)
        self.assertEqual(
            self.client.post(reverse("users:role_create"), {"name": "X"}).status_code, 403
        )
        self.assertFalse(Role.objects.filter(name="X").exists())


class UserScreensTest(BaseTestCase):
    def test_it_creates_a_user_with_teams(self):
        self.login(self.admin)
        r = self.client.post(
            reverse("users:create"),
            {
                "username": "noi",
                "first_name": "Noi",
                "email": "noi@example.com",
                "role": self.p.roles["owner"].pk,
                "language": "th",
                "calendar": "buddhist",
                "digits": "latin",
                "time_zone": "Asia/Bangkok",
                "is_active": "on",
                "password": "a good long password 9",
                "teams": [self.p.alpha.pk],
            },
        )
        noi = User.objects.get(username="noi")
        self.assertRedirects(r, reverse("users:detail", args=[noi.public_id]))
        self.assertTrue(noi.check_password("a good long password 9"))
        self.assertEqual(list(noi.teams.all()), [self.p.alpha])

    def test_a_new_user_needs_a_password_and_a_unique_name(self):
        self.login(self.admin)
        r = self.client.post(
            reverse("users:create"),
            {
                "username": "owner",
                "role": self.p.roles["owner"].pk,
                "language": "en",
                "calendar": "gregorian",
            },
        )
        self.assertContains(r, "A user with that username already exists")
        self.assertContains(r, "This field is required")
        self.assertEqual(User.objects.filter(username="owner").count(), 1)

    def test_deactivating_keeps_the_user_and_blocks_sign_in(self):
        self.login(self.admin)
        r = self.client.post(
            reverse("users:set_active", args=[self.owner.public_id]), {"active": "0"}
        )
        self.assertRedirects(r, reverse("users:detail", args=[self.owner.public_id]))
        self.owner.refresh_from_db()
        self.assertFalse(self.owner.is_active)
        self.client.logout()
        self.client.post(reverse("login"), {"username": "owner", "password": self.p.password})
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_nobody_deactivates_themselves(self):
        self.login(self.admin)
        r = self.client.post(
            reverse("users:set_active", args=[self.admin.public_id]), {"active": "0"}
        )
        self.assertEqual(r.status_code, 403)

    def test_history_shows_who_changed_what(self):
        self.login(self.admin)
        self.client.post(
            reverse("users:edit", args=[self.owner.public_id]),
            {
                "username": "owner",
                "first_name": "Ploy",
                "role": self.p.roles["owner"].pk,
                "language": "en",
                "calendar": "gregorian",
                "digits": "latin",
                "time_zone": "UTC",
                "is_active": "on",
            },
        )
        r = self.client.get(reverse("users:detail", args=[self.owner.public_id]))
        self.assertContains(r, "Ploy")
        self.assertContains(r, "<ins>Ploy</ins>", html=False)
        self.assertContains(r, "<strong>admin</strong>", html=False)

    def test_the_list_filters_and_stays_within_a_constant_number_of_queries(self):
        self.login(self.admin)
        for i in range(20):
            User.objects.create_user(f"extra{i}", role=self.p.roles["owner"])
        with self.assertNumQueries(10):
            r = self.client.get(reverse("users:list"), {"q": "extra"})
        self.assertContains(r, "extra19")
        self.assertNotContains(r, ">teammate<")
        r = self.client.get(
            reverse("users:list"), {"role": str(self.p.roles["readonly"].public_id)}
        )
        self.assertContains(r, ">readonly<")
        self.assertNotContains(r, ">extra1<")

    def test_htmx_gets_only_the_rows(self):
        self.login(self.admin)
        r = self.client.get(reverse("users:list"), {"q": "own"}, headers={"HX-Request": "true"})
        self.assertContains(r, 'id="rows"')
        self.assertNotContains(r, "<html")


class TeamScreensTest(BaseTestCase):
    def test_it_creates_a_team_with_a_lead(self):
        self.login(self.admin)
        r = self.client.post(
            reverse("users:team_create"),
            {"name": "Chiang Mai", "lead": self.owner.pk, "members": [self.owner.pk]},
        )
        team = Team.objects.get(name="Chiang Mai")
        self.assertRedirects(r, reverse("users:team_detail", args=[team.public_id]))
        self.assertEqual(team.lead, self.owner)

    def test_teams_list_in_constant_queries(self):
        self.login(self.admin)
        for i in range(10):
            Team.objects.create(name=f"T{i}").members.add(self.owner)
        with self.assertNumQueries(9):
            self.client.get(reverse("users:teams"))

    def test_team_scope_sees_only_its_teams(self):
        role = self.p.roles["outsider"]
        role.permissions["teams"] = [Action.VIEW]
        role.save()
        self.login(self.outsider)
        r = self.client.get(reverse("users:teams"))
        self.assertContains(r, "Beta")
        self.assertNotContains(r, "Alpha")


class PagerTest(BaseTestCase):
    def test_page_links_are_well_formed(self):
        self.login(self.admin)
        for i in range(60):
            User.objects.create_user(f"bulk{i:02d}")
        r = self.client.get(reverse("users:list"), {"q": "bulk"})
        self.assertContains(r, 'href="?q=bulk&amp;page=2"')
        self.assertNotContains(r, "??")
