"""Demo activities: about ten interactions per demo party, plus follow-ups, appointments,
tasks, notes and news. Safe to run again: parties already given activities are skipped
(the last one done is kept in a CodeSequence row), so `mitra demo --parties N` that adds
parties also adds their activities. Rows go in with bulk_create and ids assigned here; no
history rows for demo data.
"""

import datetime as dt
import random
import time
import uuid

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

SEED = 20260404
CHUNK = 2000  # parties per transaction

RESULTS = [
    ("Interested", True),
    ("Sent a quotation", False),
    ("Call back later", False),
    ("Not interested", False),
    ("Problem solved", True),
    ("Ordered", True),
]
REASONS = [
    "Product information",
    "Price enquiry",
    "Delivery problem",
    "Invoice question",
    "Complaint",
    "After-sales service",
]
# The codes' names in Thai and Persian (each code's `labels`).
LOOKUP_LABELS = {
    "Interested": ("สนใจ", "علاقه‌مند"),
    "Sent a quotation": ("ส่งใบเสนอราคาแล้ว", "پیش‌فاکتور فرستاده شد"),
    "Call back later": ("โทรกลับภายหลัง", "بعداً تماس گرفته شود"),
    "Not interested": ("ไม่สนใจ", "علاقه‌مند نیست"),
    "Problem solved": ("แก้ปัญหาแล้ว", "مشکل حل شد"),
    "Ordered": ("สั่งซื้อแล้ว", "سفارش داد"),
    "Product information": ("ข้อมูลสินค้า", "اطلاعات محصول"),
    "Price enquiry": ("สอบถามราคา", "استعلام قیمت"),
    "Delivery problem": ("ปัญหาการจัดส่ง", "مشکل ارسال"),
    "Invoice question": ("สอบถามใบแจ้งหนี้", "پرسش درباره فاکتور"),
    "Complaint": ("ร้องเรียน", "شکایت"),
    "After-sales service": ("บริการหลังการขาย", "خدمات پس از فروش"),
    "Website": ("เว็บไซต์", "وب‌سایت"),
    "Facebook": ("เฟซบุ๊ก", "فیسبوک"),
    "LINE": ("ไลน์", "لاین"),
    "Instagram": ("อินสตาแกรม", "اینستاگرام"),
    "Google": ("กูเกิล", "گوگل"),
    "Exhibition": ("งานแสดงสินค้า", "نمایشگاه"),
    "Newspaper": ("หนังสือพิมพ์", "روزنامه"),
    "Referral": ("มีผู้แนะนำ", "معرفی دیگران"),
    "Sales meeting": ("ประชุมการขาย", "جلسه فروش"),
    "Demo": ("สาธิตสินค้า", "نمایش محصول"),
    "Service visit": ("เข้าบริการ", "بازدید سرویس"),
    "Contract signing": ("ลงนามสัญญา", "امضای قرارداد"),
    "Internal": ("ภายใน", "داخلی"),
}
MEDIA = [
    "Website",
    "Facebook",
    "LINE",
    "Instagram",
    "Google",
    "Exhibition",
    "Newspaper",
    "Referral",
]
APPOINTMENT_TYPES = ["Sales meeting", "Demo", "Service visit", "Contract signing", "Internal"]
PRODUCTS = ["Water pump WP-200", "Solar panel SP-450", "Air filter AF-10", "Maintenance plan",
            "Inverter INV-5K", "Spare parts kit", "Installation service"]  # fmt: skip

