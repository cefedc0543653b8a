import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from mitra.core import calendars
from mitra.core.forms import CalendarDateField, CalendarDateInput, StyledFormMixin
from mitra.core.labels import LabelsFormMixin
from mitra.core.unique import code_taken

from .models import (
    LOOKUP_MODULE,
    Appointment,
    Channel,
    Direction,
    FollowUp,
    Interaction,
    Lookup,
    LookupKind,
    News,
    Note,
    Task,
    TaskPriority,
    TaskStatus,
)

# -- fields ---------------------------------------------------------------------------------


class CalendarDateTimeWidget(forms.MultiWidget):
    """A date in the user's calendar and a 24-hour time, side by side."""

    template_name = "activities/widgets/datetime.html"

    def __init__(self, attrs=None):
        super().__init__(
            [
                CalendarDateInput(),
                forms.TimeInput(
                    attrs={"type": "time", "class": "form-control", "step": "60"}, format="%H:%M"
                ),
            ],
            attrs,
        )

    def decompress(self, value):
        if not value:
            return [None, None]
        if isinstance(value, str):
            try:
                value = dt.datetime.fromisoformat(value)
            except ValueError:
                return [value, None]
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return [value.date(), value.time().replace(second=0, microsecond=0)]


class CalendarDateTimeField(forms.MultiValueField):
    """An aware datetime from a calendar date and a time in the user's time zone."""

    widget = CalendarDateTimeWidget
    default_error_messages = {
        "incomplete": _("Enter a date."),
        "invalid_time": _("Enter a valid time, for example 14:30."),
    }

    def __init__(self, *, default_time=None, **kwargs):
        self.default_time = default_time
        fields = (
            CalendarDateField(),
            forms.TimeField(
                error_messages={"invalid": self.default_error_messages["invalid_time"]}
            ),
        )
        super().__init__(fields, require_all_fields=False, **kwargs)
        self.fields[1].required = False

    def compress(self, data_list):
        if not data_list:
            return None
        day, time = (list(data_list) + [None, None])[:2]
        if day in self.empty_values:
            if time not in self.empty_values:
                raise ValidationError(self.error_messages["incomplete"], code="incomplete")
            return None
        time = time or self.default_time or dt.time(0, 0)
        return timezone.make_aware(dt.datetime.combine(day, time))


_SPLIT = re.compile(r"[,;\n،]+")


def resolve_party(user, text):
    """A party the user may see, from its code or (a unique part of) its name."""
    from mitra.parties.models import Party
    from mitra.parties.search import search_parties

    text = text.strip()
    qs = Party.objects.visible_to(user)
    exact = qs.filter(code__iexact=text).first()
    if exact:
        return exact
    found = list(search_parties(qs, text)[:2]) if len(text) >= 2 else []
    if not found:
        raise ValidationError(_("No party matches “%(q)s”.") % {"q": text})
    if len(found) > 1:
        raise ValidationError(
            _("Several parties match “%(q)s”; type the code (for example P000123).") % {"q": text}
        )
    return found[0]


class PartiesField(forms.CharField):
    """Parties typed as codes or names, separated by commas; the datalist suggests them."""

    def __init__(self, *args, **kwargs):
        self.user = None
        # The parties the record is about already: kept even when the user may not see them
        # (a task shared with its assignee keeps its customer, which the assignee cannot open).
        self.linked = []
        kwargs.setdefault("label", _("Parties"))
        kwargs.setdefault("help_text", _("Codes or names, separated by commas."))
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 2000)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"list": "party-options", "autocomplete": "off"})

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return ", ".join(p.code for p in value)
        return value

    def clean(self, value):
        value = super().clean(value)
        tokens = [t.strip() for t in _SPLIT.split(value or "") if t.strip()]
        parties, errors = [], []
        linked = {p.code.lower(): p for p in self.linked}
        for token in tokens[:50]:
            try:
                party = linked.get(token.lower()) or resolve_party(self.user, token)
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                if all(p.pk != party.pk for p in parties):
                    parties.append(party)
        if errors:
            raise ValidationError(errors)
        if self.required and not parties:
            raise ValidationError(self.error_messages["required"], code="required")
        return parties


