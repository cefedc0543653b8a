"""The customer database: every person and organisation the business deals with (A1–A21).

One `Party` row per person or organisation, whatever roles it plays (`PartyRole`), with
as many contact points, addresses, groups, ratings and relationships as fit. Trashed
parties (`deleted_at` set) are hidden by the default manager; `Party.all_objects` sees them.
"""

import re

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from mitra.core.calendars import to_latin_digits
from mitra.core.imports.bulk import in_values
from mitra.core.labels import LabelledModel
from mitra.core.models import PublicIdModel, TimeStampedModel, TrackedModel, VersionedModel
from mitra.core.numbering import CodeSequence
from mitra.core.policy import Scope, VisibleQuerySet
from mitra.core.text import compact, normalize, normalize_phone, phone_text

DEFAULT_CURRENCY = getattr(settings, "DEFAULT_CURRENCY", "THB")
CODE_PREFIX = "P"
CODE_WIDTH = 6


class Kind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class Stage(models.TextChoices):
    SUSPECT = "suspect", _("Suspect")
    PROSPECT = "prospect", _("Prospect")
    CUSTOMER = "customer", _("Customer")


class RoleKind(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    LEAD = "lead", _("Lead / target")
    DEALER = "dealer", _("Dealer / agent")
    SUPPLIER = "supplier", _("Supplier")
    PARTNER = "partner", _("Partner")
    COMPETITOR = "competitor", _("Competitor")
    OTHER = "other", _("Other")


class Priority(models.IntegerChoices):
    LOW = 0, _("Low")
    NORMAL = 1, _("Normal")
    HIGH = 2, _("High")
    TOP = 3, _("Top")


class Colour(models.TextChoices):
    NONE = "", _("None")
    GREEN = "green", _("Green")
    YELLOW = "yellow", _("Yellow")
    ORANGE = "orange", _("Orange")
    RED = "red", _("Red")
    BLUE = "blue", _("Blue")
    PURPLE = "purple", _("Purple")
    PINK = "pink", _("Pink")
    TEAL = "teal", _("Teal")
    GREY = "secondary", _("Grey")
    BLACK = "dark", _("Black")


class Icon(models.TextChoices):
    NONE = "", _("None")
    STAR = "star", _("Star")
    CROWN = "crown", _("Crown")
    DIAMOND = "diamond", _("Diamond")
    FLAG = "flag", _("Flag")
    HEART = "heart", _("Heart")
    BOLT = "bolt", _("Bolt")
    ALERT = "alert-triangle", _("Warning")
    BUILDING = "building", _("Building")
    TRUCK = "truck", _("Truck")
    USER = "user", _("User")


class Gender(models.TextChoices):
    UNSPECIFIED = "", _("Not specified")
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")


class MaritalStatus(models.TextChoices):
    UNSPECIFIED = "", _("Not specified")
    SINGLE = "single", _("Single")
    MARRIED = "married", _("Married")
    DIVORCED = "divorced", _("Divorced")
    WIDOWED = "widowed", _("Widowed")


class CompanyType(models.TextChoices):
    UNSPECIFIED = "", _("Not specified")
    PRIVATE_LIMITED = "private_limited", _("Private limited company")
    PUBLIC_LIMITED = "public_limited", _("Public limited company")
    PARTNERSHIP = "partnership", _("Partnership")
    STATE = "state", _("State-owned")
    COOPERATIVE = "cooperative", _("Cooperative")
    NONPROFIT = "nonprofit", _("Non-profit")
    SOLE = "sole", _("Sole proprietorship")
    OTHER = "other", _("Other")


class Ownership(models.TextChoices):
    UNSPECIFIED = "", _("Not specified")
    OWNED = "owned", _("Owned")
    RENTED = "rented", _("Rented")
    GOODWILL = "goodwill", _("Goodwill (key money)")
    OTHER = "other", _("Other")


class PaymentRating(models.TextChoices):
    UNRATED = "", _("Not rated")
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")
    POOR = "poor", _("Poor")
    BAD = "bad", _("Bad")


class Source(models.TextChoices):
    UNSPECIFIED = "", _("Not specified")
    REFERRAL = "referral", _("Referral")
    WEBSITE = "website", _("Website")
    SEARCH = "search", _("Search engine")
    SOCIAL = "social", _("Social media")
    EXHIBITION = "exhibition", _("Exhibition / event")
    ADVERTISING = "advertising", _("Advertising")
    COLD_CALL = "cold_call", _("Cold call")
    EMAIL = "email", _("Email campaign")
    PARTNER = "partner", _("Partner / dealer")
    OTHER = "other", _("Other")


def format_code(number):
    return f"{CODE_PREFIX}{number:0{CODE_WIDTH}d}"


def next_codes(count=1):
    """`count` fresh party codes (P000001, …), skipping any a user typed in by hand."""
    codes = []
    while len(codes) < count:
        need = count - len(codes)
        first = CodeSequence.reserve("party", need)
        batch = [format_code(n) for n in range(first, first + need)]
        # One JSON parameter for the whole batch: Django rewrites an IN list of 5,000
        # placeholders for 10 ms, ten times what the look-up itself takes.
        taken = set(
            Party.all_objects.filter(code__in=in_values(batch)).values_list("code", flat=True)
        )
        codes += [c for c in batch if c not in taken]
    return codes


# Above this many matching child rows a filter probes per party instead of collecting ids.
MANY_ROWS = 20_000
PLAN_TTL = 300  # seconds a remembered IN-or-EXISTS choice is kept (see `having`)


class PartyQuerySet(VisibleQuerySet):
    def alive(self):
        """Not in the trash."""
        return self.filter(deleted_at__isnull=True)

    def trashed(self):
        """In the trash (soft-deleted), restorable."""
        return self.filter(deleted_at__isnull=False)

    def active(self):
        return self.filter(is_active=True)

    def people(self):
        return self.filter(kind=Kind.PERSON)

    def organisations(self):
        return self.filter(kind=Kind.ORGANISATION)

    def having(self, rows, plan_key=None):
        """Parties that some of `rows` (a queryset of a model with `party_id`) point at.

        Lists read parties in their sort order and stop after a page. When the matching
        rows are few, their party ids are collected first (IN); when they are many, each
        party read is checked with an index probe (EXISTS) and a page needs only a few
        hundred probes. Collecting a third of a million ids, or probing a million rows
        for a rare match, would each take far longer; one capped count picks the way.

        The count costs a millisecond or two on a large table, so for filters that come
        back again and again (a role) the caller names them with `plan_key` and the choice
        is remembered for a few minutes. Either way gives the same rows; a stale choice is
        only slower, so only the choice is cached, never "no rows".
        """
        many = cache.get(f"parties:plan:{plan_key}") if plan_key else None
        if many is None:
            found = rows[:MANY_ROWS].count()
            if not found:
                return self.none()
            many = found >= MANY_ROWS
            if plan_key:
                cache.set(f"parties:plan:{plan_key}", many, PLAN_TTL)
        if not many:
            return self.filter(pk__in=rows.values("party_id"))
        return self.filter(Exists(rows.filter(party_id=OuterRef("pk"))))

    def with_role(self, role):
        """Parties holding `role` (a RoleKind value)."""
        return self.having(PartyRole.objects.filter(role=role), plan_key=f"role:{role}")

    def in_group(self, group, include_subgroups=True):
        """Members of `group`, and of every group below it when `include_subgroups`."""
        if include_subgroups:
            groups = Group.objects.filter(path__startswith=group.path).values("pk")
            members = GroupMembership.objects.filter(group_id__in=groups)
        else:
            members = GroupMembership.objects.filter(group=group)
        return self.having(members)

    def starred_by(self, user):
        return self.filter(
            pk__in=Party.starred_by.through.objects.filter(user=user).values("party_id")
        )

    def in_place(self, country="", province="", city=""):
        """Parties with an address in the given country / province / city (any may be blank)."""
        lookup = {}
        if country:
            lookup["country"] = country.strip().upper()
        # Exact matches on the usual spellings keep to the index (iexact would scan).
        if province:
            lookup["province__in"] = _spellings(province)
        if city:
            lookup["city__in"] = _spellings(city)
        if not lookup:
            return self
        return self.having(Address.objects.filter(**lookup))


def _spellings(text):
    """ "bangkok", "Bangkok", "BANGKOK" … of a place name (Thai and Persian have no case)."""
    text = " ".join(text.split())
    return sorted({text, text.lower(), text.upper(), text.title(), text.capitalize()})


class PartyManager(models.Manager.from_queryset(PartyQuerySet)):
    """The default manager: trashed parties are out of sight everywhere."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


AllPartiesManager = models.Manager.from_queryset(PartyQuerySet)


class Party(TrackedModel):
    """A person or an organisation, with any number of roles (A1–A4, A9–A12, A18–A20)."""

    policy_module = "parties"

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PERSON)
    code = models.CharField(
        _("code"),
        max_length=30,
        unique=True,
        help_text=_("Assigned automatically when left blank."),
    )
    # The display name: an organisation's name, or a person's first and last name.
    name = models.CharField(_("name"), max_length=255)
    # normalize(name) and compact(name): what search and duplicate checks compare.
    search_name = models.CharField(max_length=255, editable=False, default="")
    name_key = models.CharField(max_length=255, editable=False, default="")
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.SUSPECT
    )

    # -- person (A3)
    prefix = models.CharField(
        _("title"), max_length=40, blank=True, help_text=_("Dr., Eng., Mr., Ms. …")
    )
    first_name = models.CharField(_("first name"), max_length=120, blank=True)
    last_name = models.CharField(_("last name"), max_length=120, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    wedding_date = models.DateField(_("wedding date"), null=True, blank=True)
    national_id = models.CharField(_("national ID"), max_length=40, blank=True)
    id_document_number = models.CharField(_("ID document number"), max_length=40, blank=True)
    marital_status = models.CharField(
        _("marital status"), max_length=10, choices=MaritalStatus.choices, blank=True
    )
    religion = models.CharField(_("religion"), max_length=60, blank=True)
    education_field = models.CharField(_("field of study"), max_length=120, blank=True)
    education_degree = models.CharField(_("degree"), max_length=120, blank=True)
    occupation = models.CharField(_("occupation"), max_length=120, blank=True)
    personality = models.TextField(_("personality notes"), blank=True)
    likes = models.TextField(_("likes"), blank=True)
    dislikes = models.TextField(_("dislikes"), blank=True)
    favourite_colour = models.CharField(_("favourite colour"), max_length=40, blank=True)

    # -- organisation (A4, A19)
    company_type = models.CharField(
        _("company type"), max_length=20, choices=CompanyType.choices, blank=True
    )
    brand = models.CharField(_("brand"), max_length=120, blank=True)
    juristic_name = models.CharField(_("juristic (legal) name"), max_length=255, blank=True)
    tax_id = models.CharField(_("tax / economic code"), max_length=40, blank=True)
    vat_id = models.CharField(_("VAT number"), max_length=40, blank=True)
    registration_number = models.CharField(_("registration number"), max_length=60, blank=True)
    founded_on = models.DateField(_("founding date"), null=True, blank=True)
    employee_count = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    ownership = models.CharField(
        _("premises"), max_length=10, choices=Ownership.choices, blank=True
    )
    capacity = models.TextField(_("capacity"), blank=True)
    authorised_signatories = models.TextField(_("authorised signatories"), blank=True)
    directors = models.TextField(
        _("directors and executives"), blank=True, help_text=_("Names and short biographies.")
    )
    company_certificate = models.CharField(_("company certificate"), max_length=120, blank=True)
    agent_appointed_on = models.DateField(_("appointed as agent on"), null=True, blank=True)
    discount_rate = models.DecimalField(
        _("discount rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    billing_conditions = models.TextField(_("billing conditions"), blank=True)
    payment_conditions = models.TextField(_("payment conditions"), blank=True)

    # -- both
    activity_types = models.CharField(_("activity types"), max_length=255, blank=True)
    certificates = models.TextField(_("certificates"), blank=True)
    source = models.CharField(
        _("how they heard of us"), max_length=20, choices=Source.choices, blank=True
    )
    source_detail = models.CharField(_("source details"), max_length=255, blank=True)
    comments = models.TextField(_("comments"), blank=True)

    # -- money (A3, A4, A20): one currency for the party's amounts
    currency = models.CharField(_("currency"), max_length=3, default=DEFAULT_CURRENCY)
    income = models.DecimalField(
        _("income (yearly)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    credit_limit = models.DecimalField(
        _("credit limit"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    credit_term_days = models.PositiveIntegerField(_("credit term (days)"), null=True, blank=True)
    payment_rating = models.CharField(
        _("payment rating"), max_length=10, choices=PaymentRating.choices, blank=True
    )
    payment_notes = models.TextField(_("payment history and behaviour"), blank=True)

    # -- classification (A8–A12, A14)
    colour = models.CharField(_("colour"), max_length=20, choices=Colour.choices, blank=True)
    colour_from_rating = models.BooleanField(_("colour follows the rating"), default=False)
    icon = models.CharField(_("icon"), max_length=30, choices=Icon.choices, blank=True)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    is_active = models.BooleanField(_("active"), default=True)
    rating = models.ForeignKey(
        "RatingLevel",
        verbose_name=_("rating"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The current rating; set from the rating history."),
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account managers"),
        blank=True,
        related_name="managed_parties",
    )
    # Edits waiting for approval (A17); deleted with the party.
    approval_requests = GenericRelation("core.ApprovalRequest", related_query_name="party")
    starred_by = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("starred by"),
        blank=True,
        related_name="starred_parties",
    )
    groups = models.ManyToManyField(
        "Group",
        verbose_name=_("groups"),
        blank=True,
        through="GroupMembership",
        related_name="parties",
    )
    photo = models.ImageField(_("photo / logo"), upload_to="parties/photos/%Y/%m/", blank=True)

    deleted_at = models.DateTimeField(_("moved to trash"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("moved to trash by"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )  # fmt: skip

    objects = PartyManager()
    all_objects = AllPartiesManager()

    class Meta:
        ordering = ["-priority", "search_name", "pk"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        base_manager_name = "all_objects"
        indexes = [
            # Every list reads live parties (deleted_at IS NULL) in one of its sorts: with
            # deleted_at first, each sort is one index range read in order, LIMIT stops it
            # early, and no plain deleted_at index tempts the planner into sorting every
            # live row. The trash screen (deleted_at IS NOT NULL) is a range of these too.
            # Default sort: priority first (A10), then name.
            models.Index(
                fields=["deleted_at", "-priority", "search_name", "id"],
                name="party_live_priority_idx",
            ),
            # Sort by name (either direction), by code, by last change.
            models.Index(fields=["deleted_at", "search_name", "id"], name="party_live_name_idx"),
            models.Index(fields=["deleted_at", "code"], name="party_live_code_idx"),
            models.Index(fields=["deleted_at", "-updated_at", "id"], name="party_live_updated_idx"),
            # Own-scope lists: owner = me, in the default sort.
            models.Index(
                fields=["owner", "deleted_at", "-priority", "search_name", "id"],
                name="party_owner_priority_idx",
            ),
            # Duplicate checks on create and import: exact compact name, IDs.
            models.Index(fields=["name_key"], name="party_name_key_idx"),
            models.Index(fields=["national_id"], name="party_national_id_idx"),
            models.Index(fields=["tax_id"], name="party_tax_id_idx"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.prepare()
        if not self.code:
            self.code = next_codes(1)[0]
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            fields = set(kwargs["update_fields"])
            if fields & {"name", "first_name", "last_name", "prefix"}:
                kwargs["update_fields"] = list(fields | {"name", "search_name", "name_key"})
        super().save(*args, **kwargs)

    def clean(self):
        """The party's rules, for the form and the API alike (actions call full_clean)."""
        super().clean()
        errors = {}
        if self.kind == Kind.PERSON:
            # An import may give a person's whole name in `name` only.
            if not any((v or "").strip() for v in (self.first_name, self.last_name, self.name)):
                errors["first_name"] = _("Enter a first or last name.")
        elif self.kind == Kind.ORGANISATION and not (self.name or "").strip():
            errors["name"] = _("Enter the organisation's name.")
        self.currency = (self.currency or "").strip().upper()
        if self.currency and not (len(self.currency) == 3 and self.currency.isascii()
                                  and self.currency.isalpha()):  # fmt: skip
            errors["currency"] = _("Use a three-letter currency code such as THB, IRR or USD.")
        if errors:
            raise ValidationError(errors)

    def prepare(self):
        """Fill the derived columns (display name, search keys); bulk inserts call this too."""
        if self.kind == Kind.PERSON and (self.first_name or self.last_name):
            self.name = " ".join(p for p in (self.first_name.strip(), self.last_name.strip()) if p)
        self.name = (self.name or "").strip()
        self.search_name = normalize(self.name)[:255]
        self.name_key = compact(self.name)[:255]
        self.code = (self.code or "").strip()
        if self.colour_from_rating and self.rating_id and self.rating:
            self.colour = self.rating.colour
        return self

    @classmethod
    def scope_q(cls, user, scope):
        """Own (or team's) parties, plus those the user manages (A12).

        The same rule as `owner_scope_q`, written with subqueries so that reading a
        party costs no extra queries for the user's teams.
        """
        from mitra.users.models import Team

        # EXISTS, not IN: a manager may look after tens of thousands of parties, and a
        # page needs only a few probes of the (party, user) unique index.
        # The probe goes last: the database tries the terms in order for each party it
        # reads, and the owner and team tests are answered from lists it built once.
        managed = Party.managers.through.objects.filter(party_id=OuterRef("pk"), user=user)
        q = Q(owner=user)
        if scope == Scope.TEAM:
            membership = Team.members.through.objects
            my_teams = membership.filter(user=user).values("team_id")
            q |= Q(owner__in=membership.filter(team_id__in=my_teams).values("user_id"))
            q |= Q(team__in=my_teams)
        return q | Q(Exists(managed))

    @property
    def is_person(self):
        return self.kind == Kind.PERSON

    @property
    def is_organisation(self):
        return self.kind == Kind.ORGANISATION

    @property
    def in_trash(self):
        return self.deleted_at is not None

    @property
    def full_name(self):
        """A person's name with the title (Dr. …); an organisation's name."""
        if self.is_person and self.prefix:
            return f"{self.prefix} {self.name}"
        return self.name

    @property
    def initials(self):
        parts = [p for p in self.name.split() if p]
        return "".join(p[0] for p in parts[:2]).upper() or "?"

    def role_values(self):
        """Role values, from a prefetch when there is one."""
        return [r.role for r in self.roles.all()]


class PartyChildQuerySet(models.QuerySet):
    """Rows that belong to a party are visible exactly when their party is."""

    def visible_to(self, user):
        return self.filter(party__in=Party.objects.visible_to(user).values("pk"))


class PartyRole(TimeStampedModel):
    """One role a party plays for us; a party has as many as fit (A1)."""

    policy_module = "parties"

    party = models.ForeignKey(
        Party, verbose_name=_("party"), on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=RoleKind.choices)
    since = models.DateField(_("since"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    history = HistoricalRecords()
    objects = PartyChildQuerySet.as_manager()

    class Meta:
        ordering = ["role"]
        verbose_name = _("party role")
        verbose_name_plural = _("party roles")
        constraints = [models.UniqueConstraint(fields=["party", "role"], name="partyrole_unique")]
        # The list filtered by role: role = X → party ids.
        indexes = [models.Index(fields=["role", "party"], name="partyrole_role_idx")]

    def __str__(self):
        return self.get_role_display()


# What a typed phone number may hold: digits of any script, spaces and - ( ) . + /.
PHONE_CHARS = re.compile(r"[\d\s\-().+/\u06f0-\u06f9\u0660-\u0669\u0e50-\u0e59]+")


class ContactPoint(TimeStampedModel):
    """A phone, fax, mobile, email, website … of a party; unlimited per party (A5)."""

    policy_module = "parties"

    class Kind(models.TextChoices):
        PHONE = "phone", _("Phone")
        MOBILE = "mobile", _("Mobile")
        FAX = "fax", _("Fax")
        EMAIL = "email", _("Email")
        WEBSITE = "website", _("Website")
        OTHER = "other", _("Other")

    PHONE_KINDS = (Kind.PHONE, Kind.MOBILE, Kind.FAX)

    party = models.ForeignKey(
        Party, verbose_name=_("party"), on_delete=models.CASCADE, related_name="contact_points"
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.PHONE)
    label = models.CharField(
        _("label"), max_length=60, blank=True, help_text=_("Office, home, sales desk …")
    )
    country_code = models.CharField(_("country code"), max_length=6, blank=True)
    area_code = models.CharField(_("area code"), max_length=10, blank=True)
    number = models.CharField(_("number"), max_length=40, blank=True)
    extension = models.CharField(_("extension"), max_length=10, blank=True)
    # What is shown and searched: the full number as typed, the email or the URL.
    value = models.CharField(_("value"), max_length=255)
    # Phones in E.164 (+66812345678) for caller ID and duplicate checks; '' otherwise.
    e164 = models.CharField(max_length=20, blank=True, default="", editable=False)
    is_primary = models.BooleanField(_("primary"), default=False)

    history = HistoricalRecords()
    objects = PartyChildQuerySet.as_manager()

    class Meta:
        ordering = ["-is_primary", "kind", "pk"]
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")
        indexes = [
            # Caller ID and duplicate checks: exact E.164 match.
            models.Index(fields=["e164"], name="contactpoint_e164_idx"),
            # Duplicate checks by email, the phone book's lookups by value.
            models.Index(fields=["value"], name="contactpoint_value_idx"),
        ]

    def __str__(self):
        return self.display

    @property
    def is_phone(self):
        return self.kind in self.PHONE_KINDS

    @property
    def display(self):
        if self.is_phone and self.extension and self.value:
            return _("%(number)s ext. %(extension)s") % {
                "number": to_latin_digits(self.value),
                "extension": to_latin_digits(self.extension),
            }
        # Phones saved before digits were stored Latin show as they are stored now.
        return to_latin_digits(self.value) if self.is_phone else self.value

    @property
    def href(self):
        if self.kind == self.Kind.EMAIL:
            return f"mailto:{self.value}"
        if self.kind == self.Kind.WEBSITE:
            return self.value if "://" in self.value else f"https://{self.value}"
        if self.is_phone:
            return f"tel:{self.e164 or self.value}"
        return ""

    def entry_problem(self, entry):
        """Why `entry` (the number or address typed) does not fit this kind and the codes
        already set, or "": one rule for the form's `entry` and the API's `number`/`value`."""
        if self.is_phone:
            probe = ContactPoint(kind=self.kind, country_code=self.country_code or "",
                                 area_code=self.area_code or "", number=entry).prepare()  # fmt: skip
            if not probe.e164 or not PHONE_CHARS.fullmatch(entry or ""):
                return _("This does not look like a phone number.")
        elif self.kind == self.Kind.EMAIL:
            try:
                validate_email(entry)
            except ValidationError:
                return _("Enter a valid email address.")
        elif self.kind == self.Kind.WEBSITE:
            try:
                URLValidator()(entry if "://" in entry else f"https://{entry}")
            except ValidationError:
                return _("Enter a valid web address.")
        return ""

    def prepare(self, region=None):
        """Build `value` from the parts and `e164` from `value`; bulk inserts call this too.

        Phones: `number` is what the user typed (imports and the API may give only
        `value`, which then becomes the number); `value` is "+cc area number".
        """
        if self.is_phone:
            # Digits of any script are stored Latin ("۰۹۱۲…" as "0912…"), as E.164 is.
            number = phone_text(self.number) or phone_text(self.value)
            self.number = number
            cc = phone_text(self.country_code).lstrip("+")
            self.country_code = cc
            self.area_code = phone_text(self.area_code)
            self.extension = phone_text(self.extension)
            parts = [f"+{cc.lstrip('0')}" if cc else "", self.area_code, number]
            self.value = " ".join(p for p in parts if p)
            self.e164 = normalize_phone(self.value, region)
        else:
            self.value = (self.value or self.number or "").strip()
            self.number = ""
            if self.kind == self.Kind.EMAIL:
                self.value = self.value.lower()
            self.e164 = ""
        return self

    def save(self, *args, **kwargs):
        self.prepare()
        super().save(*args, **kwargs)


class Address(TimeStampedModel):
    """A postal address of a party, with coordinates for the map (A5)."""

    policy_module = "parties"

    class Kind(models.TextChoices):
        CONTACT = "contact", _("Contact")
        BILLING = "billing", _("Billing")
        SHIPPING = "shipping", _("Shipping")
        DOCUMENTS = "documents", _("Documents")

    party = models.ForeignKey(
        Party, verbose_name=_("party"), on_delete=models.CASCADE, related_name="addresses"
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.CONTACT)
    line1 = models.CharField(_("address"), max_length=255, blank=True)
    line2 = models.CharField(_("address (continued)"), max_length=255, blank=True)
    district = models.CharField(_("district / area"), max_length=120, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    province = models.CharField(_("province / state"), max_length=120, blank=True)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("Two-letter code: TH, IR, GB …")
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    is_primary = models.BooleanField(_("primary"), default=False)

    history = HistoricalRecords()
    objects = PartyChildQuerySet.as_manager()

    class Meta:
        ordering = ["-is_primary", "kind", "pk"]
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        # The list's place filters: country (+ province + city), or city or province alone.
        indexes = [
            models.Index(fields=["country", "province", "city"], name="address_place_idx"),
            models.Index(fields=["city"], name="address_city_idx"),
            models.Index(fields=["province"], name="address_province_idx"),
        ]

    def __str__(self):
        return self.one_line

    def clean(self):
        """The address's rules, for the form and the API alike."""
        super().clean()
        errors = {}
        self.country = (self.country or "").strip().upper()
        if self.country and not (len(self.country) == 2 and self.country.isascii()
                                 and self.country.isalpha()):  # fmt: skip
            errors["country"] = _("Use the two-letter country code, such as TH or IR.")
        lat, lng = self.latitude, self.longitude
        if lat is not None and not -90 <= lat <= 90:
            errors["latitude"] = _("Latitude is between -90 and 90.")
        if lng is not None and not -180 <= lng <= 180:
            errors["longitude"] = _("Longitude is between -180 and 180.")
        if (lat is None) != (lng is None):
            errors["longitude" if lng is None else "latitude"] = _(
                "Give both coordinates or neither."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def one_line(self):
        return ", ".join(p for p in (self.line1, self.line2, self.district, self.city, self.province, self.postcode,
                                     self.country) if p)  # fmt: skip

    @property
    def has_coordinates(self):
        return self.latitude is not None and self.longitude is not None

    @property
    def map_url(self):
        """A map link: the exact point when known, else a search for the address."""
        from urllib.parse import quote_plus

        if self.has_coordinates:
            return f"https://www.openstreetmap.org/?mlat={self.latitude}&mlon={self.longitude}#map=17/{self.latitude}/{self.longitude}"
        if self.one_line:
            return f"https://www.openstreetmap.org/search?query={quote_plus(self.one_line)}"
        return ""

    def save(self, *args, **kwargs):
        self.country = (self.country or "").strip().upper()
        super().save(*args, **kwargs)


class Contact(TimeStampedModel):
    """A person who works for an organisation (A6): one organisation, many contacts."""

    organisation = models.ForeignKey(
        Party, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="contacts"
    )
    person = models.ForeignKey(
        Party, verbose_name=_("person"), on_delete=models.CASCADE, related_name="employers"
    )
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    department = models.CharField(_("department"), max_length=120, blank=True)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    is_primary = models.BooleanField(_("primary contact"), default=False)
    note = models.CharField(_("note"), max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-is_primary", "-priority", "pk"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "person"], name="contact_unique")
        ]

    def __str__(self):
        return f"{self.person} @ {self.organisation}"


class GroupQuerySet(VisibleQuerySet):
    pass


class Group(LabelledModel, TimeStampedModel, PublicIdModel, VersionedModel):
    """A node of the n-level group tree (A7). `path` is the chain of ids from the root."""

    policy_module = "parties"

    name = models.CharField(_("name"), max_length=120)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent group"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="children",
    )  # fmt: skip
    # "/3/17/42/": "including sub-groups" is path LIKE '/3/17/%'.
    path = models.CharField(max_length=255, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    colour = models.CharField(_("colour"), max_length=20, choices=Colour.choices, blank=True)
    icon = models.CharField(_("icon"), max_length=30, choices=Icon.choices, blank=True)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()
    objects = GroupQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        # Sub-group filters: path LIKE 'prefix%'.
        indexes = [models.Index(fields=["path"], name="group_path_idx")]
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="group_unique_name")]

    def __str__(self):
        return self.label

    @classmethod
    def scope_q(cls, user, scope):
        # Groups are shared configuration: whoever may view parties sees all of them.
        return Q()

    def clean(self):
        """One name per level of the tree (the form and the API alike)."""
        super().clean()
        name = (self.name or "").strip()
        siblings = Group.objects.filter(name__iexact=name, parent_id=self.parent_id)
        if name and siblings.exclude(pk=self.pk).exists():
            raise ValidationError({"name": _("A group with this name is already there.")})

    def save(self, *args, **kwargs):
        if self.parent_id and self.parent_id == self.pk:
            raise ValueError("a group cannot be its own parent")
        creating = self.pk is None
        super().save(*args, **kwargs)
        old_path = self.path
        prefix = self.parent.path if self.parent_id else "/"
        new_path = f"{prefix}{self.pk}/"
        if new_path != old_path:
            self.path = new_path
            self.depth = new_path.count("/") - 2
            Group.objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)
            if not creating and old_path:
                # Moving a branch: every descendant's path changes prefix.
                for child in Group.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                    child.path = new_path + child.path[len(old_path) :]
                    child.depth = child.path.count("/") - 2
                    Group.objects.filter(pk=child.pk).update(path=child.path, depth=child.depth)

    def ancestors(self):
        ids = [int(p) for p in self.path.strip("/").split("/")[:-1] if p]
        by_id = Group.objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]

    def descendants(self):
        return Group.objects.filter(path__startswith=self.path).exclude(pk=self.pk)


class GroupMembership(models.Model):
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="group_memberships")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("group membership")
        constraints = [
            models.UniqueConstraint(fields=["party", "group"], name="groupmembership_unique")
        ]
        # The list filtered by group: group IN (...) → party ids.
        indexes = [models.Index(fields=["group", "party"], name="groupmembership_group_idx")]

    def __str__(self):
        return f"{self.party_id} in {self.group_id}"