SUBJECTS = {
    "th": ["โทรสอบถามราคา", "ติดตามใบเสนอราคา", "นัดสาธิตสินค้า", "แจ้งปัญหาการจัดส่ง",
           "สอบถามบริการหลังการขาย", "ส่งแคตตาล็อกสินค้า", "เยี่ยมลูกค้า", "ขอใบแจ้งหนี้ใหม่"],
    "fa": ["استعلام قیمت", "پیگیری پیش‌فاکتور", "هماهنگی دمو محصول", "گزارش مشکل ارسال",
           "پرسش درباره خدمات پس از فروش", "ارسال کاتالوگ", "بازدید از مشتری", "درخواست فاکتور جدید"],
    "en": ["Price enquiry", "Quotation follow-up", "Product demo request", "Delivery problem",
           "After-sales question", "Sent the catalogue", "Customer visit", "New invoice requested"],
}  # fmt: skip
TASKS = {
    "th": ["เตรียมใบเสนอราคา", "ติดตั้งเครื่องที่หน้างาน", "ตรวจเช็คระบบประจำปี", "ส่งเอกสารสัญญา"],
    "fa": ["آماده‌سازی پیش‌فاکتور", "نصب دستگاه در محل", "سرویس دوره‌ای سالانه", "ارسال مدارک قرارداد"],
    "en": ["Prepare the quotation", "Install on site", "Yearly system check", "Send contract papers"],
}  # fmt: skip
STEPS = {
    "th": ["ตรวจสอบความต้องการ", "ยืนยันกับลูกค้า", "สรุปผล"],
    "fa": ["بررسی نیازها", "تأیید با مشتری", "جمع‌بندی"],
    "en": ["Check the requirements", "Confirm with the customer", "Write up the result"],
}
FOLLOWUP_RESULTS = {
    "th": ["ลูกค้าสนใจ ขอข้อมูลเพิ่ม", "ยังไม่ตัดสินใจ", "รอการอนุมัติงบประมาณ", "ตกลงซื้อ"],
    "fa": ["مشتری علاقه‌مند است و اطلاعات بیشتر خواست", "هنوز تصمیم نگرفته", "منتظر تأیید بودجه", "خرید را تأیید کرد"],
    "en": ["Interested, wants more details", "Not decided yet", "Waiting for budget approval", "Agreed to buy"],
}  # fmt: skip
PLACES = {
    "th": ["สำนักงานลูกค้า สีลม", "โชว์รูมบางนา", "ออนไลน์ (Zoom)"],
    "fa": ["دفتر مشتری، ونک", "نمایشگاه شرکت", "آنلاین"],
    "en": ["Customer's office", "Our showroom", "Online"],
}
NEWS = [
    ("meeting", "Monthly sales meeting", "All sales teams: Monday 10:00 in the big meeting room.", None),
    ("event", "งานเลี้ยงปีใหม่บริษัท", "ขอเชิญพนักงานทุกท่านร่วมงานเลี้ยงปีใหม่ ศุกร์นี้ 18:00 น.", "Bangkok sales"),
    ("rule", "New rule: log every customer call", "Every call with a customer is logged in Mitra the same day.", None),
    ("meeting", "جلسه هفتگی تیم فروش", "جلسه هفتگی تیم فروش تهران، شنبه ساعت ۹ صبح.", "Tehran sales"),
]  # fmt: skip
NOTES = {
    "th": "อย่าลืมโทรหาลูกค้ารายใหญ่ก่อนสิ้นเดือน",
    "fa": "یادت نرود قبل از آخر ماه با مشتریان بزرگ تماس بگیری",
    "en": "Remember to call the key accounts before the month ends",
}


def _lookups():
    from .models import LOOKUP_MODULE, Lookup, LookupKind

    out = {}
    specs = [(LookupKind.RESULT, n, s) for n, s in RESULTS]
    specs += [(LookupKind.REASON, n, False) for n in REASONS]
    specs += [(LookupKind.MEDIUM, n, False) for n in MEDIA]
    specs += [(LookupKind.APPOINTMENT_TYPE, n, False) for n in APPOINTMENT_TYPES]
    for i, (kind, name, success) in enumerate(specs):
        th, fa = LOOKUP_LABELS.get(name, (name, name))
        obj, _created = Lookup.objects.get_or_create(
            module=LOOKUP_MODULE,
            kind=kind,
            name=name,
            defaults={"order": i, "is_success": success, "labels": {"th": th, "fa": fa}},
        )
        if not obj.labels:  # made by an earlier demo without labels
            Lookup.objects.filter(pk=obj.pk).update(labels={"th": th, "fa": fa})
        out.setdefault(kind, []).append(obj.pk)
    return out


