"""Tabs of the party 360 page. Later apps add theirs from AppConfig.ready():

    from mitra.parties.tabs import register_tab
    register_tab("quotations", _("Quotations"), "sales/_party_quotations.html", order=40,
                 permission="sales")

`template_or_callable` is a template name, rendered with {"party", "request", "user"}, or a
function `(request, party) -> str` returning the tab's HTML. `permission` is None (anyone
who sees the party), a module key (view permission on it), a (module, action) pair, or a
function `(user, party) -> bool`. Tabs load lazily: only the open tab runs its queries.
"""

from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string

from mitra.core.policy import Action, has_module_perm


@dataclass(frozen=True)
class Tab:
    key: str
    label: Any
    content: Any
    order: int = 100
    permission: Any = None
    icon: str = ""

    def allowed(self, user, party):
        perm = self.permission
        if perm is None:
            return True
        if callable(perm):
            return bool(perm(user, party))
        if isinstance(perm, str):
            return has_module_perm(user, perm, Action.VIEW)
        module, action = perm
        return has_module_perm(user, module, action)

    def render(self, request, party, extra=None):
        if callable(self.content):
            return self.content(request, party)
        context = {"party": party, "request": request, "user": request.user, **(extra or {})}
        return render_to_string(self.content, context, request=request)


_tabs: dict[str, Tab] = {}


def register_tab(key, label, template_or_callable, order=100, permission=None, icon=""):
    """Add (or replace) the tab `key` on every party 360 page."""
    _tabs[key] = Tab(key, label, template_or_callable, order, permission, icon)
    return _tabs[key]


def unregister_tab(key):
    _tabs.pop(key, None)


def tabs_for(user, party):
    """The tabs `user` may open on `party`, in order."""
    return [
        t for t in sorted(_tabs.values(), key=lambda t: (t.order, t.key)) if t.allowed(user, party)
    ]