class RatingLevel(LabelledModel, TimeStampedModel, PublicIdModel, VersionedModel):
    """A grade parties can be given by hand (A, B, C or Gold, Silver …), with its colour (A8)."""

    policy_module = "parties"

    name = models.CharField(_("name"), max_length=60, unique=True)
    colour = models.CharField(_("colour"), max_length=20, choices=Colour.choices, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    description = models.CharField(_("description"), max_length=255, blank=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("rating level")
        verbose_name_plural = _("rating levels")

    def __str__(self):
        return self.label

    @classmethod
    def scope_q(cls, user, scope):
        return Q()


class Rating(TimeStampedModel, PublicIdModel):
    """A rating given to a party for a period (A8); the current one is copied to Party.rating."""

    party = models.ForeignKey(
        Party, verbose_name=_("party"), on_delete=models.CASCADE, related_name="ratings"
    )
    level = models.ForeignKey(
        RatingLevel, verbose_name=_("rating"), on_delete=models.PROTECT, related_name="ratings"
    )
    starts_on = models.DateField(_("from"), default=timezone.localdate)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("rated by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="rating_period_valid",
            )
        ]

    def __str__(self):
        return str(self.level)

    def is_current(self, today=None):
        today = today or timezone.localdate()
        return self.starts_on <= today and (self.ends_on is None or self.ends_on >= today)


class Relationship(TimeStampedModel, PublicIdModel):
    """A typed link between two parties (A13): "from works at to", "from is a subsidiary of to"."""

    class Kind(models.TextChoices):
        WORKS_AT = "works_at", _("works at")
        SUBSIDIARY_OF = "subsidiary_of", _("is a subsidiary of")
        SUPPLIER_OF = "supplier_of", _("is a supplier of")
        CUSTOMER_OF = "customer_of", _("is a customer of")
        DEALER_OF = "dealer_of", _("is a dealer of")
        PARTNER_OF = "partner_of", _("is a partner of")
        COMPETITOR_OF = "competitor_of", _("is a competitor of")
        RELATIVE_OF = "relative_of", _("is a relative of")
        OTHER = "other", _("is related to")

    from_party = models.ForeignKey(
        Party, verbose_name=_("party"), on_delete=models.CASCADE, related_name="relationships_from"
    )
    to_party = models.ForeignKey(
        Party,
        verbose_name=_("related party"),
        on_delete=models.CASCADE,
        related_name="relationships_to",
    )
    kind = models.CharField(
        _("relationship"), max_length=20, choices=Kind.choices, default=Kind.OTHER
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "pk"]
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        constraints = [
            models.UniqueConstraint(
                fields=["from_party", "to_party", "kind"], name="relationship_unique"
            ),
            models.CheckConstraint(
                condition=~Q(from_party=F("to_party")), name="relationship_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.from_party} {self.get_kind_display()} {self.to_party}"


class LanguageSkill(models.Model):
    """A foreign language a person speaks, with the level (A3)."""

    class Level(models.TextChoices):
        BASIC = "basic", _("Basic")
        INTERMEDIATE = "intermediate", _("Intermediate")
        FLUENT = "fluent", _("Fluent")
        NATIVE = "native", pgettext_lazy("language level", "Native")

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=60)
    level = models.CharField(
        _("level"), max_length=15, choices=Level.choices, default=Level.INTERMEDIATE
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("foreign language")
        verbose_name_plural = _("foreign languages")

    def __str__(self):
        return f"{self.language} ({self.get_level_display()})"


def attachment_path(instance, filename):
    """Where the old party files were stored (kept: old migrations refer to it; the files
    now belong to activities.Attachment and keep their path)."""
    return f"parties/attachments/{timezone.now():%Y/%m}/{instance.party.public_id}/{filename}"


__all__ = [
    "Address",
    "Contact",
    "ContactPoint",
    "Group",
    "GroupMembership",
    "Kind",
    "LanguageSkill",
    "Party",
    "PartyRole",
    "Rating",
    "RatingLevel",
    "Relationship",
    "RoleKind",
    "Scope",
    "Stage",
]
