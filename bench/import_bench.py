"""Import benchmark: a generated 100k-row party CSV, duplicate checks on, rows per second.

    uv run python -m bench.import_bench [--rows N] [--keep]

Alone, it uses its own SQLite file under var/bench/ (or DATABASE_URL when set). The bench
runner calls `run_import_bench()` inside its own configured Django (the 1M-party database),
so duplicate lookups run against a full table. The imported rows are removed afterwards
(`keep=False`) so the reused database does not grow from run to run.

What is measured is the whole job as the worker runs it (`run_job`): reading and decoding
the file, parsing and validating every field, duplicate matching by the administrator's
rules (one indexed query per key type per chunk), and writing each party with its roles,
contact points, address, group links, search-index row and a "+" history record, chunk by
chunk in transactions, plus the WAL checkpoints. How it gets past 10,000 rows/s on SQLite
(see mitra/core/imports/runner.py and bulk.py): a forked process parses while this one
writes (and this one parses the first rows meanwhile); phones of the usual shapes are read
without phonenumbers' generic steps (mitra.core.text.parse_simple); rows go to SQLite as
one JSON array per table per chunk; each chunk is written in index order (names,
time-ordered uuids); the import connection gets a big page cache and checkpoints the WAL
every 40k rows rather than after every chunk.

History: each imported party gets its own "+" record (who, when, "Imported from <file>"),
copied by the database with one INSERT … SELECT per chunk (about 4% of the time), rather
than a single summary record: the party's history then starts at its creation, and its
first edit shows what changed from the imported values. Roles, contact points and
addresses get no record of their own (the party's and the ImportJob say where they came
from).
"""

import csv
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

BUDGET_ROWS_PER_SECOND = 10_000

THAI_FIRST = [
    "สมชาย",
    "สมหญิง",
    "วิชัย",
    "สุดา",
    "ประเสริฐ",
    "มาลี",
    "อนันต์",
    "กาญจนา",
    "ธนพล",
    "ศิริพร",
    "ณัฐวุฒิ",
    "พิมพ์ชนก",
]
THAI_LAST = [
    "ใจดี",
    "รักไทย",
    "ศรีสุข",
    "วงศ์สวัสดิ์",
    "แก้วมณี",
    "ทองคำ",
    "บุญมา",
    "สายสุวรรณ",
    "เพชรรัตน์",
    "จันทร์เพ็ญ",
]
FA_FIRST = [
    "علی",
    "مریم",
    "رضا",
    "زهرا",
    "حسین",
    "فاطمه",
    "محمد",
    "نگار",
    "کیان",
    "پریسا",
    "یاسمن",
    "کوروش",
]
FA_LAST = [
    "رضایی",
    "کریمی",
    "حسینی",
    "محمدی",
    "احمدی",
    "نوری",
    "کاظمی",
    "یزدانی",
    "پاکزاد",
    "شکوهی",
]
EN_FIRST = [
    "John",
    "Mary",
    "David",
    "Sarah",
    "James",
    "Emma",
    "Robert",
    "Olivia",
    "Michael",
    "Sophia",
]
EN_LAST = [
    "Smith",
    "Brown",
    "Wilson",
    "Taylor",
    "Clarke",
    "Walker",
    "Wright",
    "Green",
    "Hall",
    "Wood",
]
ORG_WORDS = {
    "th": (["บริษัท", "ห้างหุ้นส่วน"], ["สยาม", "ไทยรุ่งเรือง", "เจริญผล", "มั่นคง", "อุดมสุข"], ["จำกัด", "จำกัด (มหาชน)"]),
    "fa": (["شرکت", "گروه"], ["پارس", "آریا", "سپهر", "کاوه", "البرز"], ["تجارت", "صنعت", "گستر"]),
    "en": (["Acme", "Northwind", "Blue River", "Summit", "Evergreen"], ["Trading", "Logistics", "Foods", "Systems"], ["Ltd", "Co.", "Group"]),
}  # fmt: skip
PLACES = {
    "th": [("กรุงเทพมหานคร", "กรุงเทพมหานคร", "TH"), ("เชียงใหม่", "เชียงใหม่", "TH"), ("ขอนแก่น", "ขอนแก่น", "TH")],
    "fa": [("تهران", "تهران", "IR"), ("اصفهان", "اصفهان", "IR"), ("شیراز", "فارس", "IR")],
    "en": [("London", "Greater London", "GB"), ("Bangkok", "Bangkok", "TH"), ("Manchester", "Lancashire", "GB")],
}  # fmt: skip
HEADER = ["name", "first name", "last name", "type", "phone", "email", "city", "province", "country",
          "tax id", "roles", "stage", "group"]  # fmt: skip


def _phone(lang, rnd, n):
    if lang == "fa":
        return f"+98 912 {n // 10000 % 1000:03d} {n % 10000:04d}"
    return f"08{rnd.randint(1, 9)}-{n // 10000 % 1000:03d}-{n % 10000:04d}"


