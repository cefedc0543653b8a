from django.urls import reverse

from mitra.core.testing import BaseTestCase
from mitra.users.models import User


class UserScreensTest(BaseTestCase):
    def test_it_lists_only_teammates_for_team_scope(self):
        self.login(self.admin)
        r = self.client.get(reverse("users:list"))
        self.assertContains(r, "outsider")

    def test_outsider_gets_404_on_alpha_user(self):
        from mitra.core.policy import Action

        role = self.p.roles["outsider"]
        role.permissions["users"] = [Action.VIEW]
        role.save()
        self.login(self.outsider)
        r = self.client.get(reverse("users:detail", args=[self.owner.public_id]))
        self.assertEqual(r.status_code, 404)
        self.assertEqual(User.objects.visible_to(self.outsider).count(), 1)
