"""Import parties from CSV/XLSX (A1–A7, A14), fast enough for 100k-row files.

New parties are written in bulk per chunk (`BulkInserter`: one multi-row INSERT per
table, each party's "+" history record in the same way); rows that repeat an existing
party, found by one indexed query per key type per chunk (code, tax ID, national ID,
email, E.164 phone, compact name), are skipped, updated through `actions.update_party`
(so edit approval and history apply) or created anyway, as the user chose.
"""

import phonenumbers
from django import forms
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from mitra.core.countries import find_country
from mitra.core.imports import fields as f
from mitra.core.imports.base import Importer, Row
from mitra.core.imports.bulk import BulkInserter, copy_history, in_values
from mitra.core.policy import can_configure
from mitra.core.text import compact, compact_normal, normalize, user_region

from . import duplicates
from .models import (
    Address,
    ContactPoint,
    Gender,
    Group,
    GroupMembership,
    Kind,
    Party,
    PartyRole,
    Priority,
    RoleKind,
    Source,
    Stage,
    next_codes,
)

# The id given to contact points and addresses added by an update: no row has id 0, so
# actions.update_party creates them, and ids stay integers in its change comparison
# (it sorts rows, and None next to an integer id would not compare).
NEW_ROW = 0

_COUNTRIES = {
    "thailand": "TH", "ไทย": "TH", "ประเทศไทย": "TH", "siam": "TH",
    "iran": "IR", "ایران": "IR", "persia": "IR",
    "unitedkingdom": "GB", "uk": "GB", "england": "GB",
    "unitedstates": "US", "usa": "US", "us": "US", "america": "US",
    "china": "CN", "จีน": "CN", "چین": "CN", "japan": "JP", "ญี่ปุ่น": "JP", "ژاپن": "JP",
    "germany": "DE", "آلمان": "DE", "เยอรมนี": "DE", "france": "FR", "فرانسه": "FR",
    "malaysia": "MY", "มาเลเซีย": "MY", "singapore": "SG", "สิงคโปร์": "SG",
    "laos": "LA", "ลาว": "LA", "cambodia": "KH", "กัมพูชา": "KH", "myanmar": "MM", "พม่า": "MM",
    "vietnam": "VN", "เวียดนาม": "VN", "india": "IN", "อินเดีย": "IN", "هند": "IN",
    "turkey": "TR", "ترکیه": "TR", "uae": "AE", "unitedarabemirates": "AE", "امارات": "AE",
    "iraq": "IQ", "عراق": "IQ", "afghanistan": "AF", "افغانستان": "AF",
}  # fmt: skip


# Words people use for roles, kinds and stages, whatever the interface language.
ROLE_WORDS = {
    "client": "customer", "buyer": "customer", "ลูกค้า": "customer", "مشتری": "customer",
    "prospect": "lead", "target": "lead", "ลูกค้าเป้าหมาย": "lead", "ผู้สนใจ": "lead", "سرنخ": "lead",
    "agent": "dealer", "distributor": "dealer", "reseller": "dealer", "ตัวแทน": "dealer",
    "ตัวแทนจำหน่าย": "dealer", "نماینده": "dealer", "عامل": "dealer",
    "vendor": "supplier", "ผู้จำหน่าย": "supplier", "ซัพพลายเออร์": "supplier", "تامین کننده": "supplier",
    "تأمین کننده": "supplier", "พันธมิตร": "partner", "คู่ค้า": "partner", "شریک": "partner", "همکار": "partner",
    "คู่แข่ง": "competitor", "رقیب": "competitor", "อื่นๆ": "other", "سایر": "other",
}  # fmt: skip
KIND_WORDS = {
    "individual": "person", "people": "person", "p": "person", "บุคคล": "person", "บุคคลธรรมดา": "person",
    "شخص": "person", "حقیقی": "person", "company": "organisation", "organization": "organisation",
    "business": "organisation", "org": "organisation", "o": "organisation", "c": "organisation",
    "นิติบุคคล": "organisation", "บริษัท": "organisation", "องค์กร": "organisation", "شرکت": "organisation",
    "حقوقی": "organisation", "سازمان": "organisation",
}  # fmt: skip
STAGE_WORDS = {
    "lead": "suspect", "ผู้มุ่งหวัง": "prospect", "ลูกค้าคาดหวัง": "prospect", "مشتری بالقوه": "prospect",
    "ลูกค้า": "customer", "مشتری": "customer", "client": "customer",
}  # fmt: skip


def country(value):
    key = compact(value)
    if len(value.strip()) == 2 and value.strip().isascii() and value.strip().isalpha():
        return value.strip().upper()
    if key in _COUNTRIES:
        return _COUNTRIES[key]
    if code := find_country(value):  # any country's name in English, Thai or Persian
        return code
    raise f.ValidationError(
        _("“%(value)s” is not a country; use a two-letter code such as TH or IR.")
        % {"value": value}
    )


