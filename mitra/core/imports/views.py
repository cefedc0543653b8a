"""The import screens, shared by every app that imports (parties now, leads later).

An app mounts them with its importer and its templates:

    site = ImportSite(PartyImporter, namespace="parties", templates="parties/io",
                      back_url_name="parties:list")
    urlpatterns = site.urls()

Steps: upload → columns → preview (per-row choices for duplicates) → run (inline for
small files, else in the worker) → progress (htmx polling) → result and error report.
"""

import csv
import logging
from types import SimpleNamespace

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mitra.core.policy import get_for_user

from . import runner
from .forms import MappingForm, PreviewForm, UploadForm
from .lists import IMPORT_JOBS
from .models import ImportJob
from .readers import open_table

logger = logging.getLogger(__name__)
# Files up to this size are imported during the request; larger ones in the worker.
INLINE_MAX_BYTES = 256 * 1024
ERRORS_SHOWN = 50


class ImportSite:
    def __init__(
        self, importer, *, namespace, templates, back_url_name, prefix="import/", context=None
    ):
        self.importer = importer
        self.extra_context = context  # callable(request) -> dict, for the app's page chrome
        self.namespace = namespace
        self.templates = templates.rstrip("/")
        self.back_url_name = back_url_name
        self.prefix = prefix

    # -- plumbing ------------------------------------------------------------------------
    def urls(self):
        p = self.prefix
        return [
            path(p, self.view(self.upload), name="import"),
            path(f"{p}template.csv", self.view(self.template_csv), name="import_template"),
            path(f"{p}<uuid:public_id>/columns/", self.view(self.mapping), name="import_columns"),
            path(f"{p}<uuid:public_id>/preview/", self.view(self.preview), name="import_preview"),
            path(f"{p}<uuid:public_id>/", self.view(self.job), name="import_job"),
            path(
                f"{p}<uuid:public_id>/errors.csv", self.view(self.errors_csv), name="import_errors"
            ),
            path(
                f"{p}<uuid:public_id>/cancel/",
                require_POST(self.view(self.cancel)),
                name="import_cancel",
            ),
        ]

    def view(self, method):
        def wrapped(request, *args, **kwargs):
            self.importer(request.user).check_permission()  # 403 without import + create
            return method(request, *args, **kwargs)

        wrapped.__name__ = method.__name__
        return login_required(wrapped)

    def url(self, name, job=None):
        args = [job.public_id] if job is not None else []
        return reverse(f"{self.namespace}:{name}", args=args)

    def context(self, request, **extra):
        importer = self.importer(request.user)
        url_names = {
            name: f"{self.namespace}:{name}"
            for name in ("import", "import_template", "import_columns", "import_preview", "import_job",
                         "import_errors", "import_cancel")
        }  # fmt: skip
        base = self.extra_context(request) if self.extra_context else {}
        return {
            **base,
            "site": self,
            "label": importer.label,
            "urls": url_names,
            "back_url": reverse(self.back_url_name),
            **extra,
        }

    def render(self, request, template, **extra):
        return render(request, f"{self.templates}/{template}", self.context(request, **extra))

    def get_job(self, request, public_id):
        jobs = ImportJob.objects.filter(importer=self.importer.path())
        return get_for_user(request.user, jobs, public_id=public_id)

    # -- steps -----------------------------------------------------------------------------
    def upload(self, request):
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            job = self._create_job(request, form)
            if job is not None:
                return redirect(self.url("import_columns", job))
        jobs = ImportJob.objects.visible_to(request.user).filter(importer=self.importer.path())
        listing = IMPORT_JOBS.bind(request, jobs)
        recent = listing.paginate(numbered=True)
        for job in recent.object_list:
            step = "import_columns" if job.status == ImportJob.Status.MAPPING else "import_job"
            job.url = self.url(step, job)
        template = "import_upload.html#rows" if listing.is_rows_request() else "import_upload.html"
        return self.render(request, template, form=form, recent=recent, **listing.context())

    def _create_job(self, request, form):
        upload = form.cleaned_data["file"]
        try:
            table = open_table(upload, upload.name, form.cleaned_data.get("encoding") or "")
            try:
                first = next(table.rows(), None)
            finally:
                table.close()
        except Exception as exc:  # noqa: BLE001 - any unreadable file gets the same answer
            logger.info("unreadable import file", exc_info=True)
            form.add_error(
                "file", _("This file cannot be read as CSV or Excel (%(error)s).") % {"error": exc}
            )
            return None
        if not first:
            form.add_error("file", _("The file has no rows."))
            return None
        has_header = form.cleaned_data.get("has_header", False)
        headers = (
            first if has_header else [_("Column %(n)d") % {"n": i + 1} for i in range(len(first))]
        )
        upload.seek(0)
        job = ImportJob(
            owner=request.user,
            importer=self.importer.path(),
            original_name=upload.name[:255],
            file_format=table.format,
            encoding=table.encoding,
            delimiter=table.delimiter,
            sheet=table.sheet or "",
            has_header=has_header,
            headers=headers,
            options={"sheets": table.sheets},
        )
        job.file.save(upload.name, upload, save=False)
        job.mapping = self.importer(request.user, job).guess_mapping(headers)
        job.save()
        return job

    def _samples(self, job):
        """The first data row, shown next to each column name."""
        try:
            with runner.job_table(job) as table:
                rows = table.rows()
                if job.has_header:
                    next(rows, None)
                return next(rows, [])
        except Exception:  # noqa: BLE001 - samples are a nicety
            return []

    def mapping(self, request, public_id):
        job = self.get_job(request, public_id)
        if job.status != ImportJob.Status.MAPPING:
            return redirect(self.url("import_job", job))
        importer = self.importer(request.user, job)
        sheets = job.options.get("sheets") or []
        form = MappingForm(
            request.POST or None,
            importer=importer,
            headers=job.headers,
            samples=self._samples(job),
            initial_mapping=job.mapping,
            sheets=sheets,
            initial={"duplicate_choice": job.duplicate_choice, "sheet": job.sheet,
                     **{f"opt_{k}": v for k, v in job.options.items()}},
        )  # fmt: skip
        sheet = request.POST.get("sheet")
        if request.method == "POST" and sheet and sheet != job.sheet and sheet in sheets:
            # Another sheet has other columns: read its header row and map again.
            job.sheet = sheet
            job.headers = self._headers(job)
            job.mapping = importer.guess_mapping(job.headers)
            job.save(update_fields=["sheet", "headers", "mapping", "updated_at"])
            return redirect(self.url("import_columns", job))
        if request.method == "POST" and form.is_valid():
            job.mapping = form.mapping()
            job.options = {**job.options, **form.options()}
            job.duplicate_choice = form.cleaned_data["duplicate_choice"]
            job.save(update_fields=["mapping", "options", "duplicate_choice", "updated_at"])
            return redirect(self.url("import_preview", job))
        return self.render(request, "import_columns.html", job=job, form=form)

    def _headers(self, job):
        with runner.job_table(job) as table:
            first = next(table.rows(), []) or []
        if job.has_header:
            return first
        return [_("Column %(n)d") % {"n": i + 1} for i in range(len(first))]

    def preview(self, request, public_id):
        job = self.get_job(request, public_id)
        if job.status != ImportJob.Status.MAPPING:
            return redirect(self.url("import_job", job))
        if not job.mapping:
            return redirect(self.url("import_columns", job))
        rows, described = runner.preview(job, request.user)
        form = PreviewForm(
            request.POST or None, rows=rows, initial={"duplicate_choice": job.duplicate_choice}
        )
        if request.method == "POST" and form.is_valid():
            job.duplicate_choice = form.cleaned_data["duplicate_choice"]
            job.overrides = form.overrides()
            job.save(update_fields=["duplicate_choice", "overrides", "updated_at"])
            inline = job.file.size <= getattr(settings, "IMPORT_INLINE_MAX_BYTES", INLINE_MAX_BYTES)
            runner.start(job, inline=inline)
            return redirect(self.url("import_job", job))
        importer = self.importer(request.user, job)
        mapped = [f for f in importer.fields if f.name in job.mapping]
        shown = [
            SimpleNamespace(
                number=row.number,
                errors=row.errors,
                match=row.match,
                earlier=row.earlier,
                cells=[row.raw.get(f.name, "") for f in mapped],
                field=form[f"row_{row.number}"] if f"row_{row.number}" in form.fields else None,
                described=described.get(row.match),
            )
            for row in rows
        ]
        return self.render(
            request,
            "import_preview.html",
            job=job,
            form=form,
            rows=shown,
            mapped=mapped,
            ok_count=sum(1 for r in rows if not r.errors),
        )

    def job(self, request, public_id):
        job = self.get_job(request, public_id)
        if job.status == ImportJob.Status.MAPPING:
            return redirect(self.url("import_columns", job))
        errors = list(job.row_errors.all()[:ERRORS_SHOWN]) if job.finished else []
        waiting = (
            job.status == ImportJob.Status.QUEUED
            and (timezone.now() - job.updated_at).total_seconds() > 30
        )
        template = "import_job.html#progress" if request.htmx else "import_job.html"
        return self.render(request, template, job=job, errors=errors, waiting_for_worker=waiting)

    def cancel(self, request, public_id):
        job = self.get_job(request, public_id)
        if not job.finished:
            ImportJob.objects.filter(pk=job.pk).update(
                status=ImportJob.Status.CANCELLED, finished_at=timezone.now()
            )
            messages.info(request, _("The import was stopped. Rows already imported stay."))
        return redirect(self.url("import_job", job))

    def errors_csv(self, request, public_id):
        job = self.get_job(request, public_id)
        headers = [_("Row"), *job.headers, _("Error")]
        errors = job.row_errors.order_by("row_number", "pk").iterator(chunk_size=2000)

        class Line:
            def write(self, value):
                return value

        writer = csv.writer(Line())

        def lines():
            yield "\ufeff" + writer.writerow(headers)
            for error in errors:
                values = list(error.values) + [""] * (len(job.headers) - len(error.values))
                yield writer.writerow([error.row_number, *values, error.message])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        stem = job.original_name.rsplit(".", 1)[0]
        response["Content-Disposition"] = content_disposition_header(True, f"{stem}-errors.csv")
        return response

    def template_csv(self, request):
        """An empty CSV with every column the importer knows, in the user's language."""
        importer = self.importer(request.user)
        writer = csv.writer(response := HttpResponse(content_type="text/csv; charset=utf-8"))
        response.write("\ufeff")
        writer.writerow([str(f.label) for f in importer.fields])
        response["Content-Disposition"] = content_disposition_header(
            True, f"{self.namespace}-template.csv"
        )
        return response
