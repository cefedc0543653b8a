from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from mitra.core.testing import BaseTestCase


def current_code(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


class TwoFactorTest(BaseTestCase):
    def _enrol(self, user):
        self.client.post(reverse("login"), {"username": user.username, "password": self.p.password})
        self.client.get(reverse("two_factor"))
        device = TOTPDevice.objects.get(user=user)
        r = self.client.post(reverse("two_factor"), {"token": current_code(device)})
        self.assertRedirects(r, reverse("two_factor"))
        device.refresh_from_db()
        self.assertTrue(device.confirmed)
        return device

    def test_it_turns_on_with_a_right_code_only(self):
        self.client.post(reverse("login"), {"username": "owner", "password": self.p.password})
        r = self.client.get(reverse("two_factor"))
        self.assertContains(r, "data:image/svg+xml;base64,")
        r = self.client.post(reverse("two_factor"), {"token": "000000"})
        self.assertContains(r, "That code is not right")
        self.assertFalse(TOTPDevice.objects.get(user=self.owner).confirmed)

    def test_it_asks_for_a_code_at_the_next_sign_in(self):
        device = self._enrol(self.owner)
        self.client.post(reverse("logout"))
        self.client.post(reverse("login"), {"username": "owner", "password": self.p.password})
        r = self.client.get(reverse("home"))
        self.assertRedirects(r, reverse("two_factor_verify") + "?next=/")
        device.refresh_from_db()
        device.last_t = -1
        device.save()
        r = self.client.post(
            reverse("two_factor_verify"), {"token": current_code(device), "next": "/"}
        )
        self.assertRedirects(r, "/")
        self.assertEqual(self.client.get(reverse("home")).status_code, 200)

    def test_it_accepts_codes_typed_in_persian_digits(self):
        device = self._enrol(self.owner)
        self.client.post(reverse("logout"))
        self.client.post(reverse("login"), {"username": "owner", "password": self.p.password})
        device.refresh_from_db()
        device.last_t = -1
        device.save()
        code = current_code(device).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
        r = self.client.post(reverse("two_factor_verify"), {"token": code, "next": "/"})
        self.assertRedirects(r, "/")

    def test_unverified_sessions_cannot_use_the_api(self):
        self._enrol(self.owner)
        self.client.post(reverse("logout"))
        self.client.post(reverse("login"), {"username": "owner", "password": self.p.password})
        self.assertEqual(self.client.get("/api/v1/users/").status_code, 403)

    def test_a_role_can_make_it_mandatory(self):
        role = self.owner.role
        role.require_2fa = True
        role.save()
        self.client.post(reverse("login"), {"username": "owner", "password": self.p.password})
        self.assertRedirects(self.client.get(reverse("home")), reverse("two_factor"))
        self.assertContains(
            self.client.get(reverse("two_factor")), "Your role requires two-factor sign-in"
        )

    def test_mandatory_two_factor_cannot_be_turned_off(self):
        self._enrol(self.owner)
        role = self.owner.role
        role.require_2fa = True
        role.save()
        self.assertEqual(self.client.post(reverse("two_factor_disable")).status_code, 403)
        self.assertTrue(TOTPDevice.objects.filter(user=self.owner).exists())
