"""The home page's panels: each app contributes short lists (tasks today, appointments, …).

An app puts its panels in `<app>/home.py`, found the first time the home page is shown
(like Django's admin.py), so the dependency still points from the app to core:

    @register_home_panel(order=10)
    def tasks_today(request):
        return HomePanel(...) or None (the user may not see this panel)

A panel is one short query, scoped by the same policy as its full list; the home page
costs one query per panel whatever the data (tested with assertNumQueries).
"""

from dataclasses import dataclass, field

from django.utils.html import format_html
from django.utils.module_loading import autodiscover_modules

HOME_ITEMS = 5  # rows per panel; the link leads to the full list

_panels = []
_discovered = False


def ltr(text):
    """A date or a code kept left-to-right inside right-to-left text."""
    return format_html('<span class="ltr">{}</span>', text)


@dataclass
class HomeItem:
    label: str
    url: str
    meta: str = ""  # a date, a place, a code: small text under the label (ltr() for dates)
    alert: bool = False  # overdue and the like: shown in red


@dataclass
class HomePanel:
    key: str
    title: str
    icon: str
    more_url: str
    more_label: str
    empty: str
    items: list = field(default_factory=list)


def register_home_panel(order=50):
    def decorate(func):
        _panels.append((order, func))
        _panels.sort(key=lambda p: p[0])
        return func

    return decorate


def home_panels(request):
    """The panels this user may see, in order."""
    global _discovered
    if not _discovered:
        autodiscover_modules("home")
        _discovered = True
    panels = []
    for _order, func in _panels:
        panel = func(request)
        if panel is not None:
            panels.append(panel)
    return panels
