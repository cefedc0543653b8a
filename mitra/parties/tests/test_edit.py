from django.urls import reverse

from mitra.core.approvals.models import ApprovalRequest
from mitra.core.testing import BaseTestCase, edits_need_approval
from mitra.parties.models import ContactPoint, Party

from .factories import make_customer, make_party
from .test_create import form_data


def edit_data(party, **overrides):
    data = form_data(**{"name": party.name, "code": party.code, **overrides})
    points = list(party.contact_points.all())
    data.update({"cp-TOTAL_FORMS": str(len(points)), "cp-INITIAL_FORMS": str(len(points))})
    for key in [k for k in data if k.startswith(("cp-0", "cp-1"))]:
        del data[key]
    for i, cp in enumerate(points):
        data.update(
            {f"cp-{i}-id": cp.pk, f"cp-{i}-kind": cp.kind, f"cp-{i}-entry": cp.number or cp.value}
        )
        if cp.is_primary:
            data[f"cp-{i}-is_primary"] = "on"
    data.update({"addr-TOTAL_FORMS": "0", "addr-INITIAL_FORMS": "0"})
    data.update({k: v for k, v in overrides.items() if k.startswith("cp-")})
    return data


class CustomerEditCase(BaseTestCase):
    """Acme Co (a customer with one phone) and its edit page; with `needs_approval` the
    owner's edits wait for a team lead."""

    needs_approval = False

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        if cls.needs_approval:
            edits_need_approval(cls.p.roles["owner"])
        cls.party = make_customer(cls.p.owner)

    def url(self):
        return reverse("parties:edit", args=[self.party.public_id])


class PartyEditTests(CustomerEditCase):
    def test_it_saves_changes_with_history(self):
        self.login(self.owner)
        r = self.client.post(
            self.url(), edit_data(self.party, name="Acme Trading Co", credit_limit="50000.00")
        )
        self.assertEqual(r.status_code, 302)
        self.party.refresh_from_db()
        self.assertEqual(self.party.name, "Acme Trading Co")
        self.assertEqual(self.party.search_name, "acme trading co")
        self.assertEqual(str(self.party.credit_limit), "50000.00")
        self.assertEqual(sorted(self.party.role_values()), ["customer", "supplier"])
        latest = self.party.history.first()
        self.assertEqual(latest.history_user, self.owner)
        self.assertEqual(latest.prev_record.name, "Acme Co")

    def test_it_changes_and_removes_contact_points(self):
        cp = self.party.contact_points.get()
        self.login(self.owner)
        data = edit_data(self.party, **{"cp-0-entry": "02 765 4321"})
        self.client.post(self.url(), data)
        cp.refresh_from_db()
        self.assertEqual(cp.e164, "+6627654321")
        data = edit_data(self.party, **{"cp-0-DELETE": "on"})
        self.client.post(self.url(), data)
        self.assertFalse(ContactPoint.objects.filter(pk=cp.pk).exists())

    def test_it_changes_nothing_on_bad_input(self):
        self.login(self.owner)
        r = self.client.post(
            self.url(), edit_data(self.party, name="", **{"cp-0-entry": "call me maybe"})
        )
        self.assertEqual(r.status_code, 200)
        self.party.refresh_from_db()
        self.assertEqual(self.party.name, "Acme Co")
        self.assertEqual(self.party.contact_points.get().number, "02 123 4567")
        self.assertEqual(self.party.history.count(), 1)

    def test_it_forbids_readonly_and_hides_from_outsiders(self):
        self.login(self.readonly)
        self.assertEqual(self.client.get(self.url()).status_code, 403)
        self.assertEqual(
            self.client.post(self.url(), edit_data(self.party, name="X")).status_code, 403
        )
        self.login(self.outsider)
        self.assertEqual(self.client.get(self.url()).status_code, 404)
        self.party.refresh_from_db()
        self.assertEqual(self.party.name, "Acme Co")


