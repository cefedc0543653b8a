from django.conf import settings
from django.utils import translation

from . import calendars
from .policy import Action, has_module_perm
from .registry import modules, nav_links


def shell(request):
    """What the layout needs: direction, sidebar entries the user may open, calendar."""
    language = translation.get_language() or "en"
    user = getattr(request, "user", None)
    nav = []
    if user is not None and user.is_authenticated:
        nav = [m for m in modules() if m.url_name and has_module_perm(user, m.key, Action.VIEW)]
        if extra := nav_links(user):
            nav = sorted(nav + extra, key=lambda m: (m.order, m.key))
    calendar, digits, _script = calendars.current()
    return {
        "rtl": translation.get_language_bidi(),
        "html_lang": language,
        "nav_modules": [m for m in nav if not m.section],
        "nav_admin": [m for m in nav if m.section],
        "user_calendar": calendar,
        "user_digits": digits,
        # Each language named in itself, never translated.
        "languages": settings.LANGUAGES,
    }
