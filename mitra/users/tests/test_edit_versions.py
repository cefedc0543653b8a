"""J5 on the administration forms: roles and teams refuse a stale save."""

from django.urls import reverse

from mitra.core.testing import BaseTestCase
from mitra.core.tests.formpage import NoLostUpdateMixin
from mitra.users.models import Role, Team, User


class AdminFormVersionTests(NoLostUpdateMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.admin2 = User.objects.create_superuser("admin2", "admin2@example.com", cls.p.password)

    def test_role_form(self):
        role = Role.objects.create(name="Sales", description="")
        url = reverse("users:role_edit", args=[role.public_id])
        self.assert_stale_form_refused(
            role, url, "name", "description", first=self.admin, second=self.admin2
        )

    def test_team_form(self):
        team = Team.objects.create(name="Gamma")
        url = reverse("users:team_edit", args=[team.public_id])
        self.assert_stale_form_refused(
            team, url, "name", "description", first=self.admin, second=self.admin2
        )

    def test_user_form(self):
        person = User.objects.create_user(
            "kim", "kim@example.com", self.p.password, role=self.p.roles["owner"]
        )
        url = reverse("users:edit", args=[person.public_id])
        self.assert_stale_form_refused(
            person, url, "first_name", "last_name", first=self.admin, second=self.admin2
        )

    def test_signing_in_does_not_make_an_open_user_form_stale(self):
        self.login(self.admin)
        url = reverse("users:edit", args=[self.owner.public_id])
        self.assertContains(self.client.get(url), 'name="version"')
        version = User.objects.get(pk=self.owner.pk).version
        self.login(self.owner)  # writes last_login
        self.assertEqual(User.objects.get(pk=self.owner.pk).version, version)

    def test_the_preferences_page_saves_as_rendered_and_refuses_a_stale_copy(self):
        from mitra.core.tests.formpage import form_values

        self.login(self.owner)
        url = reverse("preferences")
        first = form_values(self.client.get(url).content)
        second = dict(first)
        self.assertIn("version", first)
        first["time_zone"] = "Asia/Bangkok"
        self.assertEqual(self.client.post(url, first).status_code, 302)
        second["time_zone"] = "Asia/Tehran"
        r = self.client.post(url, second)
        self.assertContains(r, "after you opened it")
        self.assertEqual(User.objects.get(pk=self.owner.pk).time_zone, "Asia/Bangkok")