class EditApprovalTests(CustomerEditCase):
    """A17: a role whose edits need approval sends them to a team lead."""

    needs_approval = True

    def request_change(self):
        self.login(self.owner)
        r = self.client.post(
            reverse("parties:edit", args=[self.party.public_id]),
            edit_data(self.party, name="Acme Renamed", **{"cp-0-entry": "02 999 8888"}),
        )
        self.assertEqual(r.status_code, 302)
        return ApprovalRequest.objects.get()

    def test_it_queues_the_edit_instead_of_saving(self):
        cr = self.request_change()
        self.party.refresh_from_db()
        self.assertEqual(self.party.name, "Acme Co")
        self.assertEqual(self.party.contact_points.get().number, "02 123 4567")
        self.assertEqual(cr.status, ApprovalRequest.Status.PENDING)
        self.assertEqual(cr.payload["name"]["new"], "Acme Renamed")
        self.assertIn("contact_points", cr.payload)
        self.assertEqual(cr.requested_by, self.owner)

    def test_a_team_lead_approves_and_the_change_is_applied_with_history(self):
        cr = self.request_change()
        self.login(self.teammate)
        r = self.client.get(reverse("approvals:list"))
        self.assertContains(r, "Acme Renamed")
        r = self.client.post(
            reverse("approvals:decide", args=[cr.public_id, "approve"]), {"note": "ok"}
        )
        self.assertEqual(r.status_code, 302)
        self.party.refresh_from_db()
        self.assertEqual(self.party.name, "Acme Renamed")
        self.assertEqual(self.party.contact_points.get().e164, "+6629998888")
        cr.refresh_from_db()
        self.assertEqual(
            (cr.status, cr.decided_by), (ApprovalRequest.Status.APPROVED, self.teammate)
        )
        latest = self.party.history.first()
        self.assertEqual(latest.history_user, self.owner)
        self.assertIn("teammate", latest.history_change_reason)

    def test_a_team_lead_rejects_and_nothing_changes(self):
        cr = self.request_change()
        self.login(self.teammate)
        self.client.post(reverse("approvals:decide", args=[cr.public_id, "reject"]))
        self.party.refresh_from_db()
        self.assertEqual(self.party.name, "Acme Co")
        cr.refresh_from_db()
        self.assertEqual(cr.status, ApprovalRequest.Status.REJECTED)
        # Deciding twice is refused with a message, not applied.
        self.client.post(reverse("approvals:decide", args=[cr.public_id, "approve"]))
        self.party.refresh_from_db()
        self.assertEqual(self.party.name, "Acme Co")

    def test_operators_and_outsiders_cannot_approve(self):
        cr = self.request_change()
        self.login(self.owner)  # an operator: sees their own request, nothing to decide
        r = self.client.get(reverse("approvals:list"))
        self.assertNotContains(r, reverse("approvals:decide", args=[cr.public_id, "approve"]))
        self.assertEqual(
            self.client.post(
                reverse("approvals:decide", args=[cr.public_id, "approve"])
            ).status_code,
            403,
        )
        self.login(self.outsider)  # cannot see the party at all
        self.assertEqual(
            self.client.post(
                reverse("approvals:decide", args=[cr.public_id, "approve"])
            ).status_code,
            404,
        )
        self.assertEqual(Party.objects.get().name, "Acme Co")


class EditDuplicateWarningTests(BaseTestCase):
    def test_an_edit_that_makes_a_party_match_another_warns_and_saves_on_request(self):
        from mitra.dedupe.models import DuplicateRule

        DuplicateRule.objects.all().delete()
        DuplicateRule.objects.create(name="Same phone", fields=["phone"])
        make_party(self.owner, "Siam Pumps", phone="02 765 4321")
        party = make_party(self.owner, "Acme Co", phone="02 123 4567")
        url = reverse("parties:edit", args=[party.public_id])
        self.login(self.owner)
        # A change the rules do not look at saves without a warning.
        r = self.client.post(url, edit_data(party, comments="Called twice"))
        self.assertEqual(r.status_code, 302)
        data = edit_data(party, **{"cp-0-entry": "02 765 4321"})
        r = self.client.post(url, data)
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Rule “Same phone” matched:")
        self.assertContains(r, "Save anyway")
        self.assertEqual(party.contact_points.get().e164, "+6621234567")
        r = self.client.post(url, {**data, "create_anyway": "1"})
        self.assertEqual(r.status_code, 302)
        self.assertEqual(party.contact_points.get().e164, "+6627654321")