class _Ids:
    """Primary keys handed out here so targets can point at rows before they are saved."""

    def __init__(self, model):
        self.next = (model._base_manager.aggregate(m=Max("pk"))["m"] or 0) + 1

    def __call__(self):
        pk = self.next
        self.next += 1
        return pk


class _Rows:
    """INSERTs of plain tuples through one prepared statement (far faster than the ORM)."""

    def __init__(self, model, columns):
        qn = connection.ops.quote_name
        cols = ", ".join(qn(c) for c in columns)
        marks = ", ".join(["%s"] * len(columns))
        self.sql = f"INSERT INTO {qn(model._meta.db_table)} ({cols}) VALUES ({marks})"
        self.rows = []

    def flush(self, cursor):
        for i in range(0, len(self.rows), 5000):
            cursor.executemany(self.sql, self.rows[i : i + 5000])
        self.rows = []


def _lang(user):
    return user.language if user.language in SUBJECTS else "en"


# Ten interactions for each of a million parties would take a quarter of an hour; the
# demo gives activities to the first parties only unless asked (`--activities-for 0`).
DEFAULT_ACTIVITY_PARTIES = 20_000


def load(stdout=None, activities_for=None, **options):
    """Give demo parties that have none yet their activities; returns interactions added.

    `activities_for` caps how many parties (the oldest first) get activities; 0 means all.
    """
    from mitra.core.numbering import CodeSequence
    from mitra.parties.models import Party
    from mitra.users.models import User

    if not Party.all_objects.exists():
        return 0
    started = time.monotonic()
    lookups = _lookups()
    users = {u.pk: u for u in User.objects.filter(is_active=True)}
    done = (
        CodeSequence.objects.filter(name="activities-demo").values_list("value", flat=True).first()
        or 0
    )
    last = Party.all_objects.aggregate(m=Max("pk"))["m"] or 0
    cap = DEFAULT_ACTIVITY_PARTIES if activities_for is None else int(activities_for)
    if cap > 0:
        cap_pk = (
            Party.all_objects.order_by("pk").values_list("pk", flat=True)[cap - 1 : cap].first()
        )
        last = min(last, cap_pk or last)
    added = 0
    if last > done:
        rng = random.Random(SEED + done)
        cursor_id = done
        while cursor_id < last:
            rows = list(
                Party.all_objects.filter(pk__gt=cursor_id)
                .order_by("pk")
                .values_list("pk", "owner_id", "team_id")[:CHUNK]
            )
            if not rows:
                break
            with transaction.atomic():
                added += _chunk(rows, users, lookups, rng)
                cursor_id = rows[-1][0]
                CodeSequence.objects.update_or_create(
                    name="activities-demo", defaults={"value": cursor_id}
                )
            if stdout and last - done > 20 * CHUNK:
                stdout.write(
                    f"  activities for parties up to #{cursor_id:,}: {added:,} interactions"
                )
        _reset_sequences()
    _news_and_notes(users)
    if stdout:
        stdout.write(
            f"demo activities: {added} interactions added in {time.monotonic() - started:.1f} s"
        )
    return added


