"""Demo parties in English, Thai and Persian, owned by the demo users of mitra/users/demo.py.

`mitra demo` makes DEFAULT_COUNT of them; `mitra demo --parties N` tops the demo set up to
N (safe to run again). Scale matters (1,000,000 in minutes), so rows are written with one
prepared INSERT per table through `executemany`, ids assigned here, random choices drawn in
bulk, search keys memoised per distinct name, and no history rows for demo data.
"""

import datetime as dt
import random
import time
import uuid
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from mitra.core.text import compact, normalize

DEFAULT_COUNT = 300
BIG_LOAD = 50_000  # from this many parties on, indexes are rebuilt after the load
BATCH = 20_000
SEED = 20260101

# -- name material: (native, latin) pairs so emails and websites look right -----------------

TH_FIRST_M = [
    ("สมชาย", "somchai"),
    ("วิชัย", "wichai"),
    ("ประเสริฐ", "prasert"),
    ("อรุณ", "arun"),
    ("ธนา", "thana"),
    ("กมล", "kamon"),
    ("สุรเชษฐ์", "surachet"),
    ("ณัฐพล", "nattapon"),
    ("พงศกร", "pongsakorn"),
    ("ชยพล", "chayapon"),
    ("เอกชัย", "ekkachai"),
    ("ภานุ", "panu"),
]
TH_FIRST_F = [
    ("สมหญิง", "somying"),
    ("นภา", "napa"),
    ("สุดา", "suda"),
    ("พิมพ์ชนก", "pimchanok"),
    ("ศิริพร", "siriporn"),
    ("มาลี", "malee"),
    ("กัลยา", "kanlaya"),
    ("วรรณา", "wanna"),
    ("ปิยะนุช", "piyanuch"),
    ("อัญชลี", "anchalee"),
    ("รัตนา", "rattana"),
    ("จันทร์เพ็ญ", "chanpen"),
]
TH_LAST = [
    ("ใจดี", "jaidee"),
    ("ศรีสุข", "srisuk"),
    ("วงศ์สวัสดิ์", "wongsawat"),
    ("บุญมา", "boonma"),
    ("แก้วมณี", "kaewmanee"),
    ("รัตนพันธ์", "rattanaphan"),
    ("ทองดี", "thongdee"),
    ("สุวรรณรัตน์", "suwannarat"),
    ("เจริญผล", "charoenphon"),
    ("ศักดิ์สิทธิ์", "saksit"),
    ("พรหมมา", "promma"),
    ("อินทร์แก้ว", "inkaew"),
    ("ชัยมงคล", "chaimongkol"),
    ("นาคสวัสดิ์", "naksawat"),
]
# Persian with real Persian letters (ی U+06CC, ک U+06A9), never Arabic ي/ك.
FA_FIRST_M = [
    ("علی", "ali"),
    ("رضا", "reza"),
    ("محمد", "mohammad"),
    ("حسین", "hossein"),
    ("مهدی", "mehdi"),
    ("کاوه", "kaveh"),
    ("کیان", "kian"),
    ("امیر", "amir"),
    ("بابک", "babak"),
    ("یاسر", "yaser"),
    ("کوروش", "kourosh"),
    ("پیمان", "peyman"),
]
FA_FIRST_F = [
    ("مریم", "maryam"),
    ("زهرا", "zahra"),
    ("سارا", "sara"),
    ("فاطمه", "fatemeh"),
    ("نیلوفر", "niloufar"),
    ("یاسمن", "yasaman"),
    ("پریسا", "parisa"),
    ("شیرین", "shirin"),
    ("کتایون", "katayoun"),
    ("مینا", "mina"),
    ("لیلا", "leila"),
    ("نرگس", "narges"),
]
FA_LAST = [
    ("کریمی", "karimi"),
    ("احمدی", "ahmadi"),
    ("رضایی", "rezaei"),
    ("حسینی", "hosseini"),
    ("موسوی", "mousavi"),
    ("کاظمی", "kazemi"),
    ("یزدانی", "yazdani"),
    ("صادقی", "sadeghi"),
    ("نیک\u200cنام", "niknam"),
    ("تهرانی", "tehrani"),
    ("کیانی", "kiani"),
    ("یوسفی", "yousefi"),
    ("شکیبا", "shakiba"),
    ("اکبری", "akbari"),
]
EN_FIRST_M = [
    ("James", "james"),
    ("Oliver", "oliver"),
    ("Harry", "harry"),
    ("George", "george"),
    ("Thomas", "thomas"),
    ("William", "william"),
    ("Daniel", "daniel"),
    ("Samuel", "samuel"),
]
EN_FIRST_F = [
    ("Emma", "emma"),
    ("Olivia", "olivia"),
    ("Amelia", "amelia"),
    ("Charlotte", "charlotte"),
    ("Sophie", "sophie"),
    ("Grace", "grace"),
    ("Lucy", "lucy"),
    ("Hannah", "hannah"),
]
EN_LAST = [
    ("Smith", "smith"),
    ("Jones", "jones"),
    ("Taylor", "taylor"),
    ("Brown", "brown"),
    ("Wilson", "wilson"),
    ("Evans", "evans"),
    ("Johnson", "johnson"),
    ("Walker", "walker"),
    ("Wright", "wright"),
    ("Robinson", "robinson"),
    ("Thompson", "thompson"),
    ("Hughes", "hughes"),
]

