"""Test helpers shared by every app: personas and a base TestCase.

Personas (DESIGN rule 10), all with password PASSWORD:
- admin: superuser, sees everything.
- owner: "Owner" role, own records, every action but permanent delete; team Alpha.
- teammate: "Teammate" role, team scope, same actions; team Alpha.
- readonly: "Read only" role, team scope, view only; team Alpha.
- outsider: "Outsider" role, team scope, every action; team Beta. Sees nothing of Alpha's.
- portal: an active user with no role (a customer or dealer login); no module rights.
"""

import os
from types import SimpleNamespace

from django.test import TestCase

from mitra.core.policy import Action, Level, Scope
from mitra.core.registry import modules

PASSWORD = "correct horse battery staple"


def grant(actions_exclude=(), only=None, modules_filter=None):
    perms = {}
    for module in modules():
        if modules_filter and not modules_filter(module):
            continue
        granted = [
            a for a in module.actions if a not in actions_exclude and (only is None or a in only)
        ]
        if granted:
            perms[module.key] = granted
    return perms


def create_personas():
    from mitra.users.models import Role, Team, User

    business = lambda m: not m.section  # noqa: E731 - modules outside Administration
    roles = {
        "owner": Role.objects.create(
            name="Owner", scope=Scope.OWN, level=Level.OPERATOR,
            permissions=grant(actions_exclude=[Action.PURGE], modules_filter=business),
        ),
        "teammate": Role.objects.create(
            name="Teammate", scope=Scope.TEAM, level=Level.TEAM_LEAD,
            permissions=grant(actions_exclude=[Action.PURGE], modules_filter=business),
        ),
        "readonly": Role.objects.create(
            name="Read only", scope=Scope.TEAM, level=Level.OPERATOR,
            permissions=grant(only=[Action.VIEW], modules_filter=business),
        ),
        "outsider": Role.objects.create(
            name="Outsider", scope=Scope.TEAM, level=Level.OPERATOR,
            permissions=grant(actions_exclude=[Action.PURGE], modules_filter=business),
        ),
    }  # fmt: skip
    alpha = Team.objects.create(name="Alpha")
    beta = Team.objects.create(name="Beta")
    people = SimpleNamespace(alpha=alpha, beta=beta, roles=roles, password=PASSWORD)
    people.admin = User.objects.create_superuser("admin", "admin@example.com", PASSWORD)
    for name in ("owner", "teammate", "readonly", "outsider"):
        user = User.objects.create_user(name, f"{name}@example.com", PASSWORD, role=roles[name])
        (beta if name == "outsider" else alpha).members.add(user)
        setattr(people, name, user)
    people.portal = User.objects.create_user("portal", "portal@example.com", PASSWORD)
    alpha.lead = people.teammate
    alpha.save()
    return people


def edits_need_approval(role):
    """From now on, edits by users of `role` wait for a team lead's approval."""
    role.edits_need_approval = True
    role.save()


class BaseTestCase(TestCase):
    """Personas created once per class; `self.login(persona)` signs one in."""

    @classmethod
    def setUpTestData(cls):
        cls.p = create_personas()
        for name in ("admin", "owner", "teammate", "readonly", "outsider", "portal"):
            setattr(cls, name, getattr(cls.p, name))

    def login(self, user):
        self.client.force_login(user)
        return user

    def assertListQueries(self, url, counts, **kwargs):  # noqa: N802 - unittest's style
        """The list at `url` runs `counts[persona]` queries for each persona (None: refused);
        see `mitra.core.tables.testing.assert_list_queries`."""
        from mitra.core.tables.testing import assert_list_queries

        assert_list_queries(self, url, counts, **kwargs)


# Browser tests (Playwright, `-m browser`): one password for the users they create, one way
# to sign in, one way to keep a screenshot.
BROWSER_PASSWORD = "a long test password 1"
SCREENSHOTS = os.environ.get("MITRA_SCREENSHOTS")  # a folder to save screenshots in, when set


def sign_in(page, live_server, username, password=BROWSER_PASSWORD):
    """Sign `username` in through the login form in `page` and wait for the home page."""
    page.goto(f"{live_server.url}/account/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.press("#id_password", "Enter")
    page.wait_for_url(f"{live_server.url}/")
    return page


def shot(page, name, folder=SCREENSHOTS):
    """Save a full-page screenshot `<folder>/<name>.png` when a folder is set."""
    if folder:
        os.makedirs(folder, exist_ok=True)
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)
