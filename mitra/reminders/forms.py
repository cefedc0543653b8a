from django import forms
from django.utils.translation import gettext_lazy as _

from mitra.core.forms import StyledFormMixin

from . import registry
from .models import ReminderPreference


class PreferenceForm(StyledFormMixin, forms.ModelForm):
    muted_sources = forms.MultipleChoiceField(
        label=_("Do not remind me of"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    class Meta:
        model = ReminderPreference
        fields = ["delivery", "lead_days", "muted_sources"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["muted_sources"].choices = [(s.key, s.label) for s in registry.sources()]
        self.fields["lead_days"].max_value = 60
        self.fields["lead_days"].widget.attrs.update({"min": 0, "max": 60})

    def clean_lead_days(self):
        value = self.cleaned_data["lead_days"]
        if value is None or not 0 <= value <= 60:
            raise forms.ValidationError(_("Choose between 0 and 60 days."))
        return value