def colleagues():
    """Users who can be given work: active staff (not portal logins)."""
    from mitra.users.models import User

    return User.objects.filter(is_active=True).filter(Q(role__isnull=False) | Q(is_superuser=True))


def teams():
    from mitra.users.models import Team

    return Team.objects.all()


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class UsersField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class ActivityForm(StyledFormMixin, forms.ModelForm):
    """Base for activity forms: knows the user, fills the parties field and lookup lists."""

    one_time_token = True  # create forms post once (core/idempotency.py)

    def __init__(self, *args, user=None, parties=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if "parties" in self.fields:
            self.fields["parties"].user = user
            if parties is not None and not self.is_bound:
                self.initial["parties"] = ", ".join(p.code for p in parties)
            if parties is not None and self.instance.pk:
                self._keep_linked(self.fields["parties"], parties)
        for name, kind in self.LOOKUPS.items():
            if name in self.fields:
                self.fields[name].queryset = Lookup.objects.filter(module=LOOKUP_MODULE).filter(
                    Q(kind=kind, is_active=True) | Q(pk=getattr(self.instance, f"{name}_id", None))
                )
        for name in ("user", "assignee", "participants", "recipients"):
            if name in self.fields:
                self.fields[name].queryset = colleagues()
        for name in ("team", "audience_team"):
            if name in self.fields:
                self.fields[name].queryset = teams()

    LOOKUPS = {}

    def _keep_linked(self, field, parties):
        """Accept the record's current parties as they are, and name those the user cannot
        open (name only: never their details)."""
        from mitra.parties.models import Party

        field.linked = list(parties)
        seen = set(
            Party.objects.visible_to(self.user)
            .filter(pk__in=[p.pk for p in parties])
            .values_list("pk", flat=True)
        )
        hidden = [p for p in parties if p.pk not in seen]
        if hidden:
            names = format_html_join(", ", "<bdi>{} {}</bdi>", ((p.code, p.name) for p in hidden))
            text = conditional_escape(_("%(parties)s: shared with you; you cannot open it."))
            field.help_text = format_html(
                "{}<br>{}", field.help_text, mark_safe(text % {"parties": names})
            )


# -- interactions ---------------------------------------------------------------------------


class InteractionForm(ActivityForm):
    occurred_at = CalendarDateTimeField(label=_("Date and time"))
    parties = PartiesField()
    user = UserChoiceField(label=_("Made by"), queryset=None)

    LOOKUPS = {
        "result": LookupKind.RESULT,
        "reason": LookupKind.REASON,
        "medium": LookupKind.MEDIUM,
    }

    class Meta:
        model = Interaction
        fields = [
            "subject",
            "parties",
            "channel",
            "direction",
            "occurred_at",
            "user",
            "products",
            "result",
            "reason",
            "medium",
            "notes",
            "is_private",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("occurred_at", timezone.now())
            self.initial.setdefault("user", self.user)


class QuickLogForm(ActivityForm):
    """The few fields that matter while the phone is still warm."""

    LOOKUPS = {"result": LookupKind.RESULT}

    class Meta:
        model = Interaction
        fields = ["subject", "channel", "direction", "result", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class InteractionFilterForm(StyledFormMixin, forms.Form):
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All channels")), *Channel.choices]
    )
    direction = forms.ChoiceField(
        label=_("Direction"), required=False, choices=[("", _("Both")), *Direction.choices]
    )
    # Ids as the list's filters (and the API) read them (`activities.lists.INTERACTIONS`).
    result = forms.ModelChoiceField(
        label=_("Result"),
        required=False,
        queryset=None,
        empty_label=_("All results"),
        to_field_name="public_id",
    )
    user = UserChoiceField(
        label=_("Made by"), required=False, queryset=None, empty_label=_("Anyone"),
        to_field_name="public_id",
    )  # fmt: skip
    start = CalendarDateField(label=_("From"), required=False)
    end = CalendarDateField(label=_("Until"), required=False)
    party = forms.CharField(label=_("Party"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["result"].queryset = Lookup.objects.filter(
            module=LOOKUP_MODULE, kind=LookupKind.RESULT
        )
        self.fields["user"].queryset = colleagues()
        self.fields["party"].widget.attrs.update(
            {"list": "party-options", "autocomplete": "off", "placeholder": _("Party code or name")}
        )
        for field in self.fields.values():
            field.widget.attrs.setdefault("aria-label", field.label)


class PeriodForm(StyledFormMixin, forms.Form):
    start = CalendarDateField(label=_("From"), required=False)
    end = CalendarDateField(label=_("Until"), required=False)
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All channels")), *Channel.choices]
    )


# -- follow-ups -----------------------------------------------------------------------------


class FollowUpForm(ActivityForm):
    followed_up_at = CalendarDateTimeField(label=_("Followed up"))
    next_date = CalendarDateField(label=_("Next follow-up"), required=False)
    party = forms.CharField(label=_("Party"), max_length=100)

    class Meta:
        model = FollowUp
        fields = ["party", "followed_up_at", "result", "next_date", "led_to_sale"]
        widgets = {"result": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, party=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].widget.attrs.update({"list": "party-options", "autocomplete": "off"})
        if party is not None:
            self.initial["party"] = party.code
        if self.instance.pk:
            del self.fields["party"]
        if not self.is_bound and not self.instance.pk:
            self.initial.setdefault("followed_up_at", timezone.now())

    def clean_party(self):
        return resolve_party(self.user, self.cleaned_data["party"])

    def clean_next_date(self):
        value = self.cleaned_data.get("next_date")
        if value and value < timezone.localdate() and not self.instance.pk:
            raise ValidationError(_("The next follow-up cannot be in the past."))
        return value


# -- appointments ---------------------------------------------------------------------------


class AppointmentForm(ActivityForm):
    start = CalendarDateTimeField(label=_("Start"), default_time=dt.time(9, 0))
    end = CalendarDateTimeField(label=_("End"), required=False, default_time=dt.time(17, 0))
    parties = PartiesField()
    participants = UsersField(label=_("Participants"), queryset=None, required=False)
    confirm_conflicts = forms.BooleanField(
        label=_("Save even though someone is busy"), required=False
    )

    LOOKUPS = {"type": LookupKind.APPOINTMENT_TYPE}

    class Meta:
        model = Appointment
        fields = [
            "subject",
            "type",
            "start",
            "end",
            "all_day",
            "place",
            "participants",
            "parties",
            "reminder_minutes",
            "status",
            "description",
            "is_private",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflicts = {}
        self.fields["participants"].widget.attrs["size"] = 6
        if not self.instance.pk:
            del self.fields["status"]
            if not self.is_bound:
                self.initial.setdefault("participants", [self.user.pk] if self.user else [])
        if not self.is_bound:
            self.fields["confirm_conflicts"].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and data.get("all_day"):
            local = timezone.localtime(start)
            start = timezone.make_aware(dt.datetime.combine(local.date(), dt.time(0, 0)))
            last = timezone.localtime(end).date() if end else local.date()
            end = timezone.make_aware(dt.datetime.combine(last, dt.time(23, 59)))
            data["start"], data["end"] = start, end
        elif start and not end:
            end = data["end"] = start + dt.timedelta(hours=1)
        if start and end and end < start:
            return data  # Appointment.clean() says so (the API gets the same message)
        if start and end:
            from .actions import conflicts

            people = list(data.get("participants") or []) or ([self.user] if self.user else [])
            self.conflicts = conflicts(people, start, end, exclude=self.instance)
            if self.conflicts and not data.get("confirm_conflicts"):
                self.fields["confirm_conflicts"].widget = forms.CheckboxInput(
                    attrs={"class": "form-check-input"}
                )
                raise ValidationError(
                    _("Tick “Save even though someone is busy” below to save it anyway."),
                    code="conflict",
                )
        return data


# -- tasks ----------------------------------------------------------------------------------


class TaskForm(ActivityForm):
    due_at = CalendarDateTimeField(label=_("Due"), required=False, default_time=dt.time(17, 0))
    parties = PartiesField()
    assignee = UserChoiceField(label=_("Assignee"), queryset=None, required=False)
    steps = forms.CharField(
        label=_("Steps"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One step per line; they become a checklist."),
    )

    class Meta:
        model = Task
        fields = [
            "title",
            "description",
            "parties",
            "assignee",
            "team",
            "due_at",
            "priority",
            "status",
            "notify_customer",
            "is_private",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["steps"]
            if not self.instance.is_open:
                self.fields["status"].disabled = True
        elif not self.is_bound:
            self.initial.setdefault("assignee", self.user)

    def clean_steps(self):
        text = self.cleaned_data.get("steps") or ""
        return [line.strip() for line in text.splitlines() if line.strip()][:100]


class CloseTaskForm(StyledFormMixin, forms.Form):
    result = forms.ChoiceField(
        label=_("Result"),
        choices=[
            (Task.Result.OK, _("Succeeded")),
            (Task.Result.FAILED, _("Failed: open a rework task")),
        ],
        widget=forms.RadioSelect,
        initial=Task.Result.OK,
    )
    note = forms.CharField(
        label=_("Result notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TaskStatusForm(forms.Form):
    status = forms.ChoiceField(choices=TaskStatus.choices)
    version = forms.IntegerField(required=False, min_value=1)  # the version the page showed


class TaskFilterForm(StyledFormMixin, forms.Form):
    VIEWS = [
        ("mine", _("Assigned to me")),
        ("created", _("Created by me")),
        ("team", _("My team's")),
    ]
    show = forms.ChoiceField(label=_("Show"), choices=VIEWS, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Open")), ("all", _("All")), *TaskStatus.choices],
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"), required=False, coerce=int, empty_value=None,
        choices=[("", _("Any")), *TaskPriority.choices],
    )  # fmt: skip


class StepForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("New step"), max_length=255)


# -- notes and news -------------------------------------------------------------------------


class NoteForm(ActivityForm):
    parties = PartiesField()
    recipients = UsersField(
        label=_("Send to"),
        queryset=None,
        required=False,
        help_text=_("Leave empty for a personal note."),
    )
    remind_on = CalendarDateField(label=_("Remind me on"), required=False)

    class Meta:
        model = Note
        fields = ["title", "body", "recipients", "parties", "remind_on", "is_private"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipients"].widget.attrs["size"] = 6
        if self.user is not None:
            self.fields["recipients"].queryset = colleagues().exclude(pk=self.user.pk)


class NewsForm(ActivityForm):
    published_at = CalendarDateTimeField(label=_("Published"), required=False)
    event_at = CalendarDateTimeField(label=_("Takes place"), required=False)

    class Meta:
        model = News
        fields = ["kind", "title", "body", "audience_team", "event_at", "place", "published_at"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience_team"].empty_label = _("Everyone")
        if self.user is not None and not self.user.is_superuser:
            from mitra.core.policy import has_module_perm

            if not has_module_perm(self.user, "teams", "view"):
                self.fields["audience_team"].queryset = teams().filter(pk__in=self.user.team_ids())
        if not self.is_bound and not self.instance.pk:
            self.initial.setdefault("published_at", timezone.now())

    def clean_published_at(self):
        return self.cleaned_data.get("published_at") or timezone.now()


# -- attachments and codes ------------------------------------------------------------------


class AttachmentForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("File"))
    description = forms.CharField(label=_("Description"), required=False, max_length=255)


class LookupForm(LabelsFormMixin, StyledFormMixin, forms.ModelForm):
    """A code of one of the activities' lists (module "interactions" of `core.Lookup`)."""

    kind = forms.ChoiceField(
        label=capfirst(Lookup._meta.get_field("kind").verbose_name), choices=LookupKind.choices
    )

    class Meta:
        model = Lookup
        fields = ["kind", "name", "order", "is_active", "is_success"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.module = self.instance.module or LOOKUP_MODULE

    def clean(self):
        data = super().clean()
        kind, name = data.get("kind"), data.get("name")
        codes = Lookup.objects.filter(module=self.instance.module, kind=kind)
        if kind and code_taken(codes, name, field="name", instance=self.instance):
            self.add_error("name", _("This list already has a code with that name."))
        return data


def parse_iso(value):
    """An aware datetime from ?start=… (ISO 8601, with or without an offset); None if bad."""
    if not value:
        return None
    text = calendars.to_latin_digits(str(value)).strip().replace(" ", "+")
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = dt.datetime.combine(dt.date.fromisoformat(text), dt.time(9, 0))
        except ValueError:
            return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed
