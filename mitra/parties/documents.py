"""The party fact sheet: a document type for `core.documents` (registered from apps.py).

The context builder copies what the fact sheet shows into plain data, read from what the
user may see: the party (the view fetched it through the policy), its rows, and only the
activities the user may see. No model instance reaches the template."""

import datetime as dt

from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

RECENT_DAYS = 90


def _user_name(user):
    return user.get_full_name() or user.get_username()


def recent_activity_count(party, user):
    """Activities about the party in the last 90 days that the user may see (0 without the
    activities app; looked up through the app registry so parties does not import it)."""
    if not apps.is_installed("mitra.activities"):
        return 0
    interaction = apps.get_model("activities", "Interaction")
    since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
    return (
        interaction.objects.visible_to(user)
        .filter(targets__party=party, targets__at__gte=since)
        .distinct()
        .count()
    )


def fact_sheet_context(party, user):
    return {
        "party": {
            "name": party.name,
            "full_name": party.full_name,
            "code": party.code,
            "kind": party.get_kind_display(),
            "is_organisation": party.is_organisation,
            "stage": party.get_stage_display(),
            "tax_id": party.tax_id,
            "registration_number": party.registration_number,
            "roles": [r.get_role_display() for r in party.roles.all()],
            "groups": [str(g) for g in party.groups.all()],
            "managers": [_user_name(u) for u in party.managers.all()],
            "owner": _user_name(party.owner),
            "created": timezone.localdate(party.created_at),
            "recent_days": RECENT_DAYS,
            "recent_activity_count": recent_activity_count(party, user),
            "contact_points": [
                {
                    "kind": cp.get_kind_display(),
                    "label": cp.label,
                    "value": str(cp),
                    "is_primary": cp.is_primary,
                }
                for cp in party.contact_points.all()
            ],  # fmt: skip
            "addresses": [
                {"kind": a.get_kind_display(), "text": a.one_line, "is_primary": a.is_primary}
                for a in party.addresses.all()
            ],
        }
    }


FIELDS = (
    ("party.name, party.full_name", _("Name (with a person's title)")),
    ("party.code", _("Code")),
    ("party.kind, party.stage", _("Person or organisation; stage")),
    ("party.tax_id, party.registration_number", _("Tax ID, registration number")),
    ("party.roles, party.groups, party.managers", _("Lists: roles, groups, account managers")),
    ("party.owner", _("Owner")),
    ("party.created", _("Date the party was recorded")),
    ("party.recent_activity_count, party.recent_days", _("Activities in the last days")),
    ("party.contact_points: kind, label, value", _("Phones, emails, websites …")),
    ("party.addresses: kind, text", _("Addresses")),
)

_ROW = "<tr><th>{label}</th><td>{value}</td></tr>\n"


def _body(t, sep, digits=""):
    """One fact sheet body; `t` holds the words of one language."""
    d = f"|{digits}" if digits else ""
    rows = [
        _ROW.format(label=t["name"], value="<bdi>{{ party.full_name }}</bdi>"),
        _ROW.format(label=t["code"], value='<bdi dir="ltr">{{ party.code }}</bdi>'),
        "{% if party.tax_id %}" + _ROW.format(label=t["tax_id"], value="{{ party.tax_id" + d + " }}") + "{% endif %}",
        "{% if party.registration_number %}" + _ROW.format(label=t["registration"], value="{{ party.registration_number" + d + " }}") + "{% endif %}",
        _ROW.format(label=t["kind"], value="{{ party.kind }} · {{ party.stage }}"),
        _ROW.format(label=t["roles"], value='{{ party.roles|join:"' + sep + '"|default:"—" }}'),
        _ROW.format(label=t["groups"], value='{{ party.groups|join:"' + sep + '"|default:"—" }}'),
        _ROW.format(label=t["managers"], value='{{ party.managers|join:"' + sep + '"|default:"—" }}'),
        _ROW.format(label=t["created"], value="{{ party.created|date }}"),
        _ROW.format(label=t["recent"], value="{{ party.recent_activity_count|number }}"),
    ]  # fmt: skip
    return (
        "<table>\n" + "".join(rows) + "</table>\n"
        f"<h2>{t['contact_points']}</h2>\n"
        "{% if party.contact_points %}<table>\n{% for cp in party.contact_points %}"
        "<tr><th>{{ cp.kind }}{% if cp.label %} ({{ cp.label }}){% endif %}</th>"
        '<td><bdi dir="ltr">{{ cp.value' + d + " }}</bdi></td></tr>\n"
        "{% endfor %}</table>{% else %}"
        f'<p class="muted">{t["none"]}</p>{{% endif %}}\n'
        f"<h2>{t['addresses']}</h2>\n"
        "{% for a in party.addresses %}<p><strong>{{ a.kind }}</strong><br>{{ a.text"
        + d
        + " }}</p>\n{% empty %}"
        f'<p class="muted">{t["none"]}</p>{{% endfor %}}\n'
    )