def generate_csv(path, rows=100_000, seed=3, duplicate_share=0.02):
    """Write a party CSV (UTF-8 with BOM, as Excel saves it) of `rows` data rows."""
    rnd = random.Random(seed)
    written = []
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        out = csv.writer(fh)
        out.writerow(HEADER)
        for i in range(rows):
            if written and rnd.random() < duplicate_share:
                out.writerow(rnd.choice(written))  # the same party twice: a duplicate to skip
                continue
            lang = rnd.choice(("th", "fa", "en"))
            city, province, country = rnd.choice(PLACES[lang])
            n = 1_000_000 + i
            if rnd.random() < 0.3:
                a, b, c = ORG_WORDS[lang]
                row = [f"{rnd.choice(a)} {rnd.choice(b)} {rnd.choice(c)} {i}", "", "", "organisation",
                       _phone(lang, rnd, n), f"info{i}@example{i % 97}.com", city, province, country,
                       f"{n:013d}", "customer;supplier" if i % 5 == 0 else "customer", "customer",
                       rnd.choice(["Wholesale", "Retail / Online", "Export"])]  # fmt: skip
            else:
                first = {"th": THAI_FIRST, "fa": FA_FIRST, "en": EN_FIRST}[lang]
                last = {"th": THAI_LAST, "fa": FA_LAST, "en": EN_LAST}[lang]
                row = ["", rnd.choice(first), f"{rnd.choice(last)} {i}", "person", _phone(lang, rnd, n),
                       f"person{i}@example{i % 89}.com", city, province, country, "", "lead", "prospect", ""]  # fmt: skip
            out.writerow(row)
            if len(written) < 5000:
                written.append(row)
    return path


def run_import_bench(rows=100_000, keep=False, user=None):
    """Import a generated `rows`-row CSV as `user` (a bench superuser by default); returns
    {"rows", "seconds", "rows_per_s", "created", "skipped", "failed", "budget", "ok"}."""
    from django.core.files import File

    from mitra.core.imports.models import ImportJob
    from mitra.core.imports.runner import run_job
    from mitra.parties.importers import PartyImporter
    from mitra.users.models import User

    if user is None:
        user, _created = User.objects.get_or_create(
            username="bench-import", defaults={"is_superuser": True, "is_staff": True}
        )
    with tempfile.TemporaryDirectory() as tmp:
        path = generate_csv(Path(tmp) / "parties.csv", rows)
        importer = PartyImporter(user)
        headers = HEADER
        with open(path, "rb") as fh:
            job = ImportJob(
                owner=user,
                importer=PartyImporter.path(),
                original_name="bench-parties.csv",
                headers=headers,
                mapping=importer.guess_mapping(headers),
                duplicate_choice="skip",
            )
            job.file.save("bench-parties.csv", File(fh), save=False)
            job.save()
    try:
        started = time.perf_counter()
        job = run_job(job)
        seconds = time.perf_counter() - started
        result = {
            "rows": job.rows_done,
            "seconds": round(seconds, 2),
            "rows_per_s": round(job.rows_done / seconds) if seconds else 0,
            "created": job.created_count,
            "skipped": job.skipped_count,
            "failed": job.failed_count,
            "status": job.status,
            "budget": BUDGET_ROWS_PER_SECOND,
        }
        result["ok"] = (
            job.status == "done"
            and job.failed_count == 0
            and result["rows_per_s"] >= BUDGET_ROWS_PER_SECOND
        )
        if job.error:
            result["error"] = job.error
        return result
    finally:
        if not keep:
            remove_imported(job)
        job.file.delete(save=False)
        job.delete()


def remove_imported(job):
    """Delete what the bench import created, with plain SQL (the ORM's delete would write a
    history record per row, which is right for people and far too slow for 100k rows)."""
    from django.db import connection, transaction

    from mitra.parties.models import Address, ContactPoint, GroupMembership, Party, PartyRole

    since = job.created_at
    owned = Party.all_objects.filter(owner=job.owner, created_at__gte=since)
    ids_sql, ids_params = owned.values("id").query.sql_with_params()
    qn = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for model in (
            PartyRole,
            ContactPoint,
            Address,
            GroupMembership,
            Party.managers.through,
            Party.starred_by.through,
        ):
            cursor.execute(
                f"DELETE FROM {qn(model._meta.db_table)} WHERE party_id IN ({ids_sql})", ids_params
            )
        history = Party.history.model
        cursor.execute(
            f"DELETE FROM {qn(history._meta.db_table)} WHERE history_user_id = %s AND history_date >= %s",
            [job.owner.pk, since],
        )
        _remove_search_rows(cursor, ids_sql, ids_params)
        cursor.execute(
            f"DELETE FROM {qn(Party._meta.db_table)} WHERE id IN ({ids_sql})", ids_params
        )
    from mitra.core import search as core_search

    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        # Deleting 100k rows from the FTS5 index writes as many delete markers, which
        # later writes merge in: left there, each bench run would import into a larger
        # and messier index than the last, and one run in a few would pay for a big merge.
        # Merge them now, so every run starts from the index it started from before.
        core_search.optimize()
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # A hundred thousand dead rows at the ends of the id, code and date indexes make
        # the planner's probes of those ends slow (planning a caller-ID lookup went from
        # 0.3 to 3 ms) until autovacuum comes round: clean up now, as found.
        tables = [Party, PartyRole, ContactPoint, Address, GroupMembership, Party.history.model]
        with connection.cursor() as cursor:
            for model in tables:
                cursor.execute(f"VACUUM ANALYZE {qn(model._meta.db_table)}")
            cursor.execute(f"VACUUM ANALYZE {qn(core_search.TABLE)}")


def _remove_search_rows(cursor, ids_sql, ids_params):
    """The parties app may keep a search index of its own; let it drop the bench rows."""
    from mitra.parties import search

    unindex = getattr(search, "unindex_parties_sql", None)
    if unindex is not None:
        unindex(cursor, ids_sql, ids_params)


def main(argv=None):
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the imported parties")
    opts = parser.parse_args(argv)
    root = Path(__file__).resolve().parent.parent
    if "DATABASE_URL" not in os.environ:
        bench_dir = Path(os.environ.get("MITRA_VAR_DIR", root / "var")) / "bench"
        bench_dir.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{bench_dir / 'import.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mitra.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    result = run_import_bench(rows=opts.rows, keep=opts.keep)
    print(json.dumps({"import": result}, ensure_ascii=False, indent=2))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
