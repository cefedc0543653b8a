"""A17 edit approval when the record moved on: refused with a message, nothing lost, no 500."""

from unittest import mock

from django.urls import reverse

from mitra.core.approvals.models import ApprovalRequest
from mitra.core.testing import BaseTestCase, edits_need_approval
from mitra.parties.models import ContactPoint, Kind, Party, RoleKind

from .factories import make_party
from .test_edit import CustomerEditCase, edit_data


class ApprovalConflictTests(CustomerEditCase):
    needs_approval = True

    def edit(self, user, **overrides):
        self.login(user)
        r = self.client.post(
            reverse("parties:edit", args=[self.party.public_id]),
            edit_data(self.party, **overrides),
        )
        self.assertEqual(
            r.status_code, 302, getattr(r, "context", None) and r.context["form"].errors
        )
        return r

    def approve(self, cr):
        self.login(self.teammate)
        return self.client.post(
            reverse("approvals:decide", args=[cr.public_id, "approve"]), follow=True
        )

    def test_approving_after_a_lead_added_an_email_is_refused_and_the_email_stays(self):
        self.edit(self.owner, **{"cp-0-entry": "02 999 8888"})  # waits for approval
        cr = ApprovalRequest.objects.get()
        # Meanwhile the team lead adds an email (saved at once: no approval needed).
        data = edit_data(self.party)
        data.update(
            {"cp-TOTAL_FORMS": "2", "cp-1-kind": "email", "cp-1-entry": "lead@acme.example"}
        )
        self.login(self.teammate)
        self.client.post(reverse("parties:edit", args=[self.party.public_id]), data)
        self.assertTrue(self.party.contact_points.filter(value="lead@acme.example").exists())

        r = self.approve(cr)
        self.assertContains(r, "was changed after this request was made")
        self.assertContains(r, "contact points")
        self.assertEqual(
            sorted(self.party.contact_points.values_list("kind", flat=True)), ["email", "phone"]
        )
        self.assertEqual(self.party.contact_points.get(kind="phone").number, "02 123 4567")
        cr.refresh_from_db()
        self.assertEqual(cr.status, ApprovalRequest.Status.PENDING)
        # Rejecting it still works.
        self.client.post(reverse("approvals:decide", args=[cr.public_id, "reject"]))
        cr.refresh_from_db()
        self.assertEqual(cr.status, ApprovalRequest.Status.REJECTED)

    def test_approving_after_a_field_it_changes_was_changed_is_refused(self):
        self.edit(self.owner, name="Acme Renamed")
        cr = ApprovalRequest.objects.get()
        Party.objects.filter(pk=self.party.pk).update(name="Acme Lead's Name")
        r = self.approve(cr)
        self.assertContains(r, "was changed after this request was made")
        self.assertEqual(Party.objects.get(pk=self.party.pk).name, "Acme Lead's Name")

    def test_changes_to_other_fields_meanwhile_do_not_block_and_are_kept(self):
        self.edit(self.owner, name="Acme Renamed")
        cr = ApprovalRequest.objects.get()
        Party.objects.filter(pk=self.party.pk).update(comments="lead's note")
        r = self.approve(cr)
        self.assertContains(r, "was applied")
        party = Party.objects.get(pk=self.party.pk)
        self.assertEqual((party.name, party.comments), ("Acme Renamed", "lead's note"))

    def test_a_code_taken_meanwhile_is_a_message_not_a_500(self):
        self.edit(self.owner, code="VIP-1")
        cr = ApprovalRequest.objects.get()
        make_party(self.teammate, "Other Co", code="vip-1")
        r = self.approve(cr)
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Another party already has this code.")
        self.assertNotEqual(Party.objects.get(pk=self.party.pk).code, "VIP-1")
        cr.refresh_from_db()
        self.assertEqual(cr.status, ApprovalRequest.Status.PENDING)