def _chunk(rows, users, lookups, rng):
    from .models import (
        Appointment,
        AppointmentTarget,
        Channel,
        Direction,
        FollowUp,
        Interaction,
        InteractionTarget,
        LookupKind,
        Task,
        TaskStatus,
        TaskStep,
        TaskTarget,
    )

    now = timezone.now()
    ops = connection.ops
    native_uuid = connection.features.has_native_uuid_field
    ids = {m: _Ids(m) for m in (Interaction, FollowUp, Appointment, Task)}
    target_id = _Ids(InteractionTarget)
    int_rows = _Rows(Interaction, ["id", "created_at", "updated_at", "public_id", "owner_id",
                                   "team_id", "subject", "user_id", "channel", "direction",
                                   "occurred_at", "products", "result_id", "reason_id",
                                   "medium_id", "notes", "is_private"])  # fmt: skip
    target_rows = _Rows(InteractionTarget, ["id", "interaction_id", "party_id", "at"])
    # Times drawn from a pool of ready-to-insert values: adapting each one is the slow part.
    pool = sorted(
        (now - dt.timedelta(minutes=rng.randint(0, 730 * 24 * 60)) for _ in range(4000)),
        reverse=True,
    )
    adapted = [ops.adapt_datetimefield_value(t) for t in pool]
    false = False
    followups, appts, a_targets, participants = [], [], [], []
    tasks, t_targets, steps = [], [], []
    channels = [c for c, _l in Channel.choices]
    weights = [30, 20, 8, 12, 1, 10, 6, 2]
    results = lookups[LookupKind.RESULT] + [None]
    reasons = lookups[LookupKind.REASON] + [None, None]
    media = lookups[LookupKind.MEDIUM] + [None]
    types = lookups[LookupKind.APPOINTMENT_TYPE]
    through = Appointment.participants.through
    directions = [Direction.IN.value, Direction.OUT.value]
    products = PRODUCTS + [""] * 5
    count = 0
    for party_id, owner_id, team_id in rows:
        owner = users.get(owner_id)
        if owner is None:
            continue
        lang = _lang(owner)
        subjects = SUBJECTS[lang]
        n = rng.randint(0, 20)
        picks = rng.choices(channels, weights, k=n)
        for k in range(n):
            pk = ids[Interaction]()
            t = rng.randrange(len(pool))
            public_id = uuid.uuid4()
            int_rows.rows.append((
                pk, adapted[t], adapted[t], public_id if native_uuid else public_id.hex, owner_id,
                team_id, rng.choice(subjects), owner_id, picks[k], rng.choice(directions),
                adapted[t], rng.choice(products), rng.choice(results), rng.choice(reasons),
                rng.choice(media), "", false,
            ))  # fmt: skip
            target_rows.rows.append((target_id(), pk, party_id, adapted[t]))
        count += n
        if rng.random() < 0.25:  # a lead being followed
            previous = None
            chain = rng.randint(1, 4)
            at = now - dt.timedelta(days=rng.randint(20, 120))
            for step in range(chain):
                pk = ids[FollowUp]()
                last = step == chain - 1
                won = last and rng.random() < 0.3
                next_date = None
                if last and not won:
                    next_date = (now + dt.timedelta(days=rng.randint(-5, 30))).date()
                followups.append(
                    FollowUp(
                        pk=pk, owner_id=owner_id, team_id=team_id, party_id=party_id,
                        followed_up_at=at, result=rng.choice(FOLLOWUP_RESULTS[lang]),
                        next_date=next_date, led_to_sale=won, previous_id=previous,
                        is_current=last, created_at=at, updated_at=at,
                    )
                )  # fmt: skip
                previous = pk
                at += dt.timedelta(days=rng.randint(3, 20))
        if rng.random() < 0.2:
            pk = ids[Appointment]()
            day = now + dt.timedelta(days=rng.randint(-30, 30))
            start = day.replace(
                hour=rng.choice((2, 3, 4, 6, 7, 8)), minute=0, second=0, microsecond=0
            )
            appts.append(
                Appointment(
                    pk=pk, owner_id=owner_id, team_id=team_id, type_id=rng.choice(types),
                    subject=rng.choice(SUBJECTS[lang]), place=rng.choice(PLACES[lang]),
                    start=start, end=start + dt.timedelta(minutes=rng.choice((30, 60, 90))),
                    status=Appointment.Status.DONE if start < now else Appointment.Status.PLANNED,
                    reminder_minutes=15, created_at=now, updated_at=now,
                )
            )  # fmt: skip
            a_targets.append(AppointmentTarget(appointment_id=pk, party_id=party_id, at=start))
            participants.append(through(appointment_id=pk, user_id=owner_id))
        if rng.random() < 0.2:
            pk = ids[Task]()
            status = rng.choice(TaskStatus.values)
            created = now - dt.timedelta(days=rng.randint(1, 40))
            closed = status in (TaskStatus.DONE, TaskStatus.CANCELLED)
            tasks.append(
                Task(
                    pk=pk, owner_id=owner_id, team_id=team_id, assignee_id=owner_id,
                    title=rng.choice(TASKS[lang]), status=status,
                    due_at=now + dt.timedelta(days=rng.randint(-10, 20), hours=rng.randint(0, 8)),
                    priority=rng.choice((0, 1, 1, 2, 3)),
                    result=("ok" if rng.random() < 0.8 else "failed") if status == TaskStatus.DONE else "",
                    started_at=created if status != TaskStatus.NOT_STARTED else None,
                    closed_at=now if closed else None, created_at=created, updated_at=created,
                )
            )  # fmt: skip
            t_targets.append(TaskTarget(task_id=pk, party_id=party_id, at=now))
            for order, title in enumerate(STEPS[lang]):
                steps.append(
                    TaskStep(
                        task_id=pk, title=title, order=order, done=closed or rng.random() < 0.3
                    )
                )
    batch = 5000
    with connection.cursor() as cursor:
        int_rows.flush(cursor)
        target_rows.flush(cursor)
    FollowUp.objects.bulk_create(followups, batch_size=batch)
    Appointment.objects.bulk_create(appts, batch_size=batch)
    AppointmentTarget.objects.bulk_create(a_targets, batch_size=batch)
    through.objects.bulk_create(participants, batch_size=batch)
    Task.objects.bulk_create(tasks, batch_size=batch)
    TaskTarget.objects.bulk_create(t_targets, batch_size=batch)
    TaskStep.objects.bulk_create(steps, batch_size=batch)
    return count


