from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from mitra.core.forms import StyledFormMixin

from .models import CompanyProfile, DocumentTemplate, Language


class DocumentTemplateForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = DocumentTemplate
        fields = ["title", "header", "body", "footer", "css", "show_letterhead"]
        widgets = {
            "header": forms.Textarea(attrs={"rows": 3, "class": "form-control font-monospace", "dir": "auto"}),
            "body": forms.Textarea(attrs={"rows": 18, "class": "form-control font-monospace", "dir": "auto"}),
            "footer": forms.Textarea(attrs={"rows": 3, "class": "form-control font-monospace", "dir": "auto"}),
            "css": forms.Textarea(attrs={"rows": 3, "class": "form-control font-monospace", "dir": "ltr"}),
            "title": forms.TextInput(attrs={"dir": "auto"}),
        }  # fmt: skip


class CompanyProfileForm(StyledFormMixin, forms.ModelForm):
    """The letterhead; a name and address per other language after the default ones."""

    class Meta:
        model = CompanyProfile
        fields = ["name", "address", "tax_id", "phone", "email", "website", "logo"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        localized = self.instance.localized or {}
        names = dict(Language.choices)
        for code in self.other_languages():
            own = localized.get(code) or {}
            self.fields[f"name_{code}"] = forms.CharField(
                label=_("Company name (%(language)s)") % {"language": names[code]},
                required=False, max_length=255, initial=own.get("name", ""),
                widget=forms.TextInput(attrs={"class": "form-control", "dir": "auto"}),
            )  # fmt: skip
            self.fields[f"address_{code}"] = forms.CharField(
                label=_("Address (%(language)s)") % {"language": names[code]},
                required=False, initial=own.get("address", ""),
                widget=forms.Textarea(attrs={"rows": 3, "class": "form-control", "dir": "auto"}),
            )  # fmt: skip

    @staticmethod
    def other_languages():
        return [c for c in Language.values if c != settings.LANGUAGE_CODE.split("-")[0]]

    def clean(self):
        data = super().clean()
        localized = {}
        for code in self.other_languages():
            own = {k: (data.get(f"{k}_{code}") or "").strip() for k in ("name", "address")}
            own = {k: v for k, v in own.items() if v}
            if own:
                localized[code] = own
        self.instance.localized = localized
        return data


class IssueForm(StyledFormMixin, forms.Form):
    one_time_token = True  # issuing posts once: a double click makes one revision
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
