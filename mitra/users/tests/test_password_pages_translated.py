"""Every string on the password change and reset pages speaks Thai and Persian, Django's
own password messages included (issue 9, part 9)."""

import re
from html.parser import HTMLParser

from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from mitra.core.testing import PASSWORD, BaseTestCase

# Latin in every language: the product, "API", the languages' own names, and data (the
# signed-in user's name and role).
ALLOWED = {"Mitra", "CRM", "English", "API", "owner", "Owner"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "title"):
            self._skip += 1
        for name, value in attrs:
            if name in ("placeholder", "aria-label", "title", "alt") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "title"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def english_words(html):
    parser = _Text()
    parser.feed(html)
    text = " ".join(parser.parts)
    return sorted({w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in ALLOWED})


class PasswordPagesSpeakTheUsersLanguageTest(BaseTestCase):
    def speak(self, language):
        self.owner.refresh_from_db()  # the pages save the user too (a new version)
        self.owner.language = language
        self.owner.save()
        self.client.cookies["mitra_language"] = language

    def assert_no_english(self, response, language):
        words = english_words(response.content.decode())
        self.assertEqual(words, [], f"English left on {response.request['PATH_INFO']} ({language})")

    def test_the_change_page_and_every_validator_message(self):
        for language in ("th", "fa"):
            with self.subTest(language=language):
                self.speak(language)
                self.login(self.owner)
                url = reverse("password_change")
                self.assert_no_english(self.client.get(url), language)
                for old, new1, new2 in (
                    ("wrong old one", "x9", "x9"),  # wrong old, too short
                    (PASSWORD, "password", "password"),  # too common
                    (PASSWORD, "83920174659", "83920174659"),  # entirely numeric
                    (PASSWORD, "owner@example.com", "owner@example.com"),  # like the email
                    (PASSWORD, "a fine long secret 1", "another long secret 2"),  # mismatch
                ):
                    r = self.client.post(
                        url, {"old_password": old, "new_password1": new1, "new_password2": new2}
                    )
                    self.assertEqual(r.status_code, 200)
                    self.assertTrue(r.context["form"].errors)
                    self.assert_no_english(r, language)
                r = self.client.post(
                    url,
                    {
                        "old_password": PASSWORD,
                        "new_password1": f"a fine long secret {language}",
                        "new_password2": f"a fine long secret {language}",
                    },
                    follow=True,
                )
                self.assertRedirects(r, reverse("password_change_done"))
                self.assert_no_english(r, language)
                self.owner.refresh_from_db()
                self.owner.set_password(PASSWORD)
                self.owner.save()

    def test_the_reset_pages_and_email(self):
        for language in ("th", "fa"):
            with self.subTest(language=language):
                self.client.logout()
                self.speak(language)
                mail.outbox.clear()
                url = reverse("password_reset")
                self.assert_no_english(self.client.get(url), language)
                r = self.client.post(url, {"email": "not an email"})
                self.assert_no_english(r, language)
                r = self.client.post(url, {"email": "owner@example.com"}, follow=True)
                self.assert_no_english(r, language)
                (message,) = mail.outbox
                text = re.sub(r"https?://\S+", "", f"{message.subject}\n{message.body}")
                self.assertEqual(english_words(text), [], f"English in the email ({language})")
                uid = urlsafe_base64_encode(force_bytes(self.owner.pk))
                token = default_token_generator.make_token(self.owner)
                confirm = reverse("password_reset_confirm", args=[uid, token])
                r = self.client.get(confirm, follow=True)
                self.assert_no_english(r, language)
                set_url = r.redirect_chain[-1][0] if r.redirect_chain else confirm
                r = self.client.post(set_url, {"new_password1": "1234", "new_password2": "12"})
                self.assertTrue(r.context["form"].errors)
                self.assert_no_english(r, language)
                bad = reverse("password_reset_confirm", args=[uid, "bad-token"])
                self.assert_no_english(self.client.get(bad), language)
                self.assert_no_english(
                    self.client.get(reverse("password_reset_complete")), language
                )
