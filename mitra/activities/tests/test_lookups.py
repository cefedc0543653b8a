from django.urls import reverse

from mitra.core.testing import BaseTestCase

from ..models import Lookup

URL = reverse("activities:lookups")


class LookupsTests(BaseTestCase):
    def test_an_administrator_adds_and_renames_codes(self):
        self.login(self.admin)
        response = self.client.post(
            URL, {"kind": "medium", "name": "LINE", "order": "1", "is_active": "on"}
        )
        self.assertRedirects(response, URL)
        code = Lookup.objects.get(name="LINE")
        edit = reverse("activities:lookup_edit", args=[code.public_id])
        self.client.post(
            edit, {"kind": "medium", "name": "LINE OA", "order": "1", "is_active": "on"}
        )
        code.refresh_from_db()
        self.assertEqual(code.name, "LINE OA")

    def test_it_refuses_a_duplicate_name_in_the_same_list(self):
        Lookup.objects.create(module="interactions", kind="result", name="Ordered")
        self.login(self.admin)
        response = self.client.post(URL, {"kind": "result", "name": "ordered", "order": "0"})
        self.assertContains(response, "already has a code with that name")
        self.assertEqual(Lookup.objects.count(), 1)
        # The same name in another list is fine.
        self.client.post(URL, {"kind": "reason", "name": "Ordered", "order": "0"})
        self.assertEqual(Lookup.objects.count(), 2)

    def test_business_users_cannot_open_the_settings(self):
        self.login(self.teammate)
        self.assertEqual(self.client.get(URL).status_code, 403)
        self.assertEqual(self.client.post(URL, {"kind": "medium", "name": "x"}).status_code, 403)
        self.assertFalse(Lookup.objects.exists())

    def test_the_forms_offer_only_active_codes_of_the_right_list(self):
        Lookup.objects.create(module="interactions", kind="result", name="Ordered")
        Lookup.objects.create(
            module="interactions", kind="result", name="Old result", is_active=False
        )
        Lookup.objects.create(module="interactions", kind="medium", name="Radio")
        self.login(self.owner)
        response = self.client.get(reverse("activities:interaction_create"))
        results = [str(c) for c in response.context["form"].fields["result"].queryset]
        self.assertEqual(results, ["Ordered"])