TH_ORG = [
    ("สยามเทค", "siamtech"),
    ("รุ่งเรืองพาณิชย์", "rungrueang"),
    ("ไทยเจริญ", "thaicharoen"),
    ("เชียงใหม่ฟู้ดส์", "chiangmaifoods"),
    ("อันดามันมารีน", "andamanmarine"),
    ("ศรีนครการยาง", "srinakorn"),
    ("บางกอกโลจิสติกส์", "bangkoklogistics"),
    ("อีสานเกษตร", "isankaset"),
    ("ชลบุรีออโต้", "chonburiauto"),
    ("ลานนาดีไซน์", "lannadesign"),
    ("ไทยพัฒนาซอฟต์", "thaipattanasoft"),
    ("เพชรเกษมค้าส่ง", "phetkasem"),
]
TH_ORG_FORM = [("บริษัท {} จำกัด", "co"), ("บริษัท {} จำกัด (มหาชน)", "pcl"), ("ห้างหุ้นส่วนจำกัด {}", "lp")]
FA_ORG = [
    ("پارس کیمیا", "parskimia"),
    ("نوآوران یکتا", "yekta"),
    ("کاوش صنعت", "kavosh"),
    ("آریا تجارت", "ariatejarat"),
    ("سپهر ارتباط", "sepehr"),
    ("کوشا پخش", "kooshapakhsh"),
    ("پیک یزد", "peykyazd"),
    ("کیمیا دارو", "kimiadaroo"),
    ("مهرگان سیستم", "mehregan"),
    ("نیک اندیشان", "nikandishan"),
    ("زاگرس فولاد", "zagrosfoolad"),
    ("دریای کیش", "kishsea"),
]
FA_ORG_FORM = [
    ("شرکت {} (سهامی خاص)", "co"),
    ("شرکت {} (سهامی عام)", "pjs"),
    ("گروه صنعتی {}", "group"),
]
EN_ORG = [
    ("Northwind", "northwind"),
    ("Blue Harbour", "blueharbour"),
    ("Kestrel", "kestrel"),
    ("Greenfield", "greenfield"),
    ("Redbrick", "redbrick"),
    ("Silverline", "silverline"),
    ("Oakridge", "oakridge"),
    ("Brightwater", "brightwater"),
    ("Highgate", "highgate"),
    ("Westmoor", "westmoor"),
    ("Fairway", "fairway"),
    ("Castleton", "castleton"),
]
EN_ORG_FORM = [
    ("{} Ltd", "ltd"),
    ("{} Trading Ltd", "trading"),
    ("{} Group PLC", "plc"),
    ("{} Supplies", "supplies"),
]

# city, province, district, postcode prefix, latitude, longitude, area code
TH_PLACES = [
    ("กรุงเทพมหานคร", "กรุงเทพมหานคร", "วัฒนา", "101", 13.7367, 100.5231, "2"),
    ("เชียงใหม่", "เชียงใหม่", "เมืองเชียงใหม่", "502", 18.7883, 98.9853, "53"),
    ("ขอนแก่น", "ขอนแก่น", "เมืองขอนแก่น", "400", 16.4322, 102.8236, "43"),
    ("ภูเก็ต", "ภูเก็ต", "เมืองภูเก็ต", "830", 7.8804, 98.3923, "76"),
    ("ชลบุรี", "ชลบุรี", "เมืองชลบุรี", "200", 13.3611, 100.9847, "38"),
    ("หาดใหญ่", "สงขลา", "หาดใหญ่", "901", 7.0084, 100.4767, "74"),
]
TH_STREETS = ["ถนนสุขุมวิท", "ถนนพหลโยธิน", "ถนนเพชรบุรี", "ถนนรัชดาภิเษก", "ถนนนิมมานเหมินท์", "ถนนมิตรภาพ"]
FA_PLACES = [
    ("تهران", "تهران", "ونک", "19", 35.6892, 51.3890, "21"),
    ("اصفهان", "اصفهان", "چهارباغ", "81", 32.6546, 51.6680, "31"),
    ("شیراز", "فارس", "زند", "71", 29.5918, 52.5837, "71"),
    ("مشهد", "خراسان رضوی", "احمدآباد", "91", 36.2605, 59.6168, "51"),
    ("تبریز", "آذربایجان شرقی", "ولیعصر", "51", 38.0800, 46.2919, "41"),
    ("یزد", "یزد", "صفاییه", "89", 31.8974, 54.3569, "35"),
]
FA_STREETS = [
    "خیابان ولیعصر",
    "خیابان کریمخان زند",
    "بلوار کشاورز",
    "خیابان آزادی",
    "خیابان شریعتی",
    "بلوار مدرس",
]
EN_PLACES = [
    ("London", "Greater London", "Camden", "NW1", 51.5390, -0.1426, "20"),
    ("Manchester", "Greater Manchester", "Ancoats", "M4", 53.4839, -2.2446, "161"),
    ("Bristol", "Bristol", "Clifton", "BS8", 51.4545, -2.5879, "117"),
    ("Leeds", "West Yorkshire", "Headingley", "LS6", 53.8008, -1.5491, "113"),
    ("Edinburgh", "Scotland", "Leith", "EH6", 55.9533, -3.1883, "131"),
]
EN_STREETS = [
    "High Street",
    "Station Road",
    "Church Lane",
    "Victoria Road",
    "Park Avenue",
    "King Street",
]

