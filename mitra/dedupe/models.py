"""Duplicate detection of parties (A14): rules an administrator sets, the pairs a scan
found for review, and a record of every merge."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from mitra.core.models import PublicIdModel, TimeStampedModel
from mitra.core.policy import VisibleQuerySet
from mitra.parties.duplicates import Field
from mitra.parties.models import Party


class DuplicateRuleQuerySet(VisibleQuerySet):
    def active(self):
        return self.filter(is_active=True)


class DuplicateRule(TimeStampedModel, PublicIdModel):
    """Two parties are possible duplicates when every field of an active rule matches.

    Names are compared after normalisation (Persian/Arabic letters, Thai, digits, case,
    spacing) and match when their similarity reaches `name_similarity` percent (100: the
    same name). Phones compare as E.164, emails without case, IDs by their digits.
    """

    policy_module = "duplicate_rules"

    # Blank: shown as the translated list of its fields ("Phone + Name").
    name = models.CharField(_("name"), max_length=120, blank=True)
    fields = models.JSONField(_("fields that must match"), default=list)
    name_similarity = models.PositiveSmallIntegerField(
        _("name similarity (%)"),
        default=85,
        validators=[MinValueValidator(50), MaxValueValidator(100)],
        help_text=_("100 means the same name after normalisation; lower also catches typos."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = DuplicateRuleQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("duplicate rule")
        verbose_name_plural = _("duplicate rules")

    def __str__(self):
        return self.name or " + ".join(str(label) for label in self.get_fields_display())

    @classmethod
    def scope_q(cls, user, scope):
        return Q()  # configuration: whoever may view the module sees every rule

    def get_fields_display(self):
        labels = dict(Field.choices)
        return [labels.get(f, f) for f in self.fields]


class DuplicateScan(TimeStampedModel, PublicIdModel):
    """One run of the duplicate finder over the whole database (a background task)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    parties = models.PositiveIntegerField(_("parties compared"), default=0)
    found = models.PositiveIntegerField(_("pairs found"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("duplicate scan")
        verbose_name_plural = _("duplicate scans")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_status_display()}"

    @property
    def in_progress(self):
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class DuplicatePairQuerySet(VisibleQuerySet):
    def visible_to(self, user):
        """Pairs whose two parties `user` may both see."""
        # Correlated EXISTS: each listed pair costs two primary-key probes, whatever the
        # size of the party table (an IN list would read every visible party first).
        visible = Party.objects.visible_to(user)
        return self.filter(
            Exists(visible.filter(pk=OuterRef("party_a"))),
            Exists(visible.filter(pk=OuterRef("party_b"))),
        )

    def open(self):
        return self.filter(status=DuplicatePair.Status.OPEN)

    def involving(self, party):
        return self.filter(Q(party_a=party) | Q(party_b=party))


class DuplicatePair(TimeStampedModel, PublicIdModel):
    """Two parties that look like the same customer, waiting for a person to decide."""

    class Status(models.TextChoices):
        OPEN = "open", _("To review")
        MERGED = "merged", _("Merged")
        DISMISSED = "dismissed", _("Not duplicates")

    policy_module = "parties"

    # party_a has the smaller id, so a pair is stored once.
    party_a = models.ForeignKey(
        "parties.Party", verbose_name=_("party"), on_delete=models.CASCADE, related_name="+"
    )
    party_b = models.ForeignKey(
        "parties.Party", verbose_name=_("other party"), on_delete=models.CASCADE, related_name="+"
    )
    score = models.PositiveSmallIntegerField(_("score"), default=0)
    # [{"field": "phone", "detail": "+66812345678"}, {"field": "name", "detail": "93"}]
    reasons = models.JSONField(_("reasons"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    scan = models.ForeignKey(
        DuplicateScan, on_delete=models.SET_NULL, null=True, blank=True, related_name="pairs"
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    resolved_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = DuplicatePairQuerySet.as_manager()

    class Meta:
        ordering = ["-score", "pk"]
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        constraints = [
            models.UniqueConstraint(fields=["party_a", "party_b"], name="duplicatepair_unique"),
            models.CheckConstraint(
                condition=Q(party_a__lt=F("party_b")), name="duplicatepair_ordered"
            ),
        ]
        indexes = [
            # The review queue: status = open, best score first.
            models.Index(fields=["status", "-score", "id"], name="duplicatepair_queue_idx"),
            # Pairs of one party (on merge): party_b = X (party_a is the unique index's prefix).
            models.Index(fields=["party_b"], name="duplicatepair_party_b_idx"),
        ]

    def __str__(self):
        return f"{self.party_a_id} ~ {self.party_b_id} ({self.score})"

    def reason_labels(self):
        labels = dict(Field.choices)
        out = []
        for reason in self.reasons:
            label = labels.get(reason.get("field"), reason.get("field"))
            detail = reason.get("detail", "")
            if reason.get("field") == Field.NAME and detail:
                detail = f"{detail}%"
            out.append(f"{label}: {detail}" if detail else str(label))
        return out


class Merge(TimeStampedModel, PublicIdModel):
    """A record of two parties merged into one: who, when, what came from where."""

    survivor = models.ForeignKey(
        "parties.Party", verbose_name=_("kept party"), on_delete=models.SET_NULL, null=True,
        related_name="+",
    )  # fmt: skip
    loser = models.ForeignKey(
        "parties.Party", verbose_name=_("merged party"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    loser_code = models.CharField(_("merged party's code"), max_length=30)
    loser_name = models.CharField(_("merged party's name"), max_length=255)
    loser_deleted = models.BooleanField(_("merged party deleted"), default=False)
    # Field names whose value was taken from the merged party.
    fields_taken = models.JSONField(_("fields taken from the merged party"), default=list)
    # {"parties.ContactPoint": 3, …}: rows moved to the kept party.
    moved = models.JSONField(_("rows moved"), default=dict)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("merged by"), on_delete=models.SET_NULL,
        null=True, related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("merge")
        verbose_name_plural = _("merges")

    def __str__(self):
        return f"{self.loser_code} → {self.survivor_id}"
