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