PREFIXES = {
    "th": ["", "", "", "ดร.", "คุณ"],
    "fa": ["", "", "", "دکتر", "مهندس"],
    "en": ["", "", "", "Dr.", "Eng."],
}
OCCUPATIONS = {
    "th": ["วิศวกร", "นักบัญชี", "ผู้จัดการฝ่ายจัดซื้อ", "เจ้าของกิจการ", "แพทย์", "ครู"],
    "fa": ["مهندس عمران", "حسابدار", "مدیر خرید", "صاحب کسب‌وکار", "پزشک", "معلم"],
    "en": ["Engineer", "Accountant", "Purchasing manager", "Business owner", "Doctor", "Teacher"],
}
LIKES = {
    "th": ["กาแฟ", "กอล์ฟ", "อาหารญี่ปุ่น", "ท่องเที่ยว", "ฟุตบอล"],
    "fa": ["چای", "کوهنوردی", "شعر حافظ", "فوتبال", "سفر"],
    "en": ["coffee", "golf", "cricket", "hiking", "jazz"],
}
ACTIVITIES = {
    "th": ["ค้าปลีก", "ผลิตชิ้นส่วนยานยนต์", "อาหารแปรรูป", "โลจิสติกส์", "ซอฟต์แวร์"],
    "fa": ["بازرگانی", "تولید قطعات خودرو", "صنایع غذایی", "حمل و نقل", "نرم‌افزار"],
    "en": ["Retail", "Automotive parts", "Food processing", "Logistics", "Software"],
}
CURRENCY = {"th": "THB", "fa": "IRR", "en": "GBP"}
COUNTRY_DIGITS = {"th": "66", "fa": "98", "en": "44"}
COUNTRY = {"th": "TH", "fa": "IR", "en": "GB"}
# Which demo user owns parties in each language (usernames from mitra/users/demo.py).
OWNERS = {"th": ["somchai", "manager"], "fa": ["sara"], "en": ["emma"]}

# (name, parent, Thai label, Persian label)
GROUP_TREE = [
    ("Retail", None, "ค้าปลีก", "خرده‌فروشی"),
    ("Wholesale", None, "ค้าส่ง", "عمده‌فروشی"),
    ("Industry", None, "อุตสาหกรรม", "صنعت"),
    ("VIP", None, "ลูกค้าวีไอพี", "مشتریان ویژه"),
    ("Bangkok retail", "Retail", "ค้าปลีกกรุงเทพ", "خرده‌فروشی بانکوک"),
    ("Northern retail", "Retail", "ค้าปลีกภาคเหนือ", "خرده‌فروشی شمال تایلند"),
    ("Tehran retail", "Retail", "ค้าปลีกเตหะราน", "خرده‌فروشی تهران"),
    ("Automotive", "Industry", "ยานยนต์", "خودرو"),
    ("Food", "Industry", "อาหาร", "مواد غذایی"),
    ("Car parts", "Automotive", "ชิ้นส่วนรถยนต์", "قطعات خودرو"),
    ("Wholesalers (Iran)", "Wholesale", "ผู้ค้าส่ง (อิหร่าน)", "عمده‌فروشان"),
    ("Wholesalers (Thailand)", "Wholesale", "ผู้ค้าส่ง", "عمده‌فروشان تایلند"),
]  # fmt: skip
# (name, colour, order, Thai label, Persian label)
RATING_LEVELS = [
    ("Gold", "yellow", 1, "ทอง", "طلایی"),
    ("Silver", "secondary", 2, "เงิน", "نقره‌ای"),
    ("Bronze", "orange", 3, "ทองแดง", "برنزی"),
    ("Watch", "red", 4, "เฝ้าระวัง", "زیر نظر"),
]


class _FastRandom(random.Random):
    """choice() and randint() without the rejection sampling that makes them slow; the
    tiny bias does not matter for demo data."""

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]

    def randint(self, a, b):
        return a + int(self.random() * (b - a + 1))


