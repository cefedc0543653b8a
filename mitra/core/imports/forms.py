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
    """For each column of the file, the value it fills (or none); then the importer's
    options and what to do with rows that match an existing record."""

    def __init__(
        self, *args, importer, headers, samples=(), initial_mapping=None, sheets=(), **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.importer = importer
        self.target_fields = importer.fields
        self.headers = headers
        self.samples = samples
        if len(sheets) > 1:
            self.fields["sheet"] = forms.ChoiceField(
                label=_("Sheet"), choices=[(s, s) for s in sheets]
            )
            self.fields["sheet"].widget.attrs["class"] = "form-select"
        targets = [("", _("— not imported —"))] + [(f.name, f.label) for f in self.target_fields]
        by_column = {int(index): name for name, index in (initial_mapping or {}).items()}
        for index, header in enumerate(headers):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=header or _("Column %(n)d") % {"n": index + 1},
                choices=targets,
                required=False,
                initial=by_column.get(index, ""),
                widget=forms.Select(attrs={"class": "form-select"}),
            )
        for name, field in importer.get_option_fields().items():
            self.fields[f"opt_{name}"] = field
            if isinstance(field.widget, forms.Select):
                field.widget.attrs.setdefault("class", "form-select")
            elif isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.widget.attrs.setdefault("class", "form-check-input")
        self.fields["duplicate_choice"] = forms.ChoiceField(
            label=_("When a row matches an existing record"),
            choices=DuplicateChoice.choices,
            initial=DuplicateChoice.SKIP,
            widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        )

    def column_rows(self):
        """(column field, sample value of the first data row) per column of the file."""
        return [
            (self[f"col_{i}"], self.samples[i] if i < len(self.samples) else "")
            for i in range(len(self.headers))
        ]

    def option_fields(self):
        return [self[name] for name in self.fields if name.startswith("opt_")]

    def clean(self):
        data = super().clean()
        labels = {f.name: f.label for f in self.target_fields}
        chosen = {}
        for index in range(len(self.headers)):
            name = data.get(f"col_{index}")
            if not name:
                continue
            if name in chosen:
                self.add_error(
                    f"col_{index}",
                    _("“%(field)s” is already filled from column “%(column)s”.")
                    % {"field": labels[name], "column": self.fields[f"col_{chosen[name]}"].label},
                )
                continue
            chosen[name] = index
        self._mapping = chosen
        if not chosen:
            raise forms.ValidationError(_("Choose at least one column to import."))
        missing = [f.label for f in self.target_fields if f.required and f.name not in chosen]
        if missing:
            raise forms.ValidationError(
                _("Choose the column for: %(fields)s.")
                % {"fields": ", ".join(str(m) for m in missing)}
            )
        if not self.errors:
            for message in self.importer.check_mapping(chosen):
                self.add_error(None, message)
        return data

    def mapping(self):
        return dict(self._mapping)

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
