"""Forms of the import screens: upload, column mapping, duplicate choices."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from mitra.core.forms import StyledFormMixin

from .models import DuplicateChoice
from .readers import ENCODING_CHOICES

EXTENSIONS = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm")


class UploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV (any encoding: UTF-8, UTF-16, Thai TIS-620, Persian Windows-1256) or Excel (.xlsx)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )
    encoding = forms.ChoiceField(
        label=_("Text encoding (CSV)"), choices=ENCODING_CHOICES, required=False
    )
    has_header = forms.BooleanField(
        label=_("The first row holds column names"), required=False, initial=True
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(EXTENSIONS):
            raise forms.ValidationError(_("Choose a .csv or .xlsx file."))
        limit = getattr(settings, "IMPORT_MAX_BYTES", 512 * 1024 * 1024)
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB; split it and import the parts.")
                % {"mb": limit // (1024 * 1024)}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload


class MappingForm(StyledFormMixin, forms.Form):
    """One select per target field (which column fills it), the importer's options, and
    what to do with rows that match an existing record."""

    def __init__(
        self, *args, importer, headers, samples=(), initial_mapping=None, sheets=(), **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.importer = importer
        self.target_fields = importer.fields
        if len(sheets) > 1:
            self.fields["sheet"] = forms.ChoiceField(
                label=_("Sheet"), choices=[(s, s) for s in sheets]
            )
            self.fields["sheet"].widget.attrs["class"] = "form-select"
        columns = [("", _("— not imported —"))]
        for index, header in enumerate(headers):
            sample = samples[index] if index < len(samples) else ""
            label = header or _("Column %(n)d") % {"n": index + 1}
            if sample:
                label = f"{label} — {sample[:40]}"
            columns.append((str(index), label))
        initial_mapping = initial_mapping or {}
        for f in self.target_fields:
            self.fields[f"map_{f.name}"] = forms.ChoiceField(
                label=f.label,
                choices=columns,
                required=False,
                initial=str(initial_mapping[f.name]) if f.name in initial_mapping else "",
                help_text=f.help_text,
                widget=forms.Select(attrs={"class": "form-select"}),
            )
        for name, field in importer.get_option_fields().items():
            self.fields[f"opt_{name}"] = field
            if isinstance(field.widget, forms.Select):
                field.widget.attrs.setdefault("class", "form-select")
        self.fields["duplicate_choice"] = forms.ChoiceField(
            label=_("When a row matches an existing record"),
            choices=DuplicateChoice.choices,
            initial=DuplicateChoice.SKIP,
            widget=forms.RadioSelect,
        )

    def mapping_fields(self):
        return [self[f"map_{f.name}"] for f in self.target_fields]

    def option_fields(self):
        return [self[name] for name in self.fields if name.startswith("opt_")]

    def clean(self):
        data = super().clean()
        used = {}
        for f in self.target_fields:
            column = data.get(f"map_{f.name}")
            if not column:
                if f.required:
                    self.add_error(f"map_{f.name}", _("Choose the column that holds this value."))
                continue
            if column in used:
                self.add_error(
                    f"map_{f.name}",
                    _("This column is already used for “%(field)s”.") % {"field": used[column]},
                )
            used[column] = f.label
        if not used:
            raise forms.ValidationError(_("Choose at least one column to import."))
        if not self.errors:
            for message in self.importer.check_mapping(self.mapping()):
                self.add_error(None, message)
        return data

    def mapping(self):
        return {
            f.name: int(self.cleaned_data[f"map_{f.name}"])
            for f in self.target_fields
            if self.cleaned_data.get(f"map_{f.name}")
        }

    def options(self):
        return {
            name[4:]: value for name, value in self.cleaned_data.items() if name.startswith("opt_")
        }


class PreviewForm(forms.Form):
    duplicate_choice = forms.ChoiceField(choices=DuplicateChoice.choices)

    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.row_numbers = [r.number for r in rows if r.match is not None or r.earlier is not None]
        for number in self.row_numbers:
            self.fields[f"row_{number}"] = forms.ChoiceField(
                choices=[("", _("As chosen for all")), *DuplicateChoice.choices], required=False
            )

    def overrides(self):
        return {
            str(number): self.cleaned_data[f"row_{number}"]
            for number in self.row_numbers
            if self.cleaned_data.get(f"row_{number}")
        }