def load(stdout=None, parties=None, **options):
    """Make sure there are `parties` demo parties (DEFAULT_COUNT when not given)."""
    from mitra.core.numbering import CodeSequence

    target = DEFAULT_COUNT if parties is None else max(0, int(parties))
    done = (
        CodeSequence.objects.filter(name="party-demo").values_list("value", flat=True).first() or 0
    )
    missing = target - done
    if missing <= 0:
        if stdout:
            stdout.write(f"demo parties ready ({done} already there)")
        return 0
    started = time.monotonic()
    made = generate(missing, stdout=stdout)
    CodeSequence.objects.update_or_create(name="party-demo", defaults={"value": done + made})
    if stdout:
        stdout.write(f"demo parties: {made} added in {time.monotonic() - started:.1f} s")
    return made


def _setup_reference_data():
    from .models import Group, RatingLevel

    groups = {}
    for name, parent, th, fa in GROUP_TREE:
        group = Group.objects.filter(name=name, parent=groups.get(parent)).first()
        if group is None:
            group = Group(name=name, parent=groups.get(parent), labels={"th": th, "fa": fa})
            group.save()
        elif not group.labels:  # made by an earlier demo without labels
            group.labels = {"th": th, "fa": fa}
            group.save()
        groups[name] = group
    levels = []
    for name, colour, order, th, fa in RATING_LEVELS:
        level, _created = RatingLevel.objects.get_or_create(
            name=name, defaults={"colour": colour, "order": order, "labels": {"th": th, "fa": fa}}
        )
        if not level.labels:
            RatingLevel.objects.filter(pk=level.pk).update(labels={"th": th, "fa": fa})
        levels.append(level)
    return groups, levels


def _owners():
    from mitra.users.models import Team, User

    users = {
        u.username: u
        for u in User.objects.filter(username__in=[n for v in OWNERS.values() for n in v])
    }
    fallback = (
        User.objects.filter(is_superuser=True).order_by("pk").first()
        or User.objects.order_by("pk").first()
    )
    teams = dict(
        Team.members.through.objects.filter(user__in=users.values()).values_list(
            "user_id", "team_id"
        )
    )
    out = {}
    for lang, names in OWNERS.items():
        picked = [users[n] for n in names if n in users] or [fallback]
        out[lang] = [(u.pk, teams.get(u.pk)) for u in picked if u is not None]
    return out


class _Writer:
    """INSERTs through one prepared statement per table; ids are assigned here."""

    def __init__(self, model, columns):
        self.model = model
        self.columns = columns
        qn = connection.ops.quote_name
        placeholders = ", ".join(["%s"] * len(columns))
        self.sql = f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) VALUES ({placeholders})"
        self.rows = []
        self.next_id = (model._base_manager.aggregate(m=Max("pk"))["m"] or 0) + 1
        self.count = 0

    def new_id(self):
        pk = self.next_id
        self.next_id += 1
        return pk

    def add(self, row):
        self.rows.append(row)

    def flush(self, cursor):
        if self.rows:
            cursor.executemany(self.sql, self.rows)
            self.count += len(self.rows)
            self.rows = []


def _columns(model, skip=()):
    return [f for f in model._meta.concrete_fields if f.name not in skip]


