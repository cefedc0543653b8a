import zoneinfo

from django.conf import settings
from django.utils import timezone, translation

from . import calendars, text


class UserPreferencesMiddleware:
    """Activate the signed-in user's language, time zone, calendar, digits and country.

    Anonymous visitors get the language from the cookie/Accept-Language (LocaleMiddleware)
    and the calendar that goes with it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = user.language
            translation.activate(language)
            request.LANGUAGE_CODE = language
            timezone.activate(user.zoneinfo)
            calendars.activate(
                user.calendar, user.digits, calendars.default_script_for(user.calendar, language)
            )
            text.activate_region(getattr(user, "phone_region", None))
        else:
            language = translation.get_language() or settings.LANGUAGE_CODE
            calendar, _digits = calendars.defaults_for(language)
            timezone.activate(zoneinfo.ZoneInfo(settings.TIME_ZONE))
            calendars.activate(calendar, calendars.LATIN, language)
            text.activate_region(None)
        # No reset afterwards: a streamed response (an export) renders its rows after this
        # returns and must still speak the user's language and calendar. Every request
        # sets all of them again before anything else runs.
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """A Content-Security-Policy that allows only our own scripts, styles and fonts.

    Scripts: our own files only — no inline scripts or handlers, no eval (Alpine.js runs
    in its CSP build, htmx with allowEval off). Styles keep 'unsafe-inline' for the
    `style` attributes templates use for dynamic values (progress width, photo avatars),
    as Tabler's components are written. Also a Permissions-Policy that switches off the
    powerful browser features Mitra never uses.
    """

    POLICY = (
        "default-src 'self'; script-src 'self'; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; "
        "object-src 'none'"
    )
    PERMISSIONS = (
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), "
        "bluetooth=(), midi=(), magnetometer=(), gyroscope=(), accelerometer=(), "
        "display-capture=(), browsing-topics=()"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.POLICY)
        response.headers.setdefault("Permissions-Policy", self.PERMISSIONS)
        return response


class SecureCookiesMiddleware:
    """A response to a request that came over HTTPS sends every cookie `Secure`, whatever
    SECURE_COOKIES says. Placed outermost so it sees the session and CSRF cookies too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.is_secure():
            for morsel in response.cookies.values():
                morsel["secure"] = True
        return response
