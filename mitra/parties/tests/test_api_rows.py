"""The API's contact-point and address endpoints add, change or remove exactly one row: a
write by someone else between this request's read and its write is never undone."""

from django.db.models.signals import pre_delete, pre_save
from django.test import Client

from mitra.core.approvals.models import ApprovalRequest
from mitra.core.testing import BaseTestCase, edits_need_approval
from mitra.parties.models import Address, ContactPoint, Party, PartyRole

from .factories import make_customer

API = "/api/v1"


class OneRowAtATimeTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.acme = make_customer(cls.p.owner, city="Bangkok")

    def meanwhile(self, write):
        """Run `write` (another person's request) the first time this request is about to
        write the party or one of its rows: after it read what it read, before it writes."""
        fired = []

        def hook(sender, **kwargs):
            if fired or sender not in (Party, ContactPoint, Address, PartyRole):
                return
            fired.append(sender)
            write()

        for signal in (pre_save, pre_delete):
            signal.connect(hook, weak=False, dispatch_uid="meanwhile")
            self.addCleanup(signal.disconnect, dispatch_uid="meanwhile")
        return fired

    def other_client(self, user):
        client = Client()
        client.force_login(user)
        return client

    def post(self, client, path, data):
        return client.post(f"{API}/{path}/", data, content_type="application/json")

    def post_both(self, other, path, theirs, mine):
        """Acme's row `theirs` posted to `path` by `other` while this client's `mine` is
        about to write; returns (whether theirs ran, my answer, their answer)."""
        party = {"party": str(self.acme.public_id)}
        answers = []
        fired = self.meanwhile(lambda: answers.append(self.post(other, path, party | theirs)))
        mine = self.post(self.client, path, party | mine)
        return fired, mine, answers[0] if answers else None

    def test_two_concurrent_contact_point_creates_both_survive(self):
        other = self.other_client(self.teammate)
        self.login(self.owner)
        # Both callers read the party (and its one phone) before either writes.
        for c in (self.client, other):
            self.assertEqual(
                len(c.get(f"{API}/contact-points/?party={self.acme.public_id}").json()["results"]),
                1,
            )
        fired, r, theirs = self.post_both(
            other,
            "contact-points",
            {"kind": "email", "value": "b@acme.example"},
            {"kind": "email", "value": "a@acme.example"},
        )
        self.assertTrue(fired)
        self.assertEqual((r.status_code, theirs.status_code), (201, 201))
        self.assertEqual(
            sorted(self.acme.contact_points.values_list("value", flat=True)),
            ["02 123 4567", "a@acme.example", "b@acme.example"],
        )

    def test_two_concurrent_address_creates_both_survive(self):
        other = self.other_client(self.teammate)
        self.login(self.owner)
        _fired, r, theirs = self.post_both(
            other,
            "addresses",
            {"city": "Chiang Mai", "country": "th"},
            {"city": "Phuket", "country": "th"},
        )
        self.assertEqual((r.status_code, theirs.status_code), (201, 201))
        self.assertEqual(
            sorted(self.acme.addresses.values_list("city", flat=True)),
            ["Bangkok", "Chiang Mai", "Phuket"],
        )

    def test_a_delete_and_a_concurrent_create_both_take_effect(self):
        other = self.other_client(self.teammate)
        self.login(self.owner)
        phone = self.acme.contact_points.get()
        fired = self.meanwhile(
            lambda: self.post(
                other,
                "contact-points",
                {"party": str(self.acme.public_id), "kind": "email", "value": "b@acme.example"},
            )
        )
        r = self.client.delete(f"{API}/contact-points/{phone.pk}/")
        self.assertEqual(r.status_code, 204)
        self.assertTrue(fired)
        self.assertEqual(
            list(self.acme.contact_points.values_list("value", flat=True)), ["b@acme.example"]
        )

    def test_two_concurrent_role_adds_both_survive(self):
        other = self.other_client(self.teammate)
        self.login(self.owner)
        _fired, r, theirs = self.post_both(
            other, "party-roles", {"role": "dealer"}, {"role": "supplier"}
        )
        self.assertEqual((r.status_code, theirs.status_code), (201, 201))
        self.assertEqual(sorted(self.acme.role_values()), ["customer", "dealer", "supplier"])

    def test_a_change_touches_only_its_row_and_keeps_history(self):
        self.login(self.owner)
        phone = self.acme.contact_points.get()
        r = self.client.patch(
            f"{API}/contact-points/{phone.pk}/",
            {"number": "02 765 4321"},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 200, r.content)
        phone.refresh_from_db()
        self.assertEqual(phone.e164, "+6627654321")
        self.assertEqual(phone.history.first().history_user, self.owner)

    def test_a_row_edit_needing_approval_waits_and_changes_nothing(self):
        edits_need_approval(self.p.roles["owner"])
        self.login(self.owner)
        r = self.post(
            self.client,
            "contact-points",
            {"party": str(self.acme.public_id), "kind": "email", "value": "a@acme.example"},
        )
        self.assertEqual(r.status_code, 202, r.content)
        self.assertEqual(self.acme.contact_points.count(), 1)
        change = ApprovalRequest.objects.get().payload["contact_points"]
        self.assertEqual(len(change["old"]), 1)
        self.assertEqual([row["value"] for row in change["new"]], ["02 123 4567", "a@acme.example"])

    def test_outsiders_and_readonly_cannot_add_rows(self):
        for user, code in ((self.outsider, 400), (self.readonly, 403)):
            self.login(user)
            r = self.post(
                self.client,
                "contact-points",
                {"party": str(self.acme.public_id), "kind": "email", "value": "x@y.example"},
            )
            self.assertEqual(r.status_code, code)
        self.assertEqual(self.acme.contact_points.count(), 1)
