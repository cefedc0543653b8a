import hashlib
import secrets
import uuid
import zoneinfo

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mitra.core import calendars
from mitra.core.labels import LabelledModel
from mitra.core.models import TimeStampedModel, VersionedModel
from mitra.core.policy import Level, Scope, VisibleQuerySet


class Role(LabelledModel, TimeStampedModel, VersionedModel):
    """A permission matrix (module x action) plus a record scope and a level."""

    policy_module = "roles"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    level = models.CharField(
        _("level"), max_length=20, choices=Level.choices, default=Level.OPERATOR
    )
    scope = models.CharField(
        _("record scope"), max_length=10, choices=Scope.choices, default=Scope.OWN
    )
    # {"parties": ["view", "create"], ...}: kept as one document so a role is read in one query.
    permissions = models.JSONField(_("permissions"), default=dict, blank=True)
    require_2fa = models.BooleanField(_("two-factor sign-in required"), default=False)
    edits_need_approval = models.BooleanField(
        _("edits to customer data need a team lead's approval"), default=False
    )

    history = HistoricalRecords()
    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self):
        return self.label

    def allows(self, module, action):
        return action in self.permissions.get(module, ())

    @classmethod
    def scope_q(cls, user, scope):
        # Roles are configuration: whoever may view the module sees them all.
        return Q()


# The phone country of a user who set none, by language; other languages take the
# company's (settings.PHONE_REGION).
LANGUAGE_COUNTRIES = {"fa": "IR"}


class UserQuerySet(VisibleQuerySet):
    pass


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser, VersionedModel):
    policy_module = "users"
    # Signing in writes last_login: that is no edit of the person's record.
    unversioned_fields = frozenset({"last_login"})

    class Digits(models.TextChoices):
        LATIN = calendars.LATIN, _("Latin (0123)")
        NATIVE = calendars.NATIVE, _("Native (๐๑๒๓ / ۰۱۲۳)")

    class Calendar(models.TextChoices):
        GREGORIAN = calendars.GREGORIAN, _("Gregorian")
        BUDDHIST = calendars.BUDDHIST, _("Thai Buddhist era")
        JALALI = calendars.JALALI, _("Persian (Jalali)")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("email address"), blank=True, db_index=True)
    role = models.ForeignKey(
        Role,
        verbose_name=_("role"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    language = models.CharField(
        _("language"),
        max_length=5,
        choices=[("en", "English"), ("th", "ไทย"), ("fa", "فارسی")],
        default="en",
    )
    calendar = models.CharField(
        _("calendar"), max_length=10, choices=Calendar.choices, default=Calendar.GREGORIAN
    )
    digits = models.CharField(
        _("digits"), max_length=10, choices=Digits.choices, default=Digits.LATIN
    )
    # False until the user (or an administrator) picks calendar and digits, or the user
    # first picks a language: until then they follow the language (see choose_language).
    calendar_chosen = models.BooleanField(default=False, editable=False)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    country = models.CharField(
        _("country"),
        max_length=2,
        blank=True,
        help_text=_("Assumed for phone numbers typed without a country code."),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])
    objects = UserManager()

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.username

    @classmethod
    def scope_q(cls, user, scope):
        if scope == Scope.TEAM:
            return Q(pk=user.pk) | Q(pk__in=user.teammate_ids())
        return Q(pk=user.pk)

    def allows(self, user, action):
        return True

    @cached_property
    def _team_ids(self):
        return list(self.teams.values_list("pk", flat=True))

    def team_ids(self):
        return self._team_ids

    @cached_property
    def _teammate_ids(self):
        return list(
            Team.members.through.objects.filter(team_id__in=self._team_ids)
            .values_list("user_id", flat=True)
            .distinct()
        )

    def teammate_ids(self):
        """Users who share a team with this one (including this one when on a team)."""
        return self._teammate_ids

    @property
    def level(self):
        if self.is_superuser:
            return Level.EXECUTIVE
        return self.role.level if self.role_id else Level.OPERATOR

    def choose_language(self, language):
        """Switch the interface language and nothing else, except for a user who has not
        chosen a calendar and digits yet: the first language they pick brings its own
        (Persian: Jalali, Persian digits; Thai: Buddhist era). Returns the changed fields."""
        self.language = language
        if self.calendar_chosen:
            return ["language"]
        self.calendar, self.digits = calendars.defaults_for(language)
        self.calendar_chosen = True
        return ["language", "calendar", "digits", "calendar_chosen"]

    @property
    def phone_region(self):
        """The country assumed for this user's phones without a country code: their own,
        Iran for a Persian speaker who set none, else None (the company's, PHONE_REGION)."""
        return self.country or LANGUAGE_COUNTRIES.get(self.language) or None

    @property
    def country_name(self):
        """The user's own country in the active language ('' when they set none)."""
        from mitra.core.countries import country_name

        return country_name(self.country) if self.country else ""

    @property
    def zoneinfo(self):
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    @property
    def two_factor_required(self):
        return bool(self.role_id and self.role.require_2fa)


class Team(TimeStampedModel, VersionedModel):
    policy_module = "teams"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    lead = models.ForeignKey(
        User,
        verbose_name=_("team lead"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_teams",
    )
    members = models.ManyToManyField(
        User, verbose_name=_("members"), related_name="teams", blank=True
    )

    history = HistoricalRecords()
    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self):
        return self.name

    @classmethod
    def scope_q(cls, user, scope):
        # Below "all" scope a user sees the teams they belong to.
        return Q(pk__in=user.team_ids())


class ApiKey(TimeStampedModel):
    """A key for the REST API; only its hash is stored, the key is shown once."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)  # looked up on every API call
    key_hash = models.CharField(max_length=64)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(raw):
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(cls, user, name):
        raw = "mk_" + secrets.token_urlsafe(32)
        key = cls.objects.create(user=user, name=name, prefix=raw[:12], key_hash=cls.hash(raw))
        return key, raw

    @classmethod
    def authenticate(cls, raw):
        for key in cls.objects.filter(prefix=raw[:12]).select_related("user"):
            if secrets.compare_digest(key.key_hash, cls.hash(raw)):
                cls.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
                return key.user
        return None
