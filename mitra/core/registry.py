"""Registries that let later apps plug into the shell without the shell importing them."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .policy import Action


@dataclass(frozen=True)
class Module:
    """A module of the permission matrix, and (when it has a URL) a sidebar entry."""

    key: str
    label: str
    icon: str = "circle"
    url_name: str | None = None
    order: int = 100
    actions: tuple = tuple(Action.values)
    section: str = field(default="")

    @property
    def url(self):
        """The module's page; resolved once, since URLs do not change while running."""
        if self.url_name not in _urls:
            from django.urls import reverse

            _urls[self.url_name] = reverse(self.url_name)
        return _urls[self.url_name]


_urls: dict[str, str] = {}


_modules: dict[str, Module] = {}


_sorted: list[Module] = []


def register_module(module):
    _modules[module.key] = module
    _sorted.clear()
    return module


def modules():
    """Every module in sidebar order (sorted once; every page asks)."""
    if not _sorted:
        _sorted.extend(sorted(_modules.values(), key=lambda m: (m.order, m.key)))
    return list(_sorted)


@dataclass(frozen=True)
class NavLink(Module):
    """A sidebar entry that is not a permission module (it is not in the role matrix):
    `visible(user)` says who sees it and must not query the database (every page asks).
    Register with `register_nav(NavLink(key, label, icon, url_name, order, section=…,
    visible=…))`."""

    visible: object = None


_nav_links: dict[str, NavLink] = {}


def register_nav(link):
    _nav_links[link.key] = link
    return link


def nav_links(user):
    """The extra sidebar entries `user` may open."""
    return [n for n in _nav_links.values() if n.visible is None or n.visible(user)]


# URL modules that later apps add to an earlier app's URL namespace (the earlier app's
# urls.py includes them): extend_urls("parties", "mitra.dedupe.urls") in an AppConfig.ready.
_url_extensions: dict[str, list[str]] = {}


def extend_urls(namespace, module):
    modules = _url_extensions.setdefault(namespace, [])
    if module not in modules:
        modules.append(module)


def url_extensions(namespace):
    return list(_url_extensions.get(namespace, ()))


# Demo data providers: `mitra demo` calls each, in registration order.
_demo_providers = []


def register_demo(func):
    _demo_providers.append(func)
    return func


def demo_providers():
    return list(_demo_providers)


# Global search providers: later apps contribute grouped results to the top-bar search.
_search_providers = []


def register_search(func):
    _search_providers.append(func)
    return func


def search_providers():
    return list(_search_providers)


ADMIN_SECTION = _("Administration")
