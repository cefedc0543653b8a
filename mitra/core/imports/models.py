"""An import run and the rows it could not take. Imported at the end of core/models.py."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mitra.core.models import OwnedModel
from mitra.core.policy import VisibleQuerySet


class DuplicateChoice(models.TextChoices):
    SKIP = "skip", _("Skip (keep the existing record)")
    UPDATE = "update", _("Update the existing record")
    CREATE = "create", _("Create a new record anyway")


class ImportJobQuerySet(VisibleQuerySet):
    def visible_to(self, user):
        """A job is its owner's alone (an administrator sees all): files hold personal data."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(owner=user)


class ImportJob(OwnedModel):
    """One file being imported: its mapping, choices, progress and counts."""

    policy_module = "imports"

    class Status(models.TextChoices):
        MAPPING = "mapping", _("Choosing columns")
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    importer = models.CharField(_("importer"), max_length=200)  # dotted path of the Importer class
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=10, default="csv")
    encoding = models.CharField(_("encoding"), max_length=30, blank=True)
    delimiter = models.CharField(_("delimiter"), max_length=5, blank=True)
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)
    has_header = models.BooleanField(_("first row holds column names"), default=True)
    headers = models.JSONField(_("columns"), default=list, blank=True)
    mapping = models.JSONField(
        _("column mapping"), default=dict, blank=True
    )  # field -> column index
    duplicate_choice = models.CharField(
        _("when a row matches an existing record"),
        max_length=10,
        choices=DuplicateChoice.choices,
        default=DuplicateChoice.SKIP,
    )
    overrides = models.JSONField(
        _("per-row choices"), default=dict, blank=True
    )  # "row number" -> choice
    options = models.JSONField(default=dict, blank=True)  # importer-specific settings

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.MAPPING
    )
    rows_total = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    skipped_count = models.PositiveIntegerField(_("skipped"), default=0)
    failed_count = models.PositiveIntegerField(_("failed"), default=0)
    error = models.TextField(_("error"), blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [
            # "Your recent imports" on the upload page: owner's jobs of one importer, newest first.
            models.Index(
                fields=["owner", "importer", "-created_at"], name="core_importjob_owner_idx"
            ),
        ]

    def __str__(self):
        return self.original_name

    @classmethod
    def scope_q(cls, user, scope):
        return Q(owner=user)

    @property
    def finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED, self.Status.CANCELLED)

    @property
    def percent(self):
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, int(100 * self.rows_done / self.rows_total))

    def choice_for(self, row_number):
        return self.overrides.get(str(row_number), self.duplicate_choice)


class ImportRowError(models.Model):
    """A row that was not imported, with the reason, for the downloadable error report."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="row_errors")
    row_number = models.PositiveIntegerField(_("row"))
    values = models.JSONField(_("values"), default=list)
    message = models.TextField(_("error"))

    class Meta:
        ordering = ["job", "row_number", "id"]
        verbose_name = _("import error")
        verbose_name_plural = _("import errors")
        indexes = [
            # The error report and the result page read a job's errors in row order.
            models.Index(fields=["job", "row_number"], name="core_importerror_job_idx"),
        ]

    def __str__(self):
        return f"{self.row_number}: {self.message}"
