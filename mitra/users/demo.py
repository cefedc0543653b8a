"""Demo teams, roles and users: the personas every screen can be tried with."""

from django.db import transaction

from mitra.core.policy import Action, Level, Scope
from mitra.core.registry import modules

DEMO_PASSWORD = "mitra-demo-2026"

# username, first, last, language, calendar, role, team
PEOPLE = [
    ("manager", "Malee", "Srisuk", "th", "buddhist", "Sales manager", "Bangkok sales"),
    ("somchai", "Somchai", "Jaidee", "th", "buddhist", "Sales rep", "Bangkok sales"),
    ("sara", "Sara", "Ahmadi", "fa", "jalali", "Sales rep", "Tehran sales"),
    ("reza", "Reza", "Karimi", "fa", "jalali", "Read only", "Tehran sales"),
    ("emma", "Emma", "Wilson", "en", "gregorian", "Sales rep", "Export desk"),
]


# The roles' names in Thai and Persian (each role's `labels`).
ROLE_LABELS = {
    "Administrator": {"th": "ผู้ดูแลระบบ", "fa": "مدیر سامانه"},
    "Sales manager": {"th": "ผู้จัดการฝ่ายขาย", "fa": "مدیر فروش"},
    "Sales rep": {"th": "พนักงานขาย", "fa": "کارشناس فروش"},
    "Read only": {"th": "ดูอย่างเดียว", "fa": "فقط خواندنی"},
}


def _all_actions(exclude=()):
    return {m.key: [a for a in m.actions if a not in exclude] for m in modules()}


def roles_spec():
    business = [m for m in modules() if not m.section]
    return {
        "Administrator": dict(level=Level.EXECUTIVE, scope=Scope.ALL, permissions=_all_actions()),
        "Sales manager": dict(
            level=Level.TEAM_LEAD,
            scope=Scope.TEAM,
            permissions={
                **{m.key: [a for a in m.actions if a != Action.PURGE] for m in business},
                "users": [Action.VIEW],
                "teams": [Action.VIEW],
                "configuration": [Action.EDIT],  # groups, ratings, codes, duplicate rules
            },
        ),
        "Sales rep": dict(
            level=Level.OPERATOR,
            scope=Scope.OWN,
            permissions={
                m.key: [Action.VIEW, Action.CREATE, Action.EDIT, Action.STAR, Action.EXPORT]
                for m in business
            },
        ),
        "Read only": dict(
            level=Level.OPERATOR,
            scope=Scope.TEAM,
            permissions={m.key: [Action.VIEW] for m in business},
        ),
    }


@transaction.atomic
def load(stdout=None, **options):
    """Create (or bring up to date) the demo roles, teams and users. Safe to run again."""
    from .models import Role, Team, User

    roles = {}
    for name, spec in roles_spec().items():
        role, _created = Role.objects.update_or_create(
            name=name, defaults={**spec, "labels": ROLE_LABELS.get(name, {})}
        )
        roles[name] = role
    teams = {}
    for _u, _f, _l, _lang, _cal, _role, team_name in PEOPLE:
        teams[team_name], _created = Team.objects.get_or_create(name=team_name)
    for username, first, last, language, calendar, role_name, team_name in PEOPLE:
        user, created = User.objects.get_or_create(
            username=username,
            defaults=dict(
                first_name=first,
                last_name=last,
                email=f"{username}@example.com",
                language=language,
                calendar=calendar,
                digits="latin",
                calendar_chosen=True,
                time_zone={"th": "Asia/Bangkok", "fa": "Asia/Tehran"}.get(
                    language, "Europe/London"
                ),
                role=roles[role_name],
            ),
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        teams[team_name].members.add(user)
        if role_name == "Sales manager" and teams[team_name].lead_id is None:
            teams[team_name].lead = user
            teams[team_name].save(update_fields=["lead"])
    User.objects.filter(is_superuser=True, role__isnull=True).update(role=roles["Administrator"])
    if stdout:
        stdout.write(f"demo users ready (password for all: {DEMO_PASSWORD})")