def _max(model, name):
    return model._meta.get_field(name).max_length


def party_text(name):
    return f.text(_max(Party, name))


def address_text(name):
    return f.text(_max(Address, name))


def index_new(rows):
    """Add (party id, text) rows to the search index for parties created in this
    transaction: nothing to replace, so no delete first (which on SQLite would also make
    FTS5 flush its pending inserts)."""
    from mitra.core import search as core_search

    from . import search

    core_search.index(search.KIND, rows, replace=False)


class _PointKinds:
    PHONE, MOBILE, FAX = "phone", "mobile", "fax"
    EMAIL, WEBSITE = "email", "website"


assert {v for k, v in vars(_PointKinds).items() if k.isupper()} <= set(ContactPoint.Kind.values)


class PartyImporter(Importer):
    label = gettext_lazy("parties")
    module = "parties"
    chunk_size = 5000
    # Roles, contact points and addresses get no history record of their own when
    # imported: the party's "+" record (user, time, "Imported from <file>") and the
    # ImportJob say where they came from; their history starts at their first edit.
    # Writing those records too costs a fifth of the import time for nothing shown.
    child_history = False

    def __init__(self, user, job=None):
        super().__init__(user, job)
        # Numbers without a country code are read in the row's country (its address
        # column), else in the importing user's (or the company's) country.
        self.region = user_region(user)
        self._row_region = self.region
        self._phone_parsers = {}
        self._groups = None
        self._users = {}
        self._inserters = None

    # -- fields ----------------------------------------------------------------------
    def get_fields(self):
        F = f.ImportField
        phones = self._parse_phones
        return [
            F("name", pgettext("import field", "Name"), parser=party_text("name"), aliases=["full name", "company", "company name", "organisation", "organization", "customer", "customer name", "party", "ชื่อ", "ชื่อลูกค้า", "ชื่อบริษัท", "บริษัท", "ชื่อ-นามสกุล", "ชื่อนามสกุล", "نام", "نام مشتری", "نام شرکت", "شرکت", "نام و نام خانوادگی"]),
            F("prefix", _("Title"), parser=party_text("prefix"), aliases=["title", "salutation", "คำนำหน้า", "คำนำหน้าชื่อ", "عنوان", "پیشوند"]),
            F("first_name", pgettext("import field", "First name"), parser=party_text("first_name"), aliases=["firstname", "given name", "ชื่อจริง", "ชื่อต้น", "نام کوچک"]),
            F("last_name", _("Last name"), parser=party_text("last_name"), aliases=["lastname", "surname", "family name", "นามสกุล", "نام خانوادگی"]),
            F("kind", _("Person or organisation"), parser=f.choice(Kind.choices, KIND_WORDS), aliases=["kind", "type", "party type", "ประเภท", "نوع", "person/organisation", "บุคคล/นิติบุคคล", "حقیقی/حقوقی"]),
            F("code", _("Code"), parser=party_text("code"), aliases=["customer code", "party code", "รหัส", "รหัสลูกค้า", "کد", "کد مشتری"]),
            F("stage", _("Stage"), parser=f.choice(Stage.choices, STAGE_WORDS), aliases=["lifecycle", "lifecycle stage", "ขั้น", "สถานะลูกค้า", "مرحله"]),
            F("roles", _("Roles"), parser=f.memo(f.many(f.choice(RoleKind.choices, ROLE_WORDS))), aliases=["role", "บทบาท", "نقش", "نقش‌ها"]),
            F("phone", _("Phone"), parser=phones, aliases=["phones", "telephone", "tel", "phone number", "โทรศัพท์", "เบอร์โทร", "เบอร์โทรศัพท์", "โทร", "تلفن", "شماره تلفن", "تلفن ثابت"]),
            F("mobile", _("Mobile"), parser=phones, aliases=["cell", "mobile phone", "cellphone", "มือถือ", "เบอร์มือถือ", "โทรศัพท์มือถือ", "موبایل", "تلفن همراه", "همراه"]),
            F("fax", _("Fax"), parser=phones, aliases=["แฟกซ์", "โทรสาร", "فکس", "نمابر"]),
            F("email", _("Email"), parser=f.many(f.email, ";,| \n"), aliases=["e-mail", "emails", "mail", "email address", "อีเมล", "อีเมล์", "ایمیل", "پست الکترونیک"]),
            F("website", _("Website"), parser=f.url, aliases=["web", "url", "site", "homepage", "เว็บไซต์", "เว็บ", "وب‌سایت", "وبسایت", "سایت"]),
            F("line1", _("Address"), parser=address_text("line1"), aliases=["street", "address 1", "address line 1", "ที่อยู่", "نشانی", "آدرس"]),
            F("line2", _("Address (continued)"), parser=address_text("line2"), aliases=["address 2", "address line 2"]),
            F("district", _("District / area"), parser=address_text("district"), aliases=["district", "area", "อำเภอ", "เขต", "ตำบล", "แขวง", "อำเภอ/เขต", "منطقه", "محله"]),
            F("city", _("City"), parser=address_text("city"), aliases=["town", "เมือง", "شهر"]),
            F("province", _("Province / state"), parser=address_text("province"), aliases=["province", "state", "region", "จังหวัด", "استان"]),
            F("postcode", _("Postcode"), parser=address_text("postcode"), aliases=["zip", "zip code", "postal code", "post code", "รหัสไปรษณีย์", "کد پستی"]),
            F("country", _("Country"), parser=f.memo(country), aliases=["ประเทศ", "کشور"]),
            F("tax_id", _("Tax ID"), parser=party_text("tax_id"), aliases=["tax number", "tax id", "taxid", "economic code", "เลขประจำตัวผู้เสียภาษี", "เลขผู้เสียภาษี", "เลขประจำตัวผู้เสียภาษีอากร", "کد اقتصادی"]),
            F("national_id", _("National ID"), parser=party_text("national_id"), aliases=["national id", "id card", "citizen id", "id number", "เลขบัตรประชาชน", "เลขประจำตัวประชาชน", "کد ملی", "شماره ملی"]),
            F("vat_id", _("VAT number"), parser=party_text("vat_id"), aliases=["vat", "vat id", "شماره ثبت ارزش افزوده"]),
            F("registration_number", _("Registration number"), parser=party_text("registration_number"), aliases=["registration no", "company registration", "เลขทะเบียนนิติบุคคล", "شماره ثبت"]),
            F("groups", _("Groups"), parser=f.memo(f.many(f.text(120), ";,|\n")), aliases=["group", "กลุ่ม", "กลุ่มลูกค้า", "گروه", "گروه‌ها"], help_text=_("Group names; “Parent / Child” for a sub-group. Missing groups are created.")),
            F("managers", _("Account managers"), parser=f.many(f.text(150), ";,|\n"), aliases=["manager", "account manager", "sales rep", "ผู้ดูแล", "ผู้ดูแลลูกค้า", "พนักงานขาย", "مسئول", "مدیر حساب", "کارشناس فروش"], help_text=_("User names of the people who look after the party.")),
            F("priority", _("Priority"), parser=f.choice(Priority.choices), aliases=["ความสำคัญ", "لویت", "اولویت"]),
            F("is_active", _("Active"), parser=f.boolean, aliases=["active", "ใช้งาน", "فعال"]),
            F("source", _("How they heard of us"), parser=f.choice(Source.choices), aliases=["source", "lead source", "แหล่งที่มา", "منبع", "نحوه آشنایی"]),
            F("gender", _("Gender"), parser=f.choice(Gender.choices), aliases=["sex", "เพศ", "جنسیت"]),
            F("birth_date", _("Birth date"), parser=f.date, aliases=["birthday", "date of birth", "dob", "วันเกิด", "تاریخ تولد"]),
            F("occupation", _("Occupation"), parser=party_text("occupation"), aliases=["job", "อาชีพ", "شغل"]),
            F("credit_limit", _("Credit limit"), parser=f.decimal, aliases=["วงเงินเครดิต", "سقف اعتبار"]),
            F("credit_term_days", _("Credit term (days)"), parser=f.integer, aliases=["credit term", "เครดิตเทอม", "مدت اعتبار"]),
            F("comments", _("Comments"), parser=f.text(), aliases=["notes", "note", "remarks", "หมายเหตุ", "บันทึก", "توضیحات", "یادداشت"]),
        ]  # fmt: skip

    def guess_mapping(self, headers):
        mapping = super().guess_mapping(headers)
        # "ชื่อ" / "نام" / "Name" next to a surname column is the first name.
        if "name" in mapping and "last_name" in mapping and "first_name" not in mapping:
            mapping["first_name"] = mapping.pop("name")
        return mapping

    def check_mapping(self, mapping):
        if not {"name", "first_name", "last_name"} & set(mapping):
            return [_("Choose the column with the name (or the first or last name).")]
        return []

    def get_option_fields(self):
        return {
            "default_kind": forms.ChoiceField(
                label=_("Rows without a type are"), choices=Kind.choices, initial=Kind.PERSON
            ),
            "default_roles": forms.MultipleChoiceField(
                label=_("Roles for rows without any"),
                choices=RoleKind.choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            ),
            "default_stage": forms.ChoiceField(
                label=_("Stage for rows without one"), choices=Stage.choices, initial=Stage.SUSPECT
            ),
        }

    # -- parsing -----------------------------------------------------------------------
    def parse(self, row):
        country_text = row.raw.get("country")
        self._row_region = (
            self._country_region(country_text) if country_text else None
        ) or self.region
        super().parse(row)

    def _country_region(self, text):
        """The phone region of a country cell, or None (not a country, or one whose
        numbers phonenumbers does not know): remembered per cell text."""
        cache = self.__dict__.setdefault("_country_regions", {})
        if text not in cache:
            try:
                code = country(text)
            except f.ValidationError:
                code = None
            cache[text] = code if code in phonenumbers.SUPPORTED_REGIONS else None
        return cache[text]

    def _parse_phones(self, raw):
        """Phones of one cell, read in the row's region (one parser per region, each
        with its own caches)."""
        region = self._row_region
        parser = self._phone_parsers.get(region)
        if parser is None:
            parser = self._phone_parsers[region] = f.many(f.phone(region), ";,|\n/")
        return parser(raw)

    def clean(self, row):
        data = row.data
        if not (data.get("name") or data.get("first_name") or data.get("last_name")):
            row.errors.append(_("A name is needed (or a first or last name)."))
            return
        if "kind" not in data:
            data["kind"] = (
                Kind.PERSON.value
                if (data.get("first_name") or data.get("last_name"))
                else self.options.get("default_kind") or Kind.PERSON.value
            )
        # Party.prepare()'s derived columns, computed once for matching, insert and index.
        name = self._display_name(data)
        data["_name"] = name
        normal = normalize(name)
        data["_search_name"] = normal[:255]
        # compact(name) is the letters, digits and marks of normalize(name): filtered
        # here from the form just computed rather than normalising again.
        data["_name_key"] = compact_normal(normal)[:255]

    def prepare(self, row):
        """Everything the insert needs that takes no database: the party's columns, its
        contact points, address, roles and the text for the search index."""
        from . import search

        data = row.data
        party = {
            "kind": data["kind"],
            "name": data["_name"],
            "search_name": data["_search_name"],
            "name_key": data["_name_key"],
            "stage": data.get("stage") or self.options.get("default_stage") or Stage.SUSPECT.value,
        }
        if data.get("code"):
            party["code"] = data["code"]
        for name in self.PARTY_FIELDS:
            if name in data:
                party[name] = data[name]
        extra = row.extra
        layouts = self._layouts
        # Rows encoded here (possibly in the reading process) in each table's column order;
        # the writer only adds the code or the party's id and joins them.
        extra["party_row"] = layouts["party"].encode(party)
        extra["code"] = party.get("code", "")
        extra["search_name"] = party["search_name"]
        encode_point = layouts["point"].encode_values
        extra["point_rows"] = [
            ((p["e164"], p["value"]), encode_point((p["kind"], p["value"], p["e164"], p["is_primary"])))
            for p in self._points(None, data, set())
        ]  # fmt: skip
        address = {k: data[k] for k in self.ADDRESS_FIELDS if k in data}
        extra["address_row"] = layouts["address"].encode(address) if address else None
        roles = dict.fromkeys(data.get("roles") or self.options.get("default_roles") or ())
        extra["role_rows"] = [self._role_row(role) for role in roles]
        # The search text (`search.party_body`, what `search.index_parties` would store),
        # built from memory: the phone parser already gave both digit forms a number is
        # found by. An automatic code is added when it is known (tests compare the two).
        fields = {name: party.get(name) or "" for name in search.PARTY_FIELDS}
        fields["code"] = ""  # an automatic code is not known yet: the writer adds it
        points = []
        for name in ("mobile", "phone", "fax"):
            for phone in data.get(name, ()):
                intl = phone.e164.lstrip("+")
                points.append((name, intl, ""))
                if phone.national and phone.national not in intl:
                    points.append((name, phone.national, ""))
        points += [("email", email, "") for email in data.get("email", ())]
        if website := data.get("website"):
            points.append(("website", website, ""))
        # Cities and provinces repeat from row to row: their normal forms are remembered
        # rather than computed again.
        places = [self._normal(address[k]) for k in search.ADDRESS_FIELDS if address.get(k)]
        extra["body"] = search.party_body(fields, points, (), places)

    def _role_row(self, role):
        """A role's encoded row: a file has few distinct roles, each encoded once."""
        cache = self.__dict__.setdefault("_role_rows", {})
        if role not in cache:
            cache[role] = self._layouts["role"].encode_values((role,))
        return cache[role]

    def _normal(self, text):
        cache = self.__dict__.setdefault("_normal_cache", {})
        value = cache.get(text)
        if value is None:
            value = normalize(text)
            if len(cache) < 100_000:
                cache[text] = value
        return value

    def resolve(self, rows):
        """Account managers by user name or email: one query for the chunk."""
        from mitra.users.models import User

        wanted = {u.strip().casefold() for row in rows for u in row.data.get("managers", ())}
        missing = wanted - self._users.keys()
        if missing:
            # Distinct managers in a file are few; user names match without case.
            cond = Q()
            for name in missing:
                cond |= Q(username__iexact=name) | Q(email__iexact=name)
            for pk, username, email in User.objects.filter(cond).values_list(
                "pk", "username", "email"
            ):
                self._users.setdefault(username.casefold(), pk)
                if email:
                    self._users.setdefault(email.casefold(), pk)
            for key in missing:
                self._users.setdefault(key, None)
        for row in rows:
            names = row.data.get("managers")
            if not names or "manager_ids" in row.data:
                continue
            ids = []
            for username in names:
                user_id = self._users.get(username.strip().casefold())
                if user_id is None:
                    row.errors.append(
                        _("Account managers: there is no user “%(name)s”.") % {"name": username}
                    )
                else:
                    ids.append(user_id)
            row.data["manager_ids"] = ids

    # -- duplicates --------------------------------------------------------------------
    # The administrator's duplicate rules decide (`mitra.parties.duplicates`): candidates
    # come from indexed exact keys for the fields the rules use (one query per key type
    # for a whole chunk), then each candidate is judged by the rules. Names match here
    # when equal after normalisation; near-misses (a rule below 100% similarity) are left
    # to the background duplicate finder, as a fuzzy look-up per row would be too slow.
    # A code is an identity: a row with the code of a party is that party.

    def start(self):
        self.rules = duplicates.active_rules()
        self.rule_fields = {f for rule in self.rules for f in rule.fields}
        self._layouts  # noqa: B018 - built here, before a reading process is forked

    def keys(self, data):
        fields = self.rule_fields
        keys = []
        if code := data.get("code"):
            keys.append(("code", code.casefold()))
        for name, kind in ((duplicates.TAX_ID, "tax"), (duplicates.NATIONAL_ID, "nid")):
            if name in fields and (value := data.get(name)):
                keys.append((kind, duplicates.id_key(value)))
                if value != keys[-1][1]:
                    keys.append((f"{kind}_typed", value))  # also found when stored as typed
        if duplicates.EMAIL in fields:
            keys += [("email", email) for email in data.get("email", ())]
        if duplicates.PHONE in fields:
            for name in ("mobile", "phone", "fax"):
                keys += [("phone", phone.e164) for phone in data.get(name, ())]
        if duplicates.NAME in fields and (key := data.get("_name_key")):
            keys.append(("name", key))
        return keys

    def _candidates(self, keys):
        """{key: [pk, …]}: parties (trash excluded) holding each key, a few queries."""
        by_kind = {}
        for kind, value in keys:
            by_kind.setdefault(kind, set()).add(value)
        found = {}

        def add(kind, rows, fold=None):
            for value, pk in rows:
                found.setdefault((kind, fold(value) if fold else value), []).append(pk)

        # All parties, trash included (the visibility check drops those): with the
        # "not trashed" condition SQLite's planner walks that index over the whole table
        # instead of probing the key's index (measured: 2.5 s against 2 ms at 1M parties).
        parties = Party.all_objects.order_by()
        if codes := by_kind.get("code"):
            exact = parties.filter(code__in=in_values({*codes, *(c.upper() for c in codes)}))
            add("code", exact.values_list("code", "pk"), str.casefold)
        for kind, column in (("tax", "tax_id"), ("nid", "national_id")):
            if values := by_kind.get(kind):
                # Stored as typed ("0-1055-55000-00-1"): compare without punctuation.
                values = values | by_kind.get(f"{kind}_typed", set())
                rows = parties.filter(**{f"{column}__in": in_values(values)}).values_list(
                    column, "pk"
                )
                add(kind, rows, duplicates.id_key)
        if values := by_kind.get("name"):
            add(
                "name", parties.filter(name_key__in=in_values(values)).values_list("name_key", "pk")
            )
        points = ContactPoint.objects.order_by()
        if emails := by_kind.get("email"):
            rows = points.filter(kind=ContactPoint.Kind.EMAIL, value__in=in_values(emails))
            add("email", rows.values_list("value", "party_id"))
        if phones := by_kind.get("phone"):
            add("phone", points.filter(e164__in=in_values(phones)).values_list("e164", "party_id"))
        return found

    @staticmethod
    def profile(data):
        """What the duplicate rules compare, from a parsed row (no parsing again)."""
        return duplicates.Profile(
            name=data.get("_search_name", ""),
            phones=set(data["_phones"])
            if "_phones" in data
            else {p.e164 for name in ("mobile", "phone", "fax") for p in data.get(name, ())},
            emails=set(data.get("email", ())),
            national_id=duplicates.id_key(data.get("national_id", "")),
            tax_id=duplicates.id_key(data.get("tax_id", "")),
        )

    def match(self, rows):
        by_key = {}
        for row in rows:
            row.match = None
            for key in row.keys:
                by_key.setdefault(key, []).append(row)
        found = self._candidates(by_key) if by_key else {}
        if not found:
            return
        # Only the rows that share a key with a party are looked at further.
        hits = {}
        for key, pks in found.items():
            for row in by_key.get(key, ()):
                hits.setdefault(id(row), (row, set()))[1].update(
                    (key[0] == "code", pk) for pk in pks
                )
        ids = {pk for pks in found.values() for pk in pks}
        # Only parties the user may see are candidates: two queries for the chunk.
        profiles = duplicates._profiles(ids, Party.objects.visible_to(self.user))
        for row, candidates in hits.values():
            by_code = [pk for is_code, pk in candidates if is_code and pk in profiles]
            if by_code:
                row.match = min(by_code)
                continue
            mine = self.profile(row.data)
            scored = []
            for pk in {pk for _c, pk in candidates if pk in profiles}:
                result = duplicates.evaluate(self.rules, mine, profiles[pk])
                if result:
                    scored.append((-result[0], pk))
            if scored:
                row.match = min(scored)[1]

    def same(self, row, other):
        code, other_code = row.data.get("code"), other.data.get("code")
        if code and other_code and code.casefold() == other_code.casefold():
            return True
        return (
            duplicates.evaluate(self.rules, self.profile(row.data), self.profile(other.data))
            is not None
        )

    def describe(self, pks):
        out = {}
        for party in Party.objects.filter(pk__in=pks).only("pk", "public_id", "name", "code"):
            try:
                url = reverse("parties:detail", args=[party.public_id])
            except NoReverseMatch:
                url = ""
            out[party.pk] = (f"{party.name} ({party.code})", url)
        return out

    # -- writes --------------------------------------------------------------------------
    @staticmethod
    def _display_name(data):
        if data.get("kind", Kind.PERSON) == Kind.PERSON and (
            data.get("first_name") or data.get("last_name")
        ):
            return " ".join(
                p
                for p in (data.get("first_name", "").strip(), data.get("last_name", "").strip())
                if p
            )
        return (data.get("name") or "").strip()

    PARTY_FIELDS = (
        "prefix", "first_name", "last_name", "tax_id", "national_id", "vat_id", "registration_number",
        "priority", "is_active", "source", "gender", "birth_date", "occupation", "credit_limit",
        "credit_term_days", "comments",
    )  # fmt: skip
    ADDRESS_FIELDS = ("line1", "line2", "district", "city", "province", "postcode", "country")

    def before_write(self, rows):
        """Create the groups rows name that do not exist yet (outside the bulk savepoint)."""
        names = {g for row in rows for g in row.data.get("groups", ())}
        if not names:
            return
        for row in rows:
            if "groups" in row.data:
                ids = []
                for name in row.data["groups"]:
                    group_id = self._group_id(name)
                    if group_id is None:
                        row.errors.append(
                            _("Groups: you may not create the group “%(name)s”.") % {"name": name}
                        )
                    else:
                        ids.append(group_id)
                row.data["group_ids"] = ids

    def _group_id(self, name):
        """The id of the group a cell names ("Parent / Child" or a bare name), created
        when missing; remembered per name, since a file repeats a few groups."""
        cache = self.__dict__.setdefault("_group_ids", {})
        if name not in cache:
            cache[name] = self._find_or_create_group(name)
        return cache[name]

    def _find_or_create_group(self, name):
        from . import actions

        if self._groups is None:
            self._groups = {}
            by_id = {}
            for pk, parent_id, gname in Group.objects.values_list("pk", "parent_id", "name"):
                by_id[pk] = (parent_id, gname)

            def chain(pk):
                parts = []
                while pk is not None and pk in by_id:
                    parent_id, gname = by_id[pk]
                    parts.append(compact(gname))
                    pk = parent_id
                return tuple(reversed(parts))

            for pk in by_id:
                path = chain(pk)
                self._groups.setdefault(path, pk)
                self._groups.setdefault(path[-1:], pk)  # a bare name finds the group anywhere
        parts = tuple(
            p.strip() for p in name.replace("\\", "/").replace(">", "/").split("/") if p.strip()
        )
        key = tuple(compact(p) for p in parts)
        if key in self._groups:
            return self._groups[key]
        if not can_configure(self.user):  # groups are shared configuration
            return None
        parent_id = None
        for depth in range(1, len(parts) + 1):
            sub = key[:depth]
            if sub in self._groups and (depth > 1 or len(parts) > 1):
                parent_id = self._groups[sub]
                continue
            group = actions.save_group(
                Group(name=parts[depth - 1], parent_id=parent_id), acting_user=self.user
            )
            self._groups[sub] = group.pk
            if depth == 1:
                self._groups.setdefault(sub, group.pk)
            parent_id = group.pk
        return parent_id

    @property
    def _layouts(self):
        if not hasattr(self, "_layouts_cache"):
            ins = self._ensure_inserters()
            # Only the columns this file maps travel with each row; the rest are the
            # statement's constants (fewer values to encode, send and unpack per row).
            mapped = set(self.job.mapping) if self.job is not None and self.job.mapping else None
            used = [f for f in self.PARTY_FIELDS if mapped is None or f in mapped]
            party_columns = ["kind", "name", "search_name", "name_key", "stage", *used, "public_id"]
            places = [f for f in self.ADDRESS_FIELDS if mapped is None or f in mapped]
            self._layouts_cache = {
                "party": ins["party"].layout(party_columns, tail=["code"]),
                "point": ins["point"].layout(
                    ["kind", "value", "e164", "is_primary"], tail=["party_id"]
                ),
                "address": ins["address"].layout(places, tail=["party_id"]),
                "role": ins["role"].layout(["role"], tail=["party_id"]),
            }
        return self._layouts_cache

    def _ensure_inserters(self):
        if self._inserters is None:
            party = BulkInserter(Party, key_field="code")
            self._inserters = {
                "party": party,
                "role": BulkInserter(PartyRole),
                "point": BulkInserter(ContactPoint),
                "address": BulkInserter(Address),
                "group": BulkInserter(GroupMembership),
                "manager": BulkInserter(Party.managers.through),
            }
            team_ids = self.user.team_ids()
            self._team_id = team_ids[0] if team_ids else None
        return self._inserters

    def create(self, rows):
        ins = self._ensure_inserters()
        layouts = self._layouts
        need = [r for r in rows if not r.extra["code"]]
        codes = iter(next_codes(len(need)) if need else ())
        # Codes follow the file's order; the rows are then written in name order, so the
        # name indexes (three of the party table's) take each chunk as one sweep over
        # neighbouring pages instead of jumps across a million-row tree (measured: a
        # quarter less time inserting and committing at 1M parties).
        codes = {id(r): next(codes) for r in need}
        rows = sorted(rows, key=lambda r: r.extra["search_name"])
        encoded, row_codes, bodies = [], [], []
        finish = layouts["party"].finish
        for row in rows:
            extra = row.extra
            code = extra["code"]
            body = extra["body"]
            if not code:
                code = codes[id(row)]
            # The code leads the search text (an automatic one was not known when it was made).
            folded = code.lower() if code.isascii() and " " not in code else normalize(code)
            body = f"{folded}\n{body}" if body else folded
            encoded.append(finish(extra["party_row"], code))
            row_codes.append(code)
            bodies.append(body)
        owner = {"owner_id": self.user.pk, "team_id": self._team_id}
        pks = ins["party"].insert_encoded(
            layouts["party"], encoded, constants=owner, keys=row_codes
        )
        reason = (
            _("Imported from %(file)s") % {"file": self.job.original_name}
            if self.job
            else _("Imported")
        )
        copy_history(Party, pks, user=self.user, reason=reason)

        roles, points, addresses, groups, managers = [], [], [], [], []
        finish_point, finish_address = layouts["point"].finish, layouts["address"].finish
        finish_role = layouts["role"].finish
        for row, pk in zip(rows, pks, strict=True):
            row.pk = pk
            extra, data = row.extra, row.data
            roles += [finish_role(role, pk) for role in extra["role_rows"]]
            points += [(key, finish_point(point, pk)) for key, point in extra["point_rows"]]
            if extra["address_row"] is not None:
                addresses.append(finish_address(extra["address_row"], pk))
            groups += [
                {"party_id": pk, "group_id": g} for g in dict.fromkeys(data.get("group_ids", ()))
            ]
            managers += [
                {"party_id": pk, "user_id": u} for u in dict.fromkeys(data.get("manager_ids", ()))
            ]
        history = self.child_history
        if roles:
            ins["role"].insert_encoded(layouts["role"], roles, returning=history)
        if points:
            # In (E.164, value) order, like the parties in name order: the two indexes of
            # contact points take the chunk as a sweep, not as random page writes.
            points.sort(key=lambda p: p[0])
            ins["point"].insert_encoded(
                layouts["point"], [p for _k, p in points], returning=history
            )
        if addresses:
            ins["address"].insert_encoded(
                layouts["address"], addresses, returning=history, constants={"is_primary": True}
            )
        for key, values in (("group", groups), ("manager", managers)):
            if values:
                ins[key].insert(values, returning=False)
        index_new(list(zip(pks, bodies, strict=True)))

    def _points(self, party_id, data, existing):
        """Contact point rows for the phones, emails and website of `data` not in `existing`."""
        out = []
        # Plain strings, not the Kind enum: rows travel between processes, and
        # unpickling enum members costs more than the rest of the row.
        kinds = _PointKinds
        seen_primary = set()
        for name, kind in (("mobile", kinds.MOBILE), ("phone", kinds.PHONE), ("fax", kinds.FAX)):
            for phone in data.get(name, ()):
                if phone.e164 in existing:
                    continue
                existing.add(phone.e164)
                out.append({"party_id": party_id, "kind": kind, "value": phone.typed[:255], "e164": phone.e164,
                            "is_primary": kind not in seen_primary})  # fmt: skip
                seen_primary.add(kind)
        for email in data.get("email", ()):
            if email in existing:
                continue
            existing.add(email)
            out.append({"party_id": party_id, "kind": kinds.EMAIL, "value": email[:255], "e164": "",
                        "is_primary": kinds.EMAIL not in seen_primary})  # fmt: skip
            seen_primary.add(kinds.EMAIL)
        if (website := data.get("website")) and website not in existing:
            out.append(
                {
                    "party_id": party_id,
                    "kind": kinds.WEBSITE,
                    "value": website[:255],
                    "e164": "",
                    "is_primary": True,
                }
            )
        return out

    # Rows cross from the reading process with only what matching, groups and managers
    # need; the few rows that update a party are parsed again here from their cells.
    TRANSPORT = ("code", "_search_name", "email", "tax_id", "national_id", "groups", "managers")

    def transport(self, row):
        data = row.data
        slim = {k: data[k] for k in self.TRANSPORT if k in data}
        slim["_phones"] = [
            p.e164 for name in ("mobile", "phone", "fax") for p in data.get(name, ())
        ]
        row.data = slim

    def full_data(self, row):
        if "_phones" not in row.data:
            return row.data
        values = row.values.split("\x1f") if isinstance(row.values, str) else row.values
        mapping = [(name, int(index)) for name, index in self.job.mapping.items()]
        full = Row(number=row.number, values=values)
        full.raw = {name: values[i] for name, i in mapping if i < len(values) and values[i]}
        self.parse(full)
        data = full.data
        for key in ("group_ids", "manager_ids"):  # resolved here, in this process
            if key in row.data:
                data[key] = row.data[key]
        return data

    def update(self, rows):
        from . import actions

        parties = Party.objects.visible_to(self.user).in_bulk([r.match for r in rows])
        for row in rows:
            party = parties.get(row.match)
            if party is None:
                raise f.ValidationError(_("The matching party is no longer there."))
            data = self.full_data(row)
            values = {
                k: data[k] for k in ("name", "kind", "stage", *self.PARTY_FIELDS) if k in data
            }
            if data.get("code") and data["code"].casefold() != party.code.casefold():
                values["code"] = data["code"]
            related = {}
            points = list(party.contact_points.all())
            have = {p.e164 or p.value for p in points}
            new_points = self._points(party.pk, data, set(have))
            if new_points:
                rows_ = [
                    {"id": p.pk, **{k: getattr(p, k) for k in actions.CONTACT_POINT_FIELDS}}
                    for p in points
                ]
                for p in new_points:
                    rows_.append({"id": NEW_ROW, "kind": p["kind"], "value": p["value"], "label": "", "country_code": "",
                                  "area_code": "", "number": "", "extension": "",
                                  "is_primary": p["is_primary"] and not any(x["kind"] == p["kind"] for x in rows_)})  # fmt: skip
                related["contact_points"] = rows_
            address = {k: data[k] for k in self.ADDRESS_FIELDS if k in data}
            if address:
                existing = list(party.addresses.all())
                same = any(
                    all(compact(getattr(a, k)) == compact(v) for k, v in address.items())
                    for a in existing
                )
                if not same:
                    rows_ = [
                        {"id": a.pk, **{k: getattr(a, k) for k in actions.ADDRESS_FIELDS}}
                        for a in existing
                    ]
                    rows_.append({"id": NEW_ROW, "kind": Address.Kind.CONTACT, "line1": "", "line2": "", "district": "",
                                  "city": "", "province": "", "postcode": "", "country": "", "latitude": None,
                                  "longitude": None, "is_primary": not existing, **address})  # fmt: skip
                    related["addresses"] = rows_
            if data.get("roles"):
                related["roles"] = sorted(set(party.role_values()) | set(data["roles"]))
            if data.get("group_ids"):
                related["groups"] = list(party.groups.all()) + list(
                    Group.objects.filter(pk__in=data["group_ids"])
                )
            if data.get("manager_ids"):
                from mitra.users.models import User

                related["managers"] = list(party.managers.all()) + list(
                    User.objects.filter(pk__in=data["manager_ids"])
                )
            actions.update_party(party, acting_user=self.user, values=values, **related)
            row.pk = party.pk
