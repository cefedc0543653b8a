"""Helpers for the import/export tests: walk the import screens as a person would."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mitra.core.imports.models import ImportJob


def csv_bytes(rows, encoding="utf-8", delimiter=","):
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter).writerows(rows)
    return buf.getvalue().encode(encoding)


def xlsx_bytes(rows, title="Sheet1", extra_sheets=()):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    for name, sheet_rows in extra_sheets:
        other = wb.create_sheet(name)
        for row in sheet_rows:
            other.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def form_data(form):
    """The data a browser would post for `form` as rendered (initial values)."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = str(value)
    return data


class ImportSteps:
    """Mixin for BaseTestCase subclasses: upload → columns → preview → import."""

    def upload(self, content, name="parties.csv", encoding="", has_header=True):
        data = {"file": SimpleUploadedFile(name, content), "encoding": encoding}
        if has_header:
            data["has_header"] = "on"
        return self.client.post(reverse("parties:import"), data)

    def latest_job(self, user):
        return ImportJob.objects.filter(owner=user).order_by("-pk").first()

    def columns(self, job, **changes):
        url = reverse("parties:import_columns", args=[job.public_id])
        form = self.client.get(url).context["form"]
        data = form_data(form)
        data.update(changes)
        return self.client.post(url, data)

    def preview(self, job):
        return self.client.get(reverse("parties:import_preview", args=[job.public_id]))

    def start_import(self, job, duplicate_choice="skip", overrides=None):
        data = {"duplicate_choice": duplicate_choice}
        data.update({f"row_{n}": v for n, v in (overrides or {}).items()})
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("parties:import_preview", args=[job.public_id]), data
            )
        job.refresh_from_db()
        return response

    def import_file(self, user, content, name="parties.csv", duplicate_choice="skip", **kwargs):
        self.login(user)
        response = self.upload(content, name, encoding=kwargs.pop("encoding", ""))
        assert response.status_code == 302, (
            response.context["form"].errors if response.context else response
        )
        job = self.latest_job(user)
        response = self.columns(job, **kwargs.pop("columns", {}))
        assert response.status_code == 302, response.context["form"].errors
        self.start_import(job, duplicate_choice, kwargs.pop("overrides", None))
        return job
