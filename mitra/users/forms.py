import zoneinfo

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from mitra.core.forms import StyledFormMixin
from mitra.core.policy import Action
from mitra.core.registry import modules

from .models import Role, Team, User

TIME_ZONES = sorted(zoneinfo.available_timezones())


class PreferencesForm(StyledFormMixin, forms.ModelForm):
    time_zone = forms.ChoiceField(label=_("time zone"), choices=[(z, z) for z in TIME_ZONES])

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
        ]


class UserForm(StyledFormMixin, forms.ModelForm):
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
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].required = True
        if self.instance.pk:
            self.fields["teams"].initial = list(self.instance.teams.all())
        else:
            self.fields["password"].required = True

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


class RoleForm(StyledFormMixin, forms.ModelForm):
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
