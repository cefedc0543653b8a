"""Sidebar entries that are not role-matrix modules: Approvals, and the document and
numbering configuration under Administration."""

from django.urls import reverse

from mitra.core.testing import BaseTestCase

CONFIG_LINKS = ("documents:templates", "documents:company", "numbering:list")


class NavLinksTest(BaseTestCase):
    def sidebar(self, user):
        self.login(user)
        return self.client.get(reverse("home")).content.decode()

    def test_a_configurator_sees_the_configuration_links(self):
        page = self.sidebar(self.admin)
        for name in CONFIG_LINKS:
            self.assertIn(f'href="{reverse(name)}"', page)
        self.assertIn(f'href="{reverse("approvals:list")}"', page)

    def test_a_user_without_the_right_does_not(self):
        for user in (self.owner, self.readonly):
            page = self.sidebar(user)
            for name in CONFIG_LINKS:
                self.assertNotIn(f'href="{reverse(name)}"', page)

    def test_approvals_are_offered_to_approvers_and_to_those_whose_edits_need_approval(self):
        role = self.p.roles["readonly"]
        self.assertNotIn(f'href="{reverse("approvals:list")}"', self.sidebar(self.readonly))
        role.edits_need_approval = True
        role.save()
        self.readonly.refresh_from_db()
        self.assertIn(f'href="{reverse("approvals:list")}"', self.sidebar(self.readonly))