def generate(count, stdout=None):
    """Write `count` demo parties with their contact points, addresses, roles and groups."""
    from mitra.core import search as core_search
    from mitra.core.numbering import CodeSequence

    from . import search
    from .models import (
        Address,
        Contact,
        ContactPoint,
        GroupMembership,
        Party,
        PartyRole,
        Rating,
        format_code,
    )

    groups, levels = _setup_reference_data()
    owners = _owners()
    if not any(owners.values()):
        return 0
    rng = _FastRandom(SEED + Party.all_objects.count())
    ops = connection.ops
    native_uuid = connection.features.has_native_uuid_field
    now = timezone.now()
    stamps = [
        ops.adapt_datetimefield_value(now - dt.timedelta(minutes=rng.randint(0, 2 * 365 * 24 * 60)))
        for _ in range(2000)
    ]
    dates = [
        ops.adapt_datefield_value(dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 55)))
        for _ in range(3000)
    ]
    recent_dates = [
        ops.adapt_datefield_value(dt.date.today() - dt.timedelta(days=rng.randint(30, 900)))
        for _ in range(300)
    ]
    money = [
        ops.adapt_decimalfield_value(Decimal(v), 16, 2)
        for v in (50_000, 100_000, 250_000, 500_000, 1_000_000, 5_000_000)
    ]
    discounts = [
        ops.adapt_decimalfield_value(Decimal(v), 5, 2)
        for v in ("5.00", "7.50", "10.00", "12.50", "15.00")
    ]
    coords = [
        ops.adapt_decimalfield_value(Decimal(f"{rng.uniform(-0.05, 0.05):.6f}"), 9, 6)
        for _ in range(1)
    ]
    del coords

    party_fields = _columns(Party)
    cols = [f.column for f in party_fields]
    base = []
    for f in party_fields:
        default = f.get_default() if f.has_default() else (None if f.null else "")
        base.append(
            f.get_db_prep_save(default, connection) if default not in (None, "") else default
        )
    idx = {f.name: i for i, f in enumerate(party_fields)}
    idx_col = {f.column: i for i, f in enumerate(party_fields)}
    parties_w = _Writer(Party, cols)
    cp_fields = ["id", "created_at", "updated_at", "party_id", "kind", "label", "country_code", "area_code",
                 "number", "extension", "value", "e164", "is_primary"]  # fmt: skip
    cp_w = _Writer(ContactPoint, cp_fields)
    addr_fields = ["id", "created_at", "updated_at", "party_id", "kind", "line1", "line2", "district", "city",
                   "province", "postcode", "country", "latitude", "longitude", "is_primary"]  # fmt: skip
    addr_w = _Writer(Address, addr_fields)
    role_w = _Writer(
        PartyRole, ["id", "created_at", "updated_at", "party_id", "role", "since", "note"]
    )
    member_w = _Writer(GroupMembership, ["id", "party_id", "group_id", "added_at"])
    manager_w = _Writer(Party.managers.through, ["id", "party_id", "user_id"])
    rating_w = _Writer(Rating, ["id", "created_at", "updated_at", "public_id", "party_id", "level_id", "starts_on",
                                "ends_on", "note", "rated_by_id"])  # fmt: skip
    contact_w = _Writer(Contact, ["id", "created_at", "updated_at", "organisation_id", "person_id", "job_title",
                                  "department", "priority", "is_primary", "note"])  # fmt: skip
    writers = [parties_w, cp_w, addr_w, role_w, member_w, manager_w, rating_w, contact_w]

    first_code = CodeSequence.reserve("party", count)
    # Codes a person typed by hand may sit in the reserved range: skip those numbers.
    taken = set(
        Party.all_objects.filter(
            code__gte=format_code(first_code), code__lte=format_code(first_code + count + 1000)
        ).values_list("code", flat=True)
    )
    next_number = first_code
    name_keys = {}

    def keys(name):
        k = name_keys.get(name)
        if k is None:
            k = name_keys[name] = (normalize(name)[:255], compact(name)[:255])
        return k

    group_ids = [g.pk for g in groups.values()]
    langs = rng.choices(["th", "fa", "en"], weights=[45, 35, 20], k=count)
    kinds = rng.choices(["person", "organisation"], weights=[65, 35], k=count)
    stages = rng.choices(["suspect", "prospect", "customer"], weights=[25, 30, 45], k=count)
    priorities = rng.choices([0, 1, 2, 3], weights=[15, 60, 18, 7], k=count)
    roles_pick = rng.choices(["customer", "lead", "dealer", "supplier", "partner", "competitor", "other"],
                             weights=[45, 25, 8, 10, 5, 4, 3], k=count)  # fmt: skip
    colours = ["", "", "", "", "", "", "", "", "green", "yellow", "red", "blue"]
    recent_orgs = {"th": [], "fa": [], "en": []}
    manager_ids = [pk for lang in owners.values() for pk, _t in lang]
    c_public, c_code, c_name, c_search, c_key = (
        idx["public_id"],
        idx["code"],
        idx["name"],
        idx["search_name"],
        idx["name_key"],
    )

    search_fields = search.PARTY_FIELDS
    bodies = []
    cursor_ctx = connection.cursor()
    tune = connection.vendor == "sqlite" and not connection.in_atomic_block
    if tune:
        # Bulk load: no fsync per batch, and a page cache big enough that index inserts
        # (random UUIDs, names) stay in memory instead of re-reading pages.
        cursor_ctx.execute("PRAGMA synchronous=OFF")
        cursor_ctx.execute("PRAGMA cache_size=-262144")
        cursor_ctx.execute("PRAGMA temp_store=MEMORY")
    started = time.monotonic()
    made = 0
    # The index text normalises many repeated values (cities, streets, codes' shape):
    # remember them for the run instead of normalising each again.
    party_body = _memoised_body(search)
    # Big loads: drop the secondary indexes and build each once at the end (one sort is far
    # cheaper than a million random B-tree inserts); restored even when the load fails.
    # (Not on MySQL/MariaDB, where an index may be the one a foreign key relies on.)
    big = count >= BIG_LOAD and connection.vendor in ("sqlite", "postgresql")
    dropped = _drop_indexes([w.model for w in writers]) if big else []
    try:
        with cursor_ctx as cursor:
            for start in range(0, count, BATCH):
                with transaction.atomic():
                    for i in range(start, min(start + BATCH, count)):
                        lang, kind = langs[i], kinds[i]
                        r = rng.random()
                        while format_code(next_number) in taken:
                            next_number += 1
                        pid = parties_w.new_id()
                        row = base.copy()
                        row[idx["id"]] = pid
                        row[c_public] = uuid.uuid4() if native_uuid else uuid.uuid4().hex
                        row[c_code] = format_code(next_number)
                        next_number += 1
                        stamp = stamps[i % 2000]
                        row[idx["created_at"]] = stamp
                        row[idx["updated_at"]] = stamp
                        owner_id, team_id = rng.choice(owners[lang])
                        row[idx_col["owner_id"]] = owner_id
                        row[idx_col["team_id"]] = team_id
                        row[idx["kind"]] = kind
                        row[idx["stage"]] = stages[i]
                        row[idx["priority"]] = priorities[i]
                        row[idx["currency"]] = CURRENCY[lang]
                        row[idx["is_active"]] = r > 0.05
                        row[idx["colour"]] = colours[i % len(colours)] if r < 0.5 else ""
                        place = rng.choice(
                            {"th": TH_PLACES, "fa": FA_PLACES, "en": EN_PLACES}[lang]
                        )
                        if kind == "person":
                            female = r < 0.5
                            first, first_l = rng.choice({"th": TH_FIRST_F if female else TH_FIRST_M,
                                                         "fa": FA_FIRST_F if female else FA_FIRST_M,
                                                         "en": EN_FIRST_F if female else EN_FIRST_M}[lang])  # fmt: skip
                            last, last_l = rng.choice(
                                {"th": TH_LAST, "fa": FA_LAST, "en": EN_LAST}[lang]
                            )
                            name = f"{first} {last}"
                            row[idx["first_name"]] = first
                            row[idx["last_name"]] = last
                            row[idx["prefix"]] = rng.choice(PREFIXES[lang])
                            row[idx["gender"]] = "female" if female else "male"
                            if r < 0.4:
                                row[idx["birth_date"]] = dates[i % 3000]
                            if r < 0.3:
                                row[idx["national_id"]] = _national_id(rng, lang)
                                row[idx["marital_status"]] = rng.choice(
                                    ["single", "married", "married", "divorced"]
                                )
                            row[idx["occupation"]] = rng.choice(OCCUPATIONS[lang])
                            if r < 0.25:
                                row[idx["likes"]] = rng.choice(LIKES[lang])
                            handle = f"{first_l}.{last_l}{rng.randint(1, 999)}"
                            domain = {"th": "gmail.com", "fa": "yahoo.com", "en": "outlook.com"}[
                                lang
                            ]
                        else:
                            word, word_l = rng.choice(
                                {"th": TH_ORG, "fa": FA_ORG, "en": EN_ORG}[lang]
                            )
                            form, form_l = rng.choice(
                                {"th": TH_ORG_FORM, "fa": FA_ORG_FORM, "en": EN_ORG_FORM}[lang]
                            )
                            name = form.format(word)
                            if r < 0.6:
                                # Branches: the same brand in another city is another party.
                                name = (
                                    f"{name} {place[0]}" if lang != "en" else f"{name} ({place[0]})"
                                )
                            row[idx["company_type"]] = {"co": "private_limited", "pcl": "public_limited", "pjs": "public_limited",
                                                        "lp": "partnership", "plc": "public_limited"}.get(form_l, "private_limited")  # fmt: skip
                            row[idx["brand"]] = word if r < 0.5 else ""
                            row[idx["tax_id"]] = _tax_id(rng, lang)
                            row[idx["employee_count"]] = rng.choice([5, 12, 25, 60, 150, 400, 1200])
                            row[idx["founded_on"]] = dates[(i * 7) % 3000]
                            row[idx["activity_types"]] = rng.choice(ACTIVITIES[lang])
                            row[idx["ownership"]] = rng.choice(
                                ["owned", "rented", "rented", "goodwill"]
                            )
                            if r < 0.4:
                                row[idx["credit_limit"]] = rng.choice(money)
                                row[idx["credit_term_days"]] = rng.choice([15, 30, 30, 45, 60, 90])
                                row[idx["payment_rating"]] = rng.choice(
                                    ["excellent", "good", "good", "fair", "poor"]
                                )
                            if roles_pick[i] == "dealer":
                                row[idx["discount_rate"]] = rng.choice(discounts)
                                row[idx["agent_appointed_on"]] = recent_dates[i % 300]
                            handle = "info"
                            domain = f"{word_l}-{form_l}.example"
                            row[idx["source"]] = rng.choice(
                                ["referral", "website", "exhibition", "advertising", ""]
                            )
                        row[c_name] = name
                        row[c_search], row[c_key] = keys(name)
                        # Roles (A1): one main role, sometimes a second.
                        role_w.add((role_w.new_id(), stamp, stamp, pid, roles_pick[i], None, ""))
                        if r < 0.15 and roles_pick[i] != "supplier":
                            role_w.add((role_w.new_id(), stamp, stamp, pid, "supplier", None, ""))
                        points = _contact_points(
                            cp_w, rng, pid, stamp, lang, kind, place, handle, domain, r
                        )
                        places = _addresses(addr_w, rng, pid, stamp, lang, kind, place, r)
                        if r < 0.6:
                            member_w.add(
                                (member_w.new_id(), pid, group_ids[i % len(group_ids)], stamp)
                            )
                        if r < 0.3:
                            manager_w.add((manager_w.new_id(), pid, rng.choice(manager_ids)))
                        if r < 0.1 and levels:
                            level = levels[i % len(levels)]
                            row[idx_col["rating_id"]] = level.pk
                            rating_w.add((rating_w.new_id(), stamp, stamp, uuid.uuid4() if native_uuid else uuid.uuid4().hex,
                                          pid, level.pk, recent_dates[i % 300], None, "", owner_id))  # fmt: skip
                            if level.colour:
                                row[idx["colour"]] = level.colour
                                row[idx["colour_from_rating"]] = True
                        if kind == "organisation":
                            recent_orgs[lang].append(pid)
                            if len(recent_orgs[lang]) > 50:
                                recent_orgs[lang].pop(0)
                        parties_w.add(tuple(row))
                        searchable = {f: row[idx[f]] or "" for f in search_fields}
                        bodies.append((pid, party_body(searchable, points, places)))
                        if kind == "person" and r < 0.2 and recent_orgs[lang]:
                            # A6: this person works for a recent organisation of the same language.
                            org = rng.choice(recent_orgs[lang])
                            title = rng.choice(OCCUPATIONS[lang])
                            contact_w.add(
                                (
                                    contact_w.new_id(),
                                    stamp,
                                    stamp,
                                    org,
                                    pid,
                                    title,
                                    "",
                                    1,
                                    r < 0.05,
                                    "",
                                )
                            )
                        made += 1
                    # Parties first: every other table points at them.
                    for w in writers:
                        w.flush(cursor)
                    # save() is bypassed, so the search index is written here (from memory).
                    # The parties are new: nothing to replace, so no delete by id first
                    # (on PostgreSQL a cached plan for it scanned the growing table).
                    core_search.index(search.KIND, bodies, replace=False)
                    bodies = []
                if stdout and count >= 50_000:
                    rate = made / max(time.monotonic() - started, 0.001)
                    stdout.write(f"  {made:,} / {count:,} parties ({rate:,.0f}/s)")
    finally:
        _restore_indexes(dropped, stdout)
    if tune:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=NORMAL")
    _reset_sequences([w.model for w in writers])
    if count >= BIG_LOAD:
        _analyze([w.model for w in writers])
    return made


