from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from mitra.core.testing import BaseTestCase


class LoginTest(BaseTestCase):
    def test_it_signs_in_with_the_right_password(self):
        r = self.client.post(reverse("login"), {"username": "owner", "password": self.p.password})
        self.assertRedirects(r, reverse("home"))

    def test_it_explains_a_wrong_password(self):
        r = self.client.post(reverse("login"), {"username": "owner", "password": "nope"})
        self.assertContains(r, "Please enter a correct username and password")
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_sends_anonymous_visitors_to_sign_in(self):
        r = self.client.get(reverse("home"))
        self.assertRedirects(r, reverse("login") + "?next=/")

    def test_it_locks_out_after_repeated_failures(self):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            self.client.post(reverse("login"), {"username": "owner", "password": "wrong"})
        r = self.client.post(reverse("login"), {"username": "owner", "password": self.p.password})
        self.assertEqual(r.status_code, 429)
        self.assertContains(r, "Too many failed sign-in attempts", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_lockout_of_one_user_leaves_others_alone(self):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            self.client.post(reverse("login"), {"username": "owner", "password": "wrong"})
        r = self.client.post(
            reverse("login"), {"username": "teammate", "password": self.p.password}
        )
        self.assertRedirects(r, reverse("home"))

    def test_it_rejects_inactive_users(self):
        self.owner.is_active = False
        self.owner.save()
        r = self.client.post(reverse("login"), {"username": "owner", "password": self.p.password})
        self.assertEqual(r.status_code, 200)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_logout_needs_post_and_ends_the_session(self):
        self.login(self.owner)
        r = self.client.post(reverse("logout"))
        self.assertRedirects(r, reverse("login"))
        self.assertRedirects(self.client.get(reverse("home")), reverse("login") + "?next=/")


class SessionTest(BaseTestCase):
    def test_sessions_expire_when_idle(self):
        self.assertIn("mitra.core.sessions.SessionRefreshMiddleware", settings.MIDDLEWARE)
        self.assertLessEqual(settings.SESSION_COOKIE_AGE, 24 * 3600)

    def test_an_active_session_is_pushed_forward_but_not_on_every_request(self):
        from unittest import mock

        from django.contrib.sessions.models import Session

        def expiry():
            return Session.objects.get(session_key=self.client.session.session_key).expire_date

        self.client.post(reverse("login"), {"username": "owner", "password": self.p.password})
        self.client.get(reverse("home"))
        first = expiry()
        self.client.get(reverse("home"))
        self.assertEqual(expiry(), first)  # no write on every request
        with mock.patch("time.time", return_value=10**10):
            self.client.get(reverse("home"))
        self.assertGreater(expiry(), first)

    @override_settings(SESSION_COOKIE_AGE=1)
    def test_it_signs_out_an_expired_session(self):
        import time

        self.client.post(reverse("login"), {"username": "owner", "password": self.p.password})
        time.sleep(1.2)
        r = self.client.get(reverse("home"))
        self.assertEqual(r.status_code, 302)


class PasswordHashingTest(BaseTestCase):
    def test_production_hashing_is_argon2(self):
        import mitra.settings as production

        self.assertIn("Argon2", production.PASSWORD_HASHERS[0])


class PasswordChangeTest(BaseTestCase):
    def test_it_changes_the_password(self):
        self.login(self.owner)
        r = self.client.post(
            reverse("password_change"),
            {
                "old_password": self.p.password,
                "new_password1": "a new long pass 42",
                "new_password2": "a new long pass 42",
            },
        )
        self.assertRedirects(r, reverse("password_change_done"))
        self.owner.refresh_from_db()
        self.assertTrue(self.owner.check_password("a new long pass 42"))

    def test_it_refuses_a_weak_password(self):
        self.login(self.owner)
        r = self.client.post(
            reverse("password_change"),
            {"old_password": self.p.password, "new_password1": "123", "new_password2": "123"},
        )
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "invalid-feedback")
        self.owner.refresh_from_db()
        self.assertTrue(self.owner.check_password(self.p.password))


class PasswordResetTest(BaseTestCase):
    def test_it_mails_a_link_that_sets_a_new_password(self):
        from django.core import mail

        r = self.client.post(reverse("password_reset"), {"email": "owner@example.com"})
        self.assertRedirects(r, reverse("password_reset_done"))
        self.assertEqual(len(mail.outbox), 1)
        body = mail.outbox[0].body
        link = next(line for line in body.splitlines() if "/account/reset/" in line)
        path = link.split("testserver", 1)[1]
        r = self.client.get(path, follow=True)
        form_url = r.redirect_chain[-1][0]
        r = self.client.post(
            form_url, {"new_password1": "fresh secret 2026!", "new_password2": "fresh secret 2026!"}
        )
        self.assertRedirects(r, reverse("password_reset_complete"))
        self.owner.refresh_from_db()
        self.assertTrue(self.owner.check_password("fresh secret 2026!"))

    def test_it_does_not_reveal_unknown_addresses(self):
        from django.core import mail

        r = self.client.post(reverse("password_reset"), {"email": "nobody@example.com"})
        self.assertRedirects(r, reverse("password_reset_done"))
        self.assertEqual(len(mail.outbox), 0)
