"""J5 on the party form: a stale save is refused, shows what changed, keeps the input."""

from mitra.core.testing import edits_need_approval
from mitra.core.tests.formpage import NoLostUpdateMixin, form_values

from .test_edit import CustomerEditCase


class PartyEditVersionTests(NoLostUpdateMixin, CustomerEditCase):
    def test_a_stale_party_form_is_refused_and_the_name_kept(self):
        self.assert_stale_form_refused(self.party, self.url(), "name", "comments")

    def test_a_contact_point_changed_meanwhile_is_not_undone(self):
        self.login(self.owner)
        first = form_values(self.client.get(self.url()).content)
        second = dict(first)
        first["cp-0-entry"] = "02 765 4321"
        self.assertEqual(self.client.post(self.url(), first).status_code, 302)
        second["comments"] = "Call after lunch"
        r = self.client.post(self.url(), second)
        self.assertContains(r, "changed this record after you opened it")
        self.assertEqual(self.party.contact_points.get().e164, "+6627654321")
        self.party.refresh_from_db()
        self.assertEqual(self.party.comments, "")

    def test_a_stale_form_is_refused_when_edits_need_approval(self):
        edits_need_approval(self.p.roles["owner"])
        self.login(self.owner)
        stale = form_values(self.client.get(self.url()).content)
        self.login(self.admin)
        fresh = form_values(self.client.get(self.url()).content)
        fresh["name"] = "Acme Trading"
        self.assertEqual(self.client.post(self.url(), fresh).status_code, 302)
        self.login(self.owner)
        stale["comments"] = "Mine"
        r = self.client.post(self.url(), stale)
        self.assertContains(r, "changed this record after you opened it")
        self.assertFalse(self.party.approval_requests.exists())

    def test_a_contact_point_changed_through_the_api_makes_an_open_form_stale(self):
        self.login(self.owner)
        stale = form_values(self.client.get(self.url()).content)
        cp = self.party.contact_points.get()
        r = self.client.patch(
            f"/api/v1/contact-points/{cp.pk}/",
            {"value": "02 765 4321"},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 200, r.content)
        stale["comments"] = "Call after lunch"
        r = self.client.post(self.url(), stale)
        self.assertContains(r, "changed this record after you opened it")
        self.assertEqual(self.party.contact_points.get().e164, "+6627654321")
