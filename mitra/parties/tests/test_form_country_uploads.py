"""The party form: the country select, errors listed at the top, uploads kept across a
submit that did not save."""

import io

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from mitra.core.countries import country_choices, find_country
from mitra.core.testing import BaseTestCase
from mitra.parties.models import Party
from mitra.parties.uploads import FOLDER

from .test_create import form_data


def png(name="logo.png"):
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


class CountrySelectTests(BaseTestCase):
    url = reverse("parties:create")

    def test_a_country_typed_as_a_name_in_any_language_is_stored_as_its_code(self):
        self.login(self.owner)
        for n, typed in enumerate(("ไทย", "تایلند", "تايلند", "Thailand", "th")):
            r = self.client.post(
                self.url,
                form_data(name=f"Siam {n}", create_anyway="1", **{"addr-0-country": typed}),
            )
            self.assertEqual(r.status_code, 302, typed)
            self.assertEqual(Party.objects.get(name=f"Siam {n}").addresses.get().country, "TH")

    def test_an_unknown_country_is_an_error_and_nothing_is_saved(self):
        self.login(self.owner)
        r = self.client.post(self.url, form_data(**{"addr-0-country": "Atlantis"}))
        self.assertContains(r, "Choose a country from the list.")
        self.assertFalse(Party.objects.exists())

    def test_the_form_offers_a_select_of_names_in_the_users_language(self):
        self.login(self.owner)
        r = self.client.get(self.url)
        self.assertContains(r, 'name="addr-0-country"')
        self.assertContains(r, "data-country-select")
        self.assertContains(r, '<option value="TH" data-search="thailand ไทย تایلند th">Thailand')
        self.assertContains(r, "parties/country_select.js")
        self.owner.language = "fa"
        self.owner.save()
        r = self.client.get(self.url)
        self.assertContains(r, 'data-search="thailand ไทย تایلند th">تایلند</option>')

    def test_names_are_sorted_in_each_language(self):
        with translation.override("th"):
            names = [name for _code, name in country_choices()]
        self.assertLess(names.index("กรีซ"), names.index("ไทย"))
        self.assertLess(names.index("ไทย"), names.index("ฝรั่งเศส"))  # ไ sorts as ท
        self.assertEqual(find_country("ایران"), "IR")
        self.assertIsNone(find_country("Narnia"))

    def test_imports_read_any_countrys_name_too(self):
        from mitra.parties.importers import country

        self.assertEqual(country("ญี่ปุ่น"), "JP")
        self.assertEqual(country("ژاپن"), "JP")
        self.assertEqual(country("Japan"), "JP")


class ErrorSummaryTests(BaseTestCase):
    def test_errors_are_listed_at_the_top_with_links_to_the_fields(self):
        self.login(self.owner)
        bad = form_data(name="", **{"addr-0-latitude": "123", "cp-0-entry": "not a phone"})
        r = self.client.post(reverse("parties:create"), bad)
        content = r.content.decode()
        top = content.index('id="form-errors"')
        self.assertLess(top, content.index('name="kind"'))
        self.assertIn('<a href="#id_name" class="alert-link">Name</a>', content[top : top + 3000])
        self.assertIn('href="#id_addr-0-latitude"', content[top : top + 3000])
        self.assertIn("Addresses, row 1: Latitude", content)
        self.assertIn('href="#id_cp-0-entry"', content[top : top + 3000])
        self.assertIn('id="id_addr-0-latitude"', content)


class KeptUploadTests(BaseTestCase):
    url = reverse("parties:create")

    def test_a_photo_chosen_on_a_form_that_failed_is_used_on_the_next_save(self):
        self.login(self.owner)
        r = self.client.post(self.url, form_data(photo=png(), **{"addr-0-country": "Atlantis"}))
        self.assertContains(r, "Kept from your last try")
        widget = r.context["form"].fields["photo"].widget
        token = widget.pending["token"]
        self.assertContains(r, f'name="photo__pending" value="{token}"')
        self.assertFalse(Party.objects.exists())
        kept = self.client.session["pending_uploads"][token]["path"]
        self.assertTrue(default_storage.exists(kept))
        r = self.client.post(self.url, form_data(photo__pending=token))
        self.assertEqual(r.status_code, 302)
        party = Party.objects.get()
        self.assertTrue(party.photo.name.endswith(".png"))
        self.assertTrue(default_storage.exists(party.photo.name))
        self.assertFalse(default_storage.exists(kept))
        self.assertNotIn(token, self.client.session["pending_uploads"])

    def test_a_photo_is_kept_across_the_duplicate_warning_too(self):
        from .factories import make_party

        make_party(self.owner, "Siam Tech Co.", phone="02 123 4567")
        self.login(self.owner)
        r = self.client.post(self.url, form_data(photo=png()))
        self.assertContains(r, "may already be in the database")
        token = r.context["form"].fields["photo"].widget.pending["token"]
        r = self.client.post(self.url, form_data(photo__pending=token, create_anyway="1"))
        self.assertEqual(r.status_code, 302)
        self.assertTrue(Party.objects.get(name="Siam Tech Co").photo)

    def test_a_token_from_another_session_is_ignored(self):
        self.login(self.owner)
        r = self.client.post(self.url, form_data(photo=png(), **{"addr-0-country": "Atlantis"}))
        token = r.context["form"].fields["photo"].widget.pending["token"]
        self.client.logout()
        self.login(self.teammate)
        r = self.client.post(self.url, form_data(photo__pending=token))
        self.assertEqual(r.status_code, 302)
        self.assertFalse(Party.objects.get().photo)
        self.assertTrue(default_storage.exists(f"{FOLDER}/{token}/logo.png"))

    def test_a_bad_image_is_not_kept(self):
        self.login(self.owner)
        bad = SimpleUploadedFile("logo.png", b"not an image", content_type="image/png")
        r = self.client.post(self.url, form_data(photo=bad))
        self.assertEqual(r.status_code, 200)
        self.assertIsNone(r.context["form"].fields["photo"].widget.pending)
        self.assertNotContains(r, "photo__pending")
