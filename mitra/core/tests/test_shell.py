from django.urls import reverse

from mitra.core.testing import BaseTestCase


class LanguageSwitchTest(BaseTestCase):
    def test_persian_switches_the_page_to_rtl(self):
        self.login(self.owner)
        r = self.client.post(reverse("set_language"), {"language": "fa", "next": "/"})
        self.assertRedirects(r, "/")
        r = self.client.get("/")
        self.assertContains(r, 'dir="rtl"')
        self.assertContains(r, 'lang="fa"')
        self.assertContains(r, "tabler.rtl.min.css")
        self.assertContains(r, "خانه")  # "Home" in the Persian catalogue
        self.owner.refresh_from_db()
        self.assertEqual((self.owner.language, self.owner.calendar), ("fa", "jalali"))

    def test_thai_stays_ltr_and_speaks_thai(self):
        self.login(self.owner)
        self.client.post(reverse("set_language"), {"language": "th", "next": "/"})
        r = self.client.get("/")
        self.assertContains(r, 'dir="ltr"')
        self.assertContains(r, "หน้าแรก")
        self.assertNotContains(r, "tabler.rtl.min.css")

    def test_the_sign_in_page_switches_language_too(self):
        self.client.post(reverse("set_language"), {"language": "fa", "next": reverse("login")})
        r = self.client.get(reverse("login"))
        self.assertContains(r, 'dir="rtl"')
        self.assertContains(r, "ورود")

    def test_it_refuses_unknown_languages_and_foreign_redirects(self):
        self.login(self.owner)
        r = self.client.post(
            reverse("set_language"), {"language": "xx", "next": "https://evil.example/"}
        )
        self.assertRedirects(r, "/", fetch_redirect_response=False)
        self.owner.refresh_from_db()
        self.assertEqual(self.owner.language, "en")

    def test_a_chosen_calendar_is_kept_when_switching_language(self):
        self.owner.calendar, self.owner.calendar_chosen = "buddhist", True
        self.owner.save()
        self.login(self.owner)
        self.client.post(reverse("set_language"), {"language": "fa", "next": "/"})
        self.owner.refresh_from_db()
        self.assertEqual(self.owner.calendar, "buddhist")


class PreferencesTest(BaseTestCase):
    def test_it_shows_dates_in_the_chosen_calendar_and_digits(self):
        self.login(self.owner)
        r = self.client.post(
            reverse("preferences"),
            {
                "language": "fa",
                "calendar": "jalali",
                "digits": "native",
                "time_zone": "Asia/Tehran",
                "email": "o@example.com",
            },
        )
        self.assertRedirects(r, reverse("preferences"))
        r = self.client.get(reverse("users:detail", args=[self.owner.public_id]), follow=True)
        r = self.client.get(reverse("preferences"))
        self.assertRegex(r.content.decode(), "[۰-۹]{4}")

    def test_it_refuses_an_unknown_time_zone(self):
        self.login(self.owner)
        r = self.client.post(
            reverse("preferences"),
            {
                "language": "en",
                "calendar": "gregorian",
                "digits": "latin",
                "time_zone": "Mars/Base",
            },
        )
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "invalid-feedback")
        self.owner.refresh_from_db()
        self.assertEqual(self.owner.time_zone, "UTC")


class ShellTest(BaseTestCase):
    def test_sidebar_lists_only_modules_the_user_may_open(self):
        self.login(self.admin)
        self.assertContains(self.client.get("/"), reverse("users:roles"))
        self.login(self.portal)
        self.assertNotContains(self.client.get("/"), reverse("users:roles"))

    def test_sidebar_marks_the_open_section_and_speaks_the_users_language(self):
        self.login(self.owner)
        html = self.client.get(reverse("parties:list")).content.decode()
        link = f'<li class="nav-item active"><a class="nav-link" href="{reverse("parties:list")}"'
        self.assertIn(link, html)
        self.assertNotIn('<li class="nav-item active"><a class="nav-link" href="/"', html)
        self.assertNotIn(">Administration<", html)  # the owner administers nothing
        self.owner.language = "th"
        self.owner.save()
        html = self.client.get(reverse("parties:list")).content.decode()
        self.assertIn(">หน้าแรก<", html)
        self.assertIn(link, html)  # a cached English sidebar is never served in Thai
        self.login(self.admin)
        self.assertIn(">Administration<", self.client.get("/").content.decode())

    def test_pages_send_a_content_security_policy(self):
        self.login(self.owner)
        self.assertIn("default-src 'self'", self.client.get("/")["Content-Security-Policy"])

    def test_health_check(self):
        self.assertEqual(self.client.get("/healthz").json(), {"status": "ok"})


class ErrorPagesTest(BaseTestCase):
    def test_a_missing_record_gets_a_friendly_translated_404(self):
        self.login(self.owner)
        self.client.post(reverse("set_language"), {"language": "th", "next": "/"})
        r = self.client.get("/users/00000000-0000-0000-0000-000000000000/")
        self.assertEqual(r.status_code, 404)
        self.assertContains(r, 'lang="th"', status_code=404)
        self.assertContains(r, 'href="/"', status_code=404)

    def test_a_forbidden_action_gets_a_403_page(self):
        self.login(self.portal)
        r = self.client.get(reverse("users:list"))
        self.assertContains(r, "403", status_code=403)