def _memoised_body(search):
    import functools

    cached = functools.lru_cache(maxsize=500_000)(normalize)

    def body(party, points, places):
        original = search.normalize
        search.normalize = cached
        try:
            return search.party_body(party, points, places)
        finally:
            search.normalize = original

    return body


def _drop_indexes(models):
    """Drop the named (Meta.indexes) indexes of `models`, and on PostgreSQL those made by
    raw SQL in migrations (the list's partial indexes, the search index's trigram GIN:
    kept up row by row they made a million-row load three times slower); returns what to
    restore."""
    from django.db import connection as conn

    dropped = []
    with conn.schema_editor(atomic=False) as editor:
        for model in models:
            for index in model._meta.indexes:
                editor.remove_index(model, index)
                dropped.append((model, index))
    if conn.vendor == "postgresql":
        from mitra.core import search as core_search

        from .models import Party

        extra = ((Party._meta.db_table, "party_pg_%"), (core_search.TABLE, "%_trgm"))
        with conn.cursor() as cursor:
            for table, pattern in extra:
                cursor.execute(
                    "SELECT indexname, indexdef FROM pg_indexes "
                    "WHERE schemaname = current_schema() AND tablename = %s AND indexname LIKE %s",
                    [table, pattern],
                )
                for name, definition in cursor.fetchall():
                    cursor.execute(f"DROP INDEX {conn.ops.quote_name(name)}")
                    dropped.append((None, definition))
    return dropped