def _reset_sequences():
    from .models import Appointment, FollowUp, Interaction, InteractionTarget, Task

    models = [Interaction, InteractionTarget, FollowUp, Appointment, Task]
    sql = connection.ops.sequence_reset_sql(no_style(), models)
    if sql:
        with connection.cursor() as cursor:
            for statement in sql:
                cursor.execute(statement)


def _news_and_notes(users):
    """A few organisation posts and notes between the demo users (once)."""
    from mitra.users.models import Team

    from .models import News, Note, NoteRecipient

    if News.objects.exists():
        return
    by_name = {u.username: u for u in users.values()}
    author = by_name.get("manager") or next(iter(users.values()), None)
    if author is None:
        return
    teams = {t.name: t for t in Team.objects.all()}
    now = timezone.now()
    for i, (kind, title, body, team) in enumerate(NEWS):
        News.objects.create(
            owner=author, kind=kind, title=title, body=body, audience_team=teams.get(team),
            published_at=now - dt.timedelta(days=i * 3),
            event_at=now + dt.timedelta(days=3 + i) if kind != "rule" else None,
        )  # fmt: skip
    names = [n for n in ("manager", "somchai", "sara", "emma") if n in by_name]
    for i, name in enumerate(names):
        sender = by_name[name]
        lang = _lang(sender)
        Note.objects.create(owner=sender, title="", body=NOTES[lang], remind_on=now.date())
        to = by_name[names[(i + 1) % len(names)]]
        if to.pk != sender.pk:
            note = Note.objects.create(owner=sender, title=SUBJECTS[lang][i % 8], body=NOTES[lang])
            NoteRecipient.objects.create(note=note, user=to)
