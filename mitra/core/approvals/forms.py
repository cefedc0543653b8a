from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..forms import CalendarDateField, StyledFormMixin
from .engine import kinds
from .models import ApprovalLevel, ApprovalRule, Delegation


class DecisionForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label=_("Comment"), max_length=255, required=False)


def _kind_choices():
    return [(k.key, k.label) for k in kinds()]


def _condition_choices():
    return [(c, f"{k.label}: {label}") for k in kinds() for c, (label, _f) in k.conditions.items()]


class RuleForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ApprovalRule
        fields = ["name", "kind", "condition", "threshold", "active", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"] = forms.ChoiceField(
            label=_("What needs approval"), choices=_kind_choices()
        )
        self.fields["condition"] = forms.ChoiceField(label=_("When"), choices=_condition_choices())
        for name in ("kind", "condition"):
            self.fields[name].widget.attrs["class"] = "form-select"

    def clean(self):
        data = super().clean()
        kind = next((k for k in kinds() if k.key == data.get("kind")), None)
        if kind and data.get("condition") and data["condition"] not in kind.conditions:
            self.add_error("condition", _("This condition does not apply to that kind of request."))
        return data


class LevelForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ApprovalLevel
        fields = ["order", "mode", "users", "roles", "team_lead", "approvers_with_right"]
        widgets = {"users": forms.SelectMultiple(attrs={"size": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["users"].queryset = (
            get_user_model().objects.filter(is_active=True).order_by("username")
        )

    def clean(self):
        data = super().clean()
        if not (
            data.get("users")
            or data.get("roles")
            or data.get("team_lead")
            or data.get("approvers_with_right")
        ):
            raise ValidationError(_("Choose at least one approver."))
        return data


class DelegationForm(StyledFormMixin, forms.ModelForm):
    starts = CalendarDateField(label=_("From"))
    ends = CalendarDateField(label=_("Until"))

    class Meta:
        model = Delegation
        fields = ["to_user", "starts", "ends"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = get_user_model().objects.filter(is_active=True).order_by("username")
        if user is not None:
            qs = qs.exclude(pk=user.pk)
        self.fields["to_user"].queryset = qs
        self.fields["to_user"].label = _("Delegate to")
