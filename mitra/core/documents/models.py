"""Company letterhead, document templates per type and language, issued PDF snapshots."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mitra.core.models import PublicIdModel, TimeStampedModel
from mitra.core.versioning import VersionedModel


class Language(models.TextChoices):
    EN = "en", "English"
    TH = "th", "ไทย"
    FA = "fa", "فارسی"


class CompanyProfile(TimeStampedModel, PublicIdModel, VersionedModel):
    """The company as its letterheads show it: one row, with a name and address per language."""

    name = models.CharField(_("company name"), max_length=255, blank=True)
    address = models.TextField(_("address"), blank=True)
    tax_id = models.CharField(_("tax ID"), max_length=40, blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.CharField(_("website"), max_length=255, blank=True)
    logo = models.ImageField(_("logo"), upload_to="documents/logo/", blank=True)
    # {"th": {"name": "…", "address": "…"}, "fa": {…}}: blank falls back to the default.
    localized = models.JSONField(default=dict, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("company profile")
        verbose_name_plural = _("company profile")

    def __str__(self):
        return self.name or str(_("Company"))

    @classmethod
    def current(cls):
        """The one profile (created empty on first use)."""
        profile = cls.objects.order_by("pk").first()
        if profile is None:
            profile = cls.objects.create()
        return profile

    def in_language(self, language):
        own = (self.localized or {}).get(language) or {}
        return {
            "name": own.get("name") or self.name,
            "address": own.get("address") or self.address,
            "tax_id": self.tax_id,
            "phone": self.phone,
            "email": self.email,
            "website": self.website,
        }


class DocumentTemplate(TimeStampedModel, PublicIdModel, VersionedModel):
    """What one document type looks like in one language: blocks of sandboxed template text
    with merge fields (`core.documents.sandbox`). Company-wide configuration."""

    doc_type = models.CharField(_("document type"), max_length=80)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    title = models.CharField(_("title"), max_length=255)
    header = models.TextField(_("header"), blank=True, help_text=_("Shown under the letterhead."))
    body = models.TextField(_("body"))
    footer = models.TextField(_("footer"), blank=True)
    css = models.TextField(_("extra style (CSS)"), blank=True)
    show_letterhead = models.BooleanField(_("show the letterhead"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["doc_type", "language"]
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")
        constraints = [
            # One template per type and language: the one a document is rendered with.
            models.UniqueConstraint(
                fields=["doc_type", "language"], name="documenttemplate_type_language_uniq"
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.get_language_display()})"

    BLOCKS = ("title", "header", "body", "footer")

    def clean(self):
        from .sandbox import validate

        errors = {}
        for name in self.BLOCKS:
            try:
                validate(getattr(self, name))
            except ValidationError as exc:
                errors[name] = exc.error_list
        if "<" in (self.css or ""):
            errors["css"] = [ValidationError(_("Style may not contain “<”."), code="css")]
        if errors:
            raise ValidationError(errors)


class IssuedDocument(PublicIdModel):
    """An issued revision of a document: the PDF as it was given out, never changed.

    Issuing again makes the next revision of the same record's document; no row or file is
    ever overwritten (`save` refuses an update, `delete` refuses)."""

    doc_type = models.CharField(_("document type"), max_length=80)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record_public_id = models.UUIDField()
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    revision = models.PositiveIntegerField(_("revision"))
    title = models.CharField(_("title"), max_length=255)
    template_version = models.PositiveIntegerField(default=1)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="documents/issued/%Y/%m/")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)

    class Meta:
        ordering = ["-revision"]
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "doc_type", "revision"],
                name="issueddocument_revision_uniq",
            )
        ]
        # The record's list of issued revisions, newest first (the unique index serves it).

    def __str__(self):
        return f"{self.title} · {self.revision}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("An issued document cannot be changed."), code="immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("An issued document cannot be deleted."), code="immutable")

    @property
    def filename(self):
        return f"{self.title}-{self.revision}-{self.language}.pdf"
