"""Run an ImportJob: read the file in chunks, match, write, report, count.

Each chunk is one transaction that also moves the job's counters, so progress on screen
is exact and a job interrupted by a crash resumes after the last committed chunk.

Reading and parsing (CSV decoding, phone numbers, text normalisation) take as long as
writing, so for large files a forked reading process parses chunk N+1 while this
process writes chunk N. The reader never touches the database: `Importer.parse`,
`clean`, `keys` and `prepare` are pure by contract, and database look-ups happen here,
in `Importer.resolve` and `lookup`.
"""

import contextlib
import gc
import logging
import multiprocessing
import os
import queue as queue_module
import threading
from itertools import islice

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from mitra.core import calendars

from .base import Row, _message
from .models import DuplicateChoice, ImportJob, ImportRowError
from .readers import open_table

logger = logging.getLogger(__name__)
CREATE, UPDATE, SKIP = DuplicateChoice.CREATE, DuplicateChoice.UPDATE, DuplicateChoice.SKIP
# Files with more data rows than this are parsed in a second process when the machine has
# a second CPU (settings.IMPORT_PARALLEL_MIN_ROWS; IMPORT_PARALLEL = False turns it off).
PARALLEL_MIN_ROWS = 20_000
GC_THRESHOLD = 100_000
# Rows parsed by the writing process itself before the reader's chunks arrive (and the
# first chunk's size when one process does both): see parallel_chunks.
FIRST_CHUNK = 2500
# SQLite: rows written between two WAL checkpoints of an import (see _bulk_session).
CHECKPOINT_ROWS = 40_000


def importer_for(job, user=None):
    return import_string(job.importer)(user or job.owner, job)


@contextlib.contextmanager
def as_user(user):
    """The user's language and calendar, so messages and dates read as in their browser."""
    language = getattr(user, "language", None) or "en"
    with translation.override(language):
        script = calendars.default_script_for(user.calendar, language)
        with calendars.override(user.calendar, user.digits, script):
            yield


@contextlib.contextmanager
def job_table(job):
    job.file.open("rb")
    try:
        table = open_table(job.file, job.original_name, job.encoding, job.delimiter, job.sheet)
        try:
            yield table
        finally:
            table.close()
    finally:
        job.file.close()


def data_rows(job, table, skip=0):
    """Row objects for the data rows (after the header row), numbered as in the file."""
    rows = table.rows()
    number = 0
    if job.has_header:
        next(rows, None)
        number = 1
    mapping = [(name, int(index)) for name, index in job.mapping.items()]
    for values in rows:
        number += 1
        if skip:
            skip -= 1
            continue
        width = len(values)
        raw = {name: values[index] for name, index in mapping if index < width and values[index]}
        yield Row(number=number, values=values, raw=raw)


def parse_rows(importer, rows):
    """The database-free part: parse, keys and prepare each row, and mark the rows that
    share a key with another row of the chunk (only those can repeat a row above)."""
    counts = {}
    for row in rows:
        importer.parse(row)
        if not row.errors:
            row.keys = importer.keys(row.data)
            importer.prepare(row)
            for key in row.keys:
                counts[key] = counts.get(key, 0) + 1
    for row in rows:
        row.shared = any(counts[key] > 1 for key in row.keys)
    return rows


def chunk_sizes(size, first=()):
    """`first` sizes (capped at `size`), then `size` for the rest of the file."""
    yield from (min(n, size) for n in first)
    while True:
        yield size


def parsed_chunks(job, importer, table, skip=0, first=()):
    rows = data_rows(job, table, skip)
    for size in chunk_sizes(importer.chunk_size, first):
        chunk = list(islice(rows, size))
        if not chunk:
            return
        yield parse_rows(importer, chunk)


def count_rows(job):
    """Rows in the job's file, read through a handle of its own."""
    with job.file.storage.open(job.file.name, "rb") as fh:
        table = open_table(fh, job.original_name, job.encoding, job.delimiter, job.sheet)
        try:
            return table.count()
        finally:
            table.close()


# -- the reading process ------------------------------------------------------------------


def _reader(job, importer, skip, count, queue, first=()):
    """In the forked reader: send ("rows", chunk)…, ("total", n) once the first chunk is
    on its way, then ("end", None)."""
    gc.set_threshold(GC_THRESHOLD, 50, 100)
    try:
        with job_table(job) as table:
            for i, chunk in enumerate(parsed_chunks(job, importer, table, skip, first)):
                for row in chunk:
                    if not row.errors:
                        importer.transport(row)
                queue.put(("rows", [_pack(row) for row in chunk]))
                if i == 0 and count:
                    # Counted once the writer has work: the progress bar waits a moment.
                    queue.put(("total", count_rows(job)))
                    count = False
            if count:
                queue.put(("total", count_rows(job)))
        queue.put(("end", None))
    except BaseException as exc:  # noqa: BLE001 - reported to the writing process
        logger.exception("import reader failed")
        queue.put(("error", _message(exc)))
    finally:
        queue.close()
        queue.join_thread()