class UniqueRaceTests(BaseTestCase):
    """The check before saving can lose a race; the database's constraint then answers,
    and that answer is a form error too."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.party = make_party(cls.p.owner, "Acme Co", phone="02 123 4567")
        cls.other = make_party(cls.p.owner, "Other Co", code="TAKEN")

    def test_a_code_taken_between_check_and_save_is_a_form_error(self):
        self.login(self.owner)
        with mock.patch("mitra.parties.actions._check_code_free"):
            r = self.client.post(
                reverse("parties:edit", args=[self.party.public_id]),
                edit_data(self.party, code="TAKEN"),
            )
        self.assertEqual(r.status_code, 200)
        self.assertIn("code", r.context["form"].errors)
        self.assertNotEqual(Party.objects.get(pk=self.party.pk).code, "TAKEN")

    def test_creating_with_a_code_taken_between_check_and_save_is_a_form_error(self):
        from .test_create import form_data

        self.login(self.owner)
        with mock.patch("mitra.parties.actions._check_code_free"):
            r = self.client.post(
                reverse("parties:create"), form_data(code="TAKEN", create_anyway="1")
            )
        self.assertEqual(r.status_code, 200)
        self.assertIn("code", r.context["form"].errors)
        self.assertEqual(Party.objects.filter(code="TAKEN").count(), 1)


class ApprovalScreenTests(BaseTestCase):
    """The approvals screen shows only what the request changes."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        edits_need_approval(cls.p.roles["owner"])
        cls.party = make_party(
            cls.p.owner, "Somchai Jaidee", kind=Kind.PERSON, phone="081 234 5678"
        )

    def test_a_persons_unchanged_name_is_not_shown_as_erased(self):
        self.login(self.owner)
        data = edit_data(
            self.party,
            kind="person",
            name="",
            first_name="Somchai",
            last_name="Jaidee",
            **{"cp-0-entry": "081 999 0000"},
        )
        r = self.client.post(reverse("parties:edit", args=[self.party.public_id]), data)
        self.assertEqual(r.status_code, 302)
        cr = ApprovalRequest.objects.get()
        self.assertIn("contact_points", cr.payload)
        self.assertNotIn("name", cr.payload)
        self.login(self.teammate)
        r = self.client.get(reverse("approvals:list"))
        self.assertContains(r, "081 999 0000")
        self.assertNotContains(r, "<del>Somchai Jaidee</del>")
        labels = [str(row[0]) for row in r.context["page"].object_list[0].field_rows]
        self.assertNotIn("name", labels)

    def test_a_renamed_person_shows_the_name_change(self):
        self.login(self.owner)
        data = edit_data(
            self.party, kind="person", name="", first_name="Somsak", last_name="Jaidee"
        )
        self.client.post(reverse("parties:edit", args=[self.party.public_id]), data)
        cr = ApprovalRequest.objects.get()
        self.assertEqual(cr.payload["name"]["new"], "Somsak Jaidee")
        self.assertEqual(ContactPoint.objects.get(party=self.party).number, "081 234 5678")


class ApprovalEventTests(BaseTestCase):
    """The approval engine's events, through a party edit that needs approval."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        edits_need_approval(cls.p.roles["owner"])
        cls.party = make_party(cls.p.owner, "Acme Co", roles=[RoleKind.CUSTOMER])

    edit = ApprovalConflictTests.edit
    approve = ApprovalConflictTests.approve

    def events(self, pattern=None):
        from mitra.core.events import Event

        qs = Event.objects.for_party(self.party)
        if pattern:
            qs = qs.of_type(pattern)
        return list(qs.order_by("created_at", "pk"))

    def test_a_request_and_its_approval_are_events_and_the_change_is_party_updated(self):
        self.edit(self.owner, name="Acme Renamed")
        cr = ApprovalRequest.objects.get()
        (requested,) = self.events("approval.*")
        self.assertEqual(requested.type, "approval.requested")
        self.assertEqual(requested.actor, self.owner)
        self.assertEqual(requested.payload["request"], str(cr.public_id))
        self.assertEqual(self.events("party.updated"), [])  # nothing changed yet
        self.approve(cr)
        types = [e.type for e in self.events()]
        self.assertEqual(types[-2:], ["party.updated", "approval.approved"])
        updated, approved = self.events()[-2:]
        self.assertIn("name", updated.payload["fields"])
        self.assertEqual(updated.actor, self.owner)  # the change is made in the requester's name
        self.assertEqual(approved.actor, self.teammate)
        # Whoever may see the party sees the events; an outsider does not.
        from mitra.core.events import Event

        self.assertTrue(Event.objects.visible_to(self.teammate).filter(pk=approved.pk).exists())
        self.assertFalse(Event.objects.visible_to(self.outsider).filter(pk=approved.pk).exists())

    def test_a_rejection_is_an_event_and_changes_nothing(self):
        self.edit(self.owner, name="Acme Renamed")
        cr = ApprovalRequest.objects.get()
        self.login(self.teammate)
        self.client.post(reverse("approvals:decide", args=[cr.public_id, "reject"]), {"note": "no"})
        self.assertEqual(
            [e.type for e in self.events("approval.*")],
            ["approval.requested", "approval.rejected"],
        )
        self.assertEqual(self.events("approval.rejected")[0].payload["comment"], "no")
        self.assertEqual(self.events("party.updated"), [])

    def test_a_refused_stale_approval_records_no_event(self):
        self.edit(self.owner, name="Acme Renamed")
        cr = ApprovalRequest.objects.get()
        self.login(self.teammate)
        self.client.post(
            reverse("parties:edit", args=[self.party.public_id]),
            edit_data(self.party, name="Acme Elsewhere"),
        )
        before = [e.type for e in self.events()]
        r = self.approve(cr)
        self.assertContains(r, "was changed after this request was made")
        self.assertEqual([e.type for e in self.events()], before)