def _restore_indexes(dropped, stdout=None):
    if not dropped:
        return
    started = time.monotonic()
    with connection.schema_editor(atomic=False) as editor:
        if connection.vendor == "postgresql":
            # One sort per index in memory rather than in temporary files.
            editor.execute("SET maintenance_work_mem = '512MB'")
        for model, index in dropped:
            if model is None:
                editor.execute(index)  # a PostgreSQL index's own CREATE INDEX statement
            else:
                editor.add_index(model, index)
        if connection.vendor == "postgresql":
            editor.execute("RESET maintenance_work_mem")
    if stdout:
        stdout.write(f"  indexes rebuilt in {time.monotonic() - started:.1f} s")


def _analyze(models):
    """Fresh planner statistics after a big load, so queries pick the right indexes, and
    the search index merged (as FTS5 advises after a bulk load)."""
    from mitra.core import search as core_search

    core_search.optimize()
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit=1000")
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            for model in models:
                cursor.execute(f"ANALYZE {qn(model._meta.db_table)}")
        elif connection.vendor == "mysql":
            cursor.execute("ANALYZE TABLE " + ", ".join(qn(m._meta.db_table) for m in models))
            cursor.fetchall()


def _reset_sequences(models):
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _digits(rng, n):
    return str(int(rng.random() * 10**n)).zfill(n)


