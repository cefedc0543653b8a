from mitra.core.approvals.models import ApprovalRequest
from mitra.core.testing import BaseTestCase, edits_need_approval
from mitra.parties import actions
from mitra.parties.models import ContactPoint, Party, RoleKind

from .factories import make_customer, make_group, make_party

API = "/api/v1"


class PartyApiTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.acme = make_customer(cls.p.owner, city="Bangkok")
        cls.secret = make_party(cls.p.outsider, "Beta Secret", roles=[RoleKind.CUSTOMER])

    def test_it_lists_only_visible_parties(self):
        self.login(self.owner)
        data = self.client.get(f"{API}/parties/").json()
        self.assertEqual([p["name"] for p in data["results"]], ["Acme Co"])
        row = data["results"][0]
        self.assertEqual(row["roles"], ["customer"])
        self.assertEqual(row["contact_points"][0]["e164"], "+6621234567")
        self.login(self.outsider)
        self.assertEqual(
            [p["name"] for p in self.client.get(f"{API}/parties/").json()["results"]],
            ["Beta Secret"],
        )
        self.assertEqual(self.client.get(f"{API}/parties/{self.acme.public_id}/").status_code, 404)

    def test_it_filters(self):
        self.login(self.teammate)
        self.assertEqual(
            len(self.client.get(f"{API}/parties/", {"q": "acme"}).json()["results"]), 1
        )
        self.assertEqual(
            len(self.client.get(f"{API}/parties/", {"role": "supplier"}).json()["results"]), 0
        )

    def test_it_creates_a_party_with_contact_points(self):
        self.login(self.owner)
        payload = {
            "kind": "person",
            "first_name": "سارا",
            "last_name": "کریمی",
            "roles": ["lead", "customer"],
            "contact_points": [
                {"kind": "mobile", "country_code": "98", "number": "۰۹۱۲ ۳۴۵ ۶۷۸۹"},
                {"kind": "email", "value": "Sara@Example.com"},
            ],
            "addresses": [{"kind": "contact", "city": "تهران", "country": "ir"}],
        }
        r = self.client.post(f"{API}/parties/", payload, content_type="application/json")
        self.assertEqual(r.status_code, 201, r.content)
        data = r.json()
        self.assertEqual(data["name"], "سارا کریمی")
        self.assertTrue(data["code"].startswith("P"))
        party = Party.objects.get(public_id=data["id"])
        self.assertEqual(party.owner, self.owner)
        self.assertEqual(sorted(party.role_values()), ["customer", "lead"])
        self.assertEqual(party.contact_points.get(kind="mobile").e164, "+989123456789")
        self.assertEqual(party.contact_points.get(kind="email").value, "sara@example.com")
        self.assertEqual(party.addresses.get().country, "IR")

    def test_it_rejects_bad_input_and_saves_nothing(self):
        self.login(self.owner)
        payload = {
            "kind": "organisation",
            "name": "",
            "contact_points": [{"kind": "phone", "number": "abc"}],
        }
        r = self.client.post(f"{API}/parties/", payload, content_type="application/json")
        self.assertEqual(r.status_code, 400)
        r = self.client.post(
            f"{API}/parties/",
            {"kind": "organisation", "name": "X", "code": self.acme.code},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 400)
        self.assertIn("code", r.json()["error"]["fields"])
        self.assertEqual(Party.objects.count(), 2)

    def test_it_updates_and_deletes_through_the_actions(self):
        self.login(self.owner)
        url = f"{API}/parties/{self.acme.public_id}/"
        r = self.client.patch(
            url,
            {"name": "Acme Trading", "roles": ["customer", "dealer"]},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 200, r.content)
        self.acme.refresh_from_db()
        self.assertEqual(self.acme.name, "Acme Trading")
        self.assertEqual(self.acme.history.first().history_user, self.owner)
        self.assertEqual(sorted(self.acme.role_values()), ["customer", "dealer"])
        self.assertEqual(self.acme.contact_points.count(), 1)  # not given: unchanged
        self.assertEqual(self.client.delete(url).status_code, 204)
        self.assertTrue(Party.all_objects.get(pk=self.acme.pk).in_trash)

    def test_a_delete_blocker_does_not_keep_a_party_out_of_the_trash(self):
        blocker = actions.register_delete_blocker(lambda party: "It has invoices.")
        try:
            self.login(self.owner)
            r = self.client.delete(f"{API}/parties/{self.acme.public_id}/")
            self.assertEqual(r.status_code, 204)
            self.assertTrue(Party.all_objects.get(pk=self.acme.pk).in_trash)
            with self.assertRaises(actions.DeleteBlocked) as caught:
                actions.purge_party(Party.all_objects.get(pk=self.acme.pk), acting_user=self.admin)
            self.assertEqual(caught.exception.reasons, ["It has invoices."])
        finally:
            actions._delete_blockers.remove(blocker)

    def test_readonly_may_read_but_not_write(self):
        self.login(self.readonly)
        url = f"{API}/parties/{self.acme.public_id}/"
        self.assertEqual(self.client.get(url).status_code, 200)
        self.assertEqual(
            self.client.patch(url, {"name": "X"}, content_type="application/json").status_code, 403
        )
        self.assertEqual(
            self.client.post(
                f"{API}/parties/",
                {"kind": "organisation", "name": "X"},
                content_type="application/json",
            ).status_code,
            403,
        )

    def test_edits_needing_approval_answer_202(self):
        edits_need_approval(self.p.roles["owner"])
        self.login(self.owner)
        r = self.client.patch(
            f"{API}/parties/{self.acme.public_id}/",
            {"name": "Renamed"},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 202)
        self.assertEqual(ApprovalRequest.objects.get().payload["name"]["new"], "Renamed")
        self.acme.refresh_from_db()
        self.assertEqual(self.acme.name, "Acme Co")


class ChildApiTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.acme = make_customer(cls.p.owner)
        cls.secret = make_party(cls.p.outsider, "Beta Secret", phone="02 999 9999")

    def test_contact_points_are_scoped_and_editable(self):
        self.login(self.owner)
        rows = self.client.get(f"{API}/contact-points/").json()["results"]
        self.assertEqual([r["value"] for r in rows], ["02 123 4567"])
        r = self.client.post(
            f"{API}/contact-points/",
            {"party": str(self.acme.public_id), "kind": "email", "value": "A@B.example"},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 201, r.content)
        cp_id = r.json()["id"]
        r = self.client.patch(
            f"{API}/contact-points/{cp_id}/",
            {"value": "c@d.example"},
            content_type="application/json",
        )
        self.assertEqual(r.json()["value"], "c@d.example")
        self.assertEqual(self.client.delete(f"{API}/contact-points/{cp_id}/").status_code, 204)
        self.assertEqual(ContactPoint.objects.filter(party=self.acme).count(), 1)
        secret_cp = self.secret.contact_points.get()
        self.assertEqual(self.client.get(f"{API}/contact-points/{secret_cp.pk}/").status_code, 404)
        r = self.client.post(
            f"{API}/contact-points/",
            {"party": str(self.secret.public_id), "kind": "email", "value": "x@y.example"},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 400)

    def test_roles_and_addresses(self):
        self.login(self.owner)
        r = self.client.post(
            f"{API}/party-roles/",
            {"party": str(self.acme.public_id), "role": "supplier"},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 201, r.content)
        self.assertEqual(sorted(self.acme.role_values()), ["customer", "supplier"])
        self.assertEqual(
            self.client.delete(f"{API}/party-roles/{r.json()['id']}/").status_code, 204
        )
        r = self.client.post(
            f"{API}/addresses/",
            {
                "party": str(self.acme.public_id),
                "kind": "billing",
                "city": "Bangkok",
                "country": "th",
                "latitude": "13.7",
                "longitude": "100.5",
            },
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 201, r.content)
        self.assertIn("openstreetmap", r.json()["map_url"])
        r = self.client.post(
            f"{API}/addresses/",
            {"party": str(self.acme.public_id), "latitude": "123", "longitude": "1"},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 400)

    def test_groups(self):
        root = make_group("Industry")
        self.login(self.admin)  # groups are shared configuration (see test_configuration_right)
        r = self.client.post(
            f"{API}/party-groups/",
            {"name": "Automotive", "parent": str(root.public_id)},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 201, r.content)
        self.assertEqual(r.json()["depth"], 1)
        self.login(self.readonly)
        self.assertEqual(len(self.client.get(f"{API}/party-groups/").json()["results"]), 2)
        self.assertEqual(
            self.client.post(
                f"{API}/party-groups/", {"name": "X"}, content_type="application/json"
            ).status_code,
            403,
        )

    def test_the_schema_is_served(self):
        self.login(self.admin)
        r = self.client.get("/api/schema/")
        self.assertEqual(r.status_code, 200)
        self.assertIn(b"/api/v1/parties/", r.content)
        self.assertIn(b"/api/v1/contact-points/", r.content)