_SEP = "\x1f"  # the ASCII unit separator, never in a cell of a real file


def _pack(row):
    # Plain tuples cross the process boundary several times faster than dataclasses, and
    # the cells (kept only for the error report) as one string rather than a list.
    values = row.values
    joined = _SEP.join(values)
    if joined.count(_SEP) == len(values) - 1:  # no cell holds the separator itself
        values = joined
    return (row.number, values, row.data, row.errors, row.keys, row.extra, row.shared)


def _unpack(item):
    number, values, data, errors, keys, extra, shared = item
    return Row(
        number=number, values=values, data=data, errors=errors, keys=keys, extra=extra,
        shared=shared,
    )  # fmt: skip


def parallel_chunks(job, importer, skip, count):
    """("rows", chunk) and ("total", n) items: the first chunk parsed here, the rest in a
    forked reading process.

    Parsing and writing a row take about as long, so the writer would otherwise wait for
    the reader's first chunk and, while chunks grow to full size, for each next one (half
    a second of a 10-second import). Instead this process parses FIRST_CHUNK rows while
    the reader starts after them, with a chunk of the same size, then one half as large
    again: each is ready by the time the one before is written, and so on at full size.
    """
    size = importer.chunk_size
    mine = min(FIRST_CHUNK, size)
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue(maxsize=3)
    proc = ctx.Process(
        target=_reader,
        args=(job, importer, skip + mine, count, queue, (mine, mine * 3 // 2)),
        daemon=True,
    )
    proc.start()
    try:
        with job_table(job) as table:
            chunk = list(islice(data_rows(job, table, skip), mine))
        if chunk:
            yield "rows", parse_rows(importer, chunk)
        while True:
            try:
                kind, payload = queue.get(timeout=5)
            except queue_module.Empty:
                if not proc.is_alive():
                    raise RuntimeError(
                        _("The process reading the file stopped unexpectedly.")
                    ) from None
                continue
            if kind == "end":
                return
            if kind == "error":
                raise RuntimeError(payload)
            if kind == "rows":
                payload = [_unpack(item) for item in payload]
            yield kind, payload
    finally:
        if proc.is_alive():
            proc.terminate()
        proc.join(timeout=5)


def use_parallel(job):
    if not getattr(settings, "IMPORT_PARALLEL", True) or (os.cpu_count() or 1) < 2:
        return False
    if threading.active_count() > 1:
        return False  # forking a threaded process (a web server thread) is not safe
    size = job.rows_total or 0
    if not size:
        try:
            size = job.file.size // 60  # a typical row is longer than 60 bytes
        except (OSError, ValueError):
            return False
    return size >= getattr(settings, "IMPORT_PARALLEL_MIN_ROWS", PARALLEL_MIN_ROWS)


# -- matching and writing ----------------------------------------------------------------------


def earlier_row(importer, row, pending):
    """A row above (to be created in this pass) that `row` repeats, or None."""
    for key in row.keys:
        for other in pending.get(key, ()):
            if importer.same(row, other):
                return other
    return None


def _decide(job, importer, rows, allow_update):
    """Match each valid row and set its action; return the rows deferred to the next pass.

    A row that repeats a row above it in the same pass and should update it waits for
    the next pass, where matching finds the record just created. Only rows that share a
    key with another row of the chunk (`row.shared`, marked while parsing) can repeat one:
    the others are neither looked up nor remembered here.
    """
    importer.match(rows)
    pending = {}
    deferred = []
    for row in rows:
        earlier = (
            None if row.match is not None or not row.shared else earlier_row(importer, row, pending)
        )
        if row.match is None and earlier is None:
            row.action = CREATE
        else:
            choice = job.choice_for(row.number)
            if choice == UPDATE and not allow_update:
                row.errors.append(
                    _("You may not change existing records, so this row was not imported.")
                )
                row.action = ""
                continue
            if choice == UPDATE and row.match is None:
                deferred.append(row)
                row.action = ""
                continue
            row.action = choice
        if row.action == CREATE and row.shared:
            for k in row.keys:
                pending.setdefault(k, []).append(row)
    return deferred


def _write(importer, creates, updates):
    if creates:
        importer.create(creates)
    if updates:
        importer.update(updates)


def _write_rows(importer, rows):
    """Write in bulk; if that fails, row by row so only the bad rows are lost."""
    creates = [r for r in rows if r.action == CREATE]
    updates = [r for r in rows if r.action == UPDATE]
    try:
        with transaction.atomic():
            _write(importer, creates, updates)
        return
    except Exception:  # noqa: BLE001 - the per-row pass below finds and reports the culprit
        logger.info("bulk import write failed; retrying row by row", exc_info=True)
    for row in rows:
        if row.action not in (CREATE, UPDATE):
            continue
        row.pk = None
        try:
            with transaction.atomic():
                if row.action == CREATE:
                    _write(importer, [row], [])
                else:
                    _write(importer, [], [row])
        except Exception as exc:  # noqa: BLE001 - reported to the user in the error report
            row.errors.append(importer.error_message(exc))
            row.action = ""
            row.pk = None


def process(job, importer, rows, allow_update):
    """Match and write parsed `rows`; returns them with actions and errors set."""
    valid = [r for r in rows if not r.errors]
    importer.resolve(valid)
    todo = [r for r in valid if not r.errors]
    while todo:
        deferred = _decide(job, importer, todo, allow_update)
        writes = [r for r in todo if r.action in (CREATE, UPDATE)]
        importer.before_write(writes)
        for row in writes:
            if row.errors:
                row.action = ""
        _write_rows(importer, [r for r in writes if not r.errors])
        todo = deferred
    return rows


def run_chunk(job, importer, rows, allow_update):
    with transaction.atomic():
        process(job, importer, rows, allow_update)
        counts = {CREATE: 0, UPDATE: 0, SKIP: 0}
        errors = []
        for row in rows:
            if row.errors:
                message = "; ".join(map(str, row.errors))
                values = row.values.split(_SEP) if isinstance(row.values, str) else row.values
                errors.append(
                    ImportRowError(job=job, row_number=row.number, values=values, message=message)
                )
            else:
                counts[row.action] += 1
        if errors:
            ImportRowError.objects.bulk_create(errors)
        ImportJob.objects.filter(pk=job.pk).update(
            rows_done=F("rows_done") + len(rows),
            created_count=F("created_count") + counts[CREATE],
            updated_count=F("updated_count") + counts[UPDATE],
            skipped_count=F("skipped_count") + counts[SKIP],
            failed_count=F("failed_count") + len(errors),
            updated_at=timezone.now(),
        )


def _chunks(job, importer, table_cm):
    """("total", n) then ("rows", chunk) items, read here or in a forked reader."""
    count = job.rows_total is None
    if use_parallel(job):
        yield from parallel_chunks(job, importer, job.rows_done, count)
        return
    with table_cm() as table:
        if count:
            yield "total", table.count()
        for chunk in parsed_chunks(job, importer, table, job.rows_done, (FIRST_CHUNK,)):
            yield "rows", chunk


@contextlib.contextmanager
def _few_collections():
    """An import makes millions of short-lived objects and few cycles: let the garbage
    collector run a hundred times less often than by default (it otherwise costs a
    fifth of the time, mostly while chunks are unpickled)."""
    previous = gc.get_threshold()
    gc.set_threshold(GC_THRESHOLD, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


@contextlib.contextmanager
def _bulk_session():
    """Settings for a long write on SQLite, on this connection only, restored afterwards.

    - A big page cache and memory-mapped reads: every new party goes into a dozen
      indexes, and at a million rows their pages no longer fit the default 2 MB cache.
    - No automatic WAL checkpoint after each chunk (each would copy pages back to the
      database and fsync). Instead a passive checkpoint every CHECKPOINT_ROWS rows,
      between chunks, and one at the end: SQLite then writes the next chunks over the
      start of the WAL file rather than growing it. A WAL left to grow to 600 MB made
      each chunk a third slower by the end of a 100k-row import (extending a file costs
      more than overwriting it). Checkpointing from a second thread while the import
      writes was tried and was a third slower: a page that every chunk changes is then
      copied back once per chunk.

    Yields `written(n)`, to be called after each committed chunk of `n` rows.
    """
    from django.db import connection

    if connection.vendor != "sqlite":
        yield lambda n: None
        return
    cache_mb = getattr(settings, "IMPORT_SQLITE_CACHE_MB", 1024)
    mmap_mb = getattr(settings, "IMPORT_SQLITE_MMAP_MB", 4096)
    with connection.cursor() as cursor:
        previous = {}
        for pragma in ("cache_size", "mmap_size", "wal_autocheckpoint"):
            cursor.execute(f"PRAGMA {pragma}")
            row = cursor.fetchone()  # an in-memory database has no mmap_size
            if row is not None:
                previous[pragma] = int(row[0])
        cursor.execute(f"PRAGMA cache_size = {-int(cache_mb) * 1024}")
        if "mmap_size" in previous:
            cursor.execute(f"PRAGMA mmap_size = {int(mmap_mb) * 1024 * 1024}")
        cursor.execute("PRAGMA wal_autocheckpoint = 0")
    every = getattr(settings, "IMPORT_SQLITE_CHECKPOINT_ROWS", CHECKPOINT_ROWS)
    pending = 0

    def written(n):
        nonlocal pending
        pending += n
        if pending >= every and not connection.in_atomic_block:
            pending = 0
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")

    try:
        yield written
    finally:
        with connection.cursor() as cursor:
            for pragma, value in previous.items():
                cursor.execute(f"PRAGMA {pragma} = {value}")
            if not connection.in_atomic_block:
                cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")


def run_job(job):
    """Import the whole file of `job` (in the worker, or inline for small files)."""
    job.refresh_from_db()
    if job.finished:
        return job
    user = job.owner
    with as_user(user):
        try:
            importer = importer_for(job, user)
            importer.check_permission()
            importer.start()
            allow_update = importer.can_update()
            job.status = ImportJob.Status.RUNNING
            job.started_at = job.started_at or timezone.now()
            job.save(update_fields=["status", "started_at", "updated_at"])
            with _bulk_session() as written, _few_collections():
                for kind, payload in _chunks(job, importer, lambda: job_table(job)):
                    if kind == "total":
                        total = (
                            None
                            if payload is None
                            else max(0, payload - (1 if job.has_header else 0))
                        )
                        ImportJob.objects.filter(pk=job.pk).update(rows_total=total)
                        continue
                    if ImportJob.objects.filter(
                        pk=job.pk, status=ImportJob.Status.CANCELLED
                    ).exists():
                        job.refresh_from_db()
                        return job
                    run_chunk(job, importer, payload, allow_update)
                    written(len(payload))
            importer.finish()
        except Exception as exc:
            logger.exception("import %s failed", job.pk)
            ImportJob.objects.filter(pk=job.pk).update(
                status=ImportJob.Status.FAILED,
                error=_message(exc)[:2000],
                finished_at=timezone.now(),
            )
            job.refresh_from_db()
            return job
    job.refresh_from_db()
    with as_user(user):
        job.error = count_mismatch(job)
    if job.rows_total is None:
        job.rows_total = job.rows_done
    job.status = ImportJob.Status.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["rows_total", "status", "error", "finished_at", "updated_at"])
    from mitra.core.events import record_event

    counts = {k: getattr(job, f"{k}_count") for k in ("created", "updated", "skipped", "failed")}
    record_event(
        "import.finished", job, acting_user=user, payload={"importer": job.importer, **counts}
    )
    # The file holds personal data and is not needed any more: the error report keeps
    # the rows that were not imported.
    discard_file(job)
    return job


def count_mismatch(job):
    """A warning when the rows read (and each counted as created, updated, skipped or not
    imported) are not the rows the file holds by a count of its own; '' when they agree.
    A reader that stopped early (a stale XLSX dimension did) must not end as a quiet
    "finished" with rows missing."""
    done = job.rows_done
    accounted = job.created_count + job.updated_count + job.skipped_count + job.failed_count
    if job.rows_total is not None and job.rows_total != done:
        return _(
            "The file holds %(total)s rows but %(done)s were read: the other rows were "
            "not imported. Save the file again from your spreadsheet program (or as CSV) "
            "and import it once more; rows already imported are found as duplicates."
        ) % {
            "total": calendars.localize_digits(job.rows_total),
            "done": calendars.localize_digits(done),
        }
    if accounted != done:
        return _(
            "%(done)s rows were read but only %(accounted)s are counted as created, updated, "
            "skipped or not imported."
        ) % {
            "done": calendars.localize_digits(done),
            "accounted": calendars.localize_digits(accounted),
        }
    return ""


def discard_file(job):
    if job.file:
        try:
            job.file.delete(save=False)
        except OSError:
            logger.warning("could not delete the file of import %s", job.pk, exc_info=True)
        ImportJob.objects.filter(pk=job.pk).update(file="")


def preview(job, user, limit=None):
    """The first rows parsed and matched, nothing written: (rows, descriptions of matches)."""
    with as_user(user):
        importer = importer_for(job, user)
        importer.start()
        limit = limit or importer.preview_rows
        with job_table(job) as table:
            rows = parse_rows(importer, list(islice(data_rows(job, table), limit)))
        valid = [r for r in rows if not r.errors]
        importer.resolve(valid)
        valid = [r for r in valid if not r.errors]
        importer.match(valid)
        pending = {}
        for row in valid:
            if row.match is None:
                earlier = earlier_row(importer, row, pending)
                row.earlier = earlier.number if earlier is not None else None
            for k in row.keys:
                pending.setdefault(k, []).append(row)
        described = importer.describe({r.match for r in valid if r.match is not None})
    return rows, described


def start(job, inline=False):
    """Queue the job for the worker (after the current transaction commits), or run it now."""
    from .tasks import run_import

    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.QUEUED, updated_at=timezone.now()
    )
    job.status = ImportJob.Status.QUEUED
    if inline:
        return run_job(job)
    transaction.on_commit(lambda: run_import.enqueue(job.pk))
    return job