def _national_id(rng, lang):
    return {
        "th": "1" + _digits(rng, 12),
        "fa": _digits(rng, 10),
        "en": "QQ" + _digits(rng, 6) + "C",
    }[lang]


def _tax_id(rng, lang):
    return {
        "th": "0" + _digits(rng, 12),
        "fa": "4" + _digits(rng, 11),
        "en": "GB" + _digits(rng, 9),
    }[lang]


def _phone(rng, lang, kind, place):
    """(country_code, area_code, number, value, e164) written the way people write them."""
    if lang == "th":
        if kind == "mobile":
            d = rng.choice("689") + _digits(rng, 8)
            number = f"0{d[:2]} {d[2:5]} {d[5:]}"
            return "", "", number, number, f"+66{d}"
        area = place[6]
        d = _digits(rng, 7 if area == "2" else 6)
        number = f"{d[:3]} {d[3:]}"
        return "", f"0{area}", number, f"0{area} {number}", f"+66{area}{d}"
    if lang == "fa":
        if kind == "mobile":
            d = "9" + rng.choice(["12", "13", "19", "35", "36", "01", "21"]) + _digits(rng, 7)
            number = f"{d[:3]} {d[3:6]} {d[6:]}"
            return "98", "", number, f"+98 {number}", f"+98{d}"
        area = place[6]
        d = _digits(rng, 8)
        number = f"{d[:4]} {d[4:]}"
        return "98", area, number, f"+98 {area} {number}", f"+98{area}{d}"
    if kind == "mobile":
        d = "7700900" + _digits(rng, 3)
        number = f"{d[:4]} {d[4:]}"
        return "44", "", number, f"+44 {number}", f"+44{d}"
    area = place[6]
    d = _digits(rng, 10 - len(area))
    number = f"{d[:4]} {d[4:]}" if len(d) == 8 else f"{d[:3]} {d[3:]}"
    return "44", area, number, f"+44 {area} {number}", f"+44{area}{d}"


def _contact_points(w, rng, pid, stamp, lang, kind, place, handle, domain, r):
    """Write the party's contact points; returns them as (kind, text, "") for the search
    index, phones as the two digit forms they are searched by (international, national)."""
    found = []

    def phone(kind_, primary, ext=""):
        cc, area, number, value, e164 = _phone(rng, lang, kind_, place)
        w.add(
            (w.new_id(), stamp, stamp, pid, kind_, "", cc, area, number, ext, value, e164, primary)
        )
        intl = e164[1:]
        found.append((kind_, intl, ""))
        found.append((kind_, "0" + intl[len(COUNTRY_DIGITS[lang]) :], ""))

    def text(kind_, value, primary):
        w.add((w.new_id(), stamp, stamp, pid, kind_, "", "", "", "", "", value, "", primary))
        found.append((kind_, value, ""))

    if kind == "person":
        phone("mobile", True)
        if r < 0.7:
            text("email", f"{handle}@{domain}", True)
        if r < 0.3:
            phone("phone", False)
        return found
    phone("phone", True, str(rng.randint(100, 299)) if r < 0.3 else "")
    if r < 0.8:
        text("email", f"{handle}@{domain}", True)
    if r < 0.6:
        text("website", f"https://www.{domain}", False)
    if r < 0.15:
        phone("fax", False)
    return found


def _addresses(w, rng, pid, stamp, lang, kind, place, r):
    city, province, district, post, lat, lng, _area = place
    no = rng.randint(1, 450)
    if lang == "th":
        line1 = f"{no}/{rng.randint(1, 99)} {rng.choice(TH_STREETS)}"
        postcode = f"{post}{rng.randint(10, 99)}"
    elif lang == "fa":
        line1 = f"{rng.choice(FA_STREETS)}، پلاک {str(no).translate(str.maketrans('0123456789', '۰۱۲۳۴۵۶۷۸۹'))}"
        postcode = f"{post}{_digits(rng, 8)}"
    else:
        line1 = f"{no} {rng.choice(EN_STREETS)}"
        postcode = f"{post} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
    jitter_lat = f"{lat + rng.uniform(-0.04, 0.04):.6f}"
    jitter_lng = f"{lng + rng.uniform(-0.04, 0.04):.6f}"
    has_coords = r < 0.7
    found = [(line1, "", district, city, province, postcode)]
    w.add((w.new_id(), stamp, stamp, pid, "contact" if kind == "person" else "billing", line1, "", district, city,
           province, postcode, COUNTRY[lang], jitter_lat if has_coords else None, jitter_lng if has_coords else None,
           True))  # fmt: skip
    if kind == "organisation" and r < 0.3:
        line = f"{line1} ({rng.randint(2, 9)})"
        w.add((w.new_id(), stamp, stamp, pid, "shipping", line, "", district, city,
               province, postcode, COUNTRY[lang], None, None, False))  # fmt: skip
        found.append((line, "", district, city, province, postcode))
    return found
