import zoneinfo

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from mitra.core import calendars
from mitra.core.countries import country_choices
from mitra.core.forms import StyledFormMixin
from mitra.core.labels import LabelsFormMixin
from mitra.core.policy import Action
from mitra.core.registry import modules

from .models import Role, Team, User

TIME_ZONES = sorted(zoneinfo.available_timezones())


def _country_field():
    return forms.ChoiceField(
        label=_("country"),
        choices=lambda: [("", _("The company's country"))] + country_choices(),
        required=False,
        help_text=_("Assumed for phone numbers typed without a country code."),
    )


class DisplayPreferencesMixin:
    """Language, calendar, digits, time zone and country: separate preferences.

    Choosing a calendar or digits marks them chosen; a user who has not chosen them yet
    and changes only the language gets that language's calendar and digits.
    """

    def _init_display(self):
        self.fields["time_zone"] = forms.ChoiceField(
            label=_("time zone"), choices=[(z, z) for z in TIME_ZONES]
        )
        self.fields["country"] = _country_field()
        for name in ("time_zone", "country"):
            self.fields[name].widget.attrs["class"] = "form-select"

    def _apply_display(self, user):
        explicit = {"calendar", "digits"} & set(self.changed_data)
        if explicit:
            user.calendar_chosen = True
        elif "language" in self.changed_data and not user.calendar_chosen:
            user.calendar, user.digits = calendars.defaults_for(user.language)
        return user


class PreferencesForm(DisplayPreferencesMixin, StyledFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = [
            "first_name",
            "last_name",
            "email",
            "phone",
            "language",
            "calendar",
            "digits",
            "time_zone",
            "country",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_display()

    def save(self, commit=True):
        user = self._apply_display(super().save(commit=False))
        # From now on the calendar and digits shown on this page are the user's choice.
        user.calendar_chosen = True
        if commit:
            user.save()
        return user


class UserForm(DisplayPreferencesMixin, StyledFormMixin, forms.ModelForm):
    password = forms.CharField(
        label=_("password"),
        widget=forms.PasswordInput(render_value=False),
        required=False,
        help_text=_("Leave empty to keep the current password. New users need one."),
    )
    teams = forms.ModelMultipleChoiceField(
        label=_("teams"),
        queryset=Team.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = User
        fields = [
            "username",
            "first_name",
            "last_name",
            "email",
            "phone",
            "role",
            "language",
            "calendar",
            "digits",
            "time_zone",
            "country",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_display()
        self.fields["role"].required = True
        if self.instance.pk:
            self.fields["teams"].initial = list(self.instance.teams.all())
        else:
            self.fields["password"].required = True
            # A new user's calendar and digits follow their language unless chosen here.
            for name in ("calendar", "digits"):
                field = self.fields[name]
                field.required = False
                field.choices = [("", _("As the language"))] + [c for c in field.choices if c[0]]
                self.initial[name] = ""
            self.fields["calendar"].help_text = _(
                "Left as the language, the user's first choice of language sets it."
            )

    def clean(self):
        data = super().clean()
        if not self.instance.pk:
            # Blank calendar/digits: "as the language", and not yet chosen.
            calendar, digits = calendars.defaults_for(data.get("language"))
            self.instance.calendar_chosen = bool(data.get("calendar") or data.get("digits"))
            data["calendar"] = data.get("calendar") or calendar
            data["digits"] = data.get("digits") or digits
        return data

    def _post_clean(self):
        super()._post_clean()
        if self.instance.pk:
            self._apply_display(self.instance)

    def clean_password(self):
        password = self.cleaned_data.get("password")
        if password:
            password_validation.validate_password(password, self.instance)
        return password


class TeamForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "description", "lead", "members"]
        widgets = {"members": forms.CheckboxSelectMultiple}


class RoleForm(LabelsFormMixin, StyledFormMixin, forms.ModelForm):
    """The role plus its permission matrix, one checkbox per module x action."""

    class Meta:
        model = Role
        fields = ["name", "description", "level", "scope", "require_2fa", "edits_need_approval"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.matrix = []
        for module in modules():
            cells = []
            for action in Action:
                name = f"perm__{module.key}__{action.value}"
                if action.value in module.actions:
                    self.fields[name] = forms.BooleanField(
                        required=False, initial=self.instance.allows(module.key, action.value)
                    )
                    self.fields[name].widget.attrs.update(
                        {
                            "class": "form-check-input",
                            "aria-label": f"{module.label}: {action.label}",
                        }
                    )
                    cells.append(name)
                else:
                    cells.append(None)
            self.matrix.append((module, cells))
        self.actions = list(Action)

    def matrix_rows(self):
        for module, cells in self.matrix:
            yield module, [self[name] if name else None for name in cells]

    def permissions(self):
        result = {}
        for module, cells in self.matrix:
            granted = [
                name.rsplit("__", 1)[1] for name in cells if name and self.cleaned_data.get(name)
            ]
            if granted:
                result[module.key] = granted
        return result


class StyledPasswordChangeForm(StyledFormMixin, PasswordChangeForm):
    """Django's form with the look of every other form (its inputs had no classes)."""


class StyledSetPasswordForm(StyledFormMixin, SetPasswordForm):
    pass


class ApiKeyForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("name"), max_length=100)


class TotpConfirmForm(StyledFormMixin, forms.Form):
    token = forms.CharField(
        label=_("6-digit code"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
