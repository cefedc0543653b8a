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

    Alpine.js evaluates expressions with Function(), hence 'unsafe-eval'; inline styles
    are used by Tabler components.
    """

    POLICY = (
        "default-src 'self'; script-src 'self' 'unsafe-eval' 'unsafe-inline'; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.POLICY)
        return response