WORDS = {
    "en": {
        "title": "Fact sheet: {{ party.name }}", "date": "Date", "name": "Name", "code": "Code",
        "tax_id": "Tax ID", "registration": "Registration number", "kind": "Kind and stage",
        "roles": "Roles", "groups": "Groups", "managers": "Account managers",
        "created": "Recorded on",
        "recent": "Activities in the last {{ party.recent_days|number }} days",
        "contact_points": "Contact points", "addresses": "Addresses", "none": "None",
        "footer": "Owner: {{ party.owner }}",
    },
    "th": {
        "title": "ข้อมูลสรุป: {{ party.name }}", "date": "วันที่", "name": "ชื่อ", "code": "รหัส",
        "tax_id": "เลขประจำตัวผู้เสียภาษี", "registration": "เลขทะเบียนนิติบุคคล",
        "kind": "ประเภทและสถานะ", "roles": "บทบาท", "groups": "กลุ่ม",
        "managers": "ผู้ดูแลลูกค้า", "created": "บันทึกเมื่อ",
        "recent": "กิจกรรมใน {{ party.recent_days|number }} วันที่ผ่านมา",
        "contact_points": "ช่องทางติดต่อ", "addresses": "ที่อยู่", "none": "ไม่มี",
        "footer": "ผู้รับผิดชอบ: {{ party.owner }}",
    },
    "fa": {
        "title": "برگهٔ مشخصات: {{ party.name }}", "date": "تاریخ", "name": "نام", "code": "کد",
        "tax_id": "کد اقتصادی", "registration": "شمارهٔ ثبت", "kind": "نوع و مرحله",
        "roles": "نقش‌ها", "groups": "گروه‌ها", "managers": "مدیران حساب",
        "created": "تاریخ ثبت", "recent": "فعالیت‌ها در {{ party.recent_days|number }} روز گذشته",
        "contact_points": "راه‌های تماس", "addresses": "نشانی‌ها", "none": "ندارد",
        "footer": "مسئول: {{ party.owner }}",
    },
}  # fmt: skip

DEFAULTS = {
    code: {
        "title": t["title"],
        "header": f'<p class="muted">{t["date"]}: {{{{ today|date }}}}'
        "{% if document.revision %} · {{ document.revision|number }}{% endif %}</p>",
        "body": _body(t, "، " if code == "fa" else ", ", "digits" if code == "fa" else ""),
        "footer": t["footer"],
    }
    for code, t in WORDS.items()
}


def _party_url(party):
    return reverse("parties:detail", args=[party.public_id])


def _sample(user):
    from .models import Party

    return Party.objects.visible_to(user).order_by("-updated_at", "pk").first()


def register():
    from mitra.core.documents.registry import DocumentType, register_document_type

    register_document_type(
        DocumentType(
            key="parties.fact_sheet",
            label=_("Fact sheet"),
            model="parties.Party",
            build_context=fact_sheet_context,
            defaults=DEFAULTS,
            fields=FIELDS,
            record_url=_party_url,
            sample=_sample,
        )
    )
