"""Names a business types once, with a label per language.

Code lists, groups, rating levels and roles are data, not `gettext` strings: each keeps
its default `name` (in the installation's LANGUAGE_CODE) and a `labels` document
{"th": "…", "fa": "…"}. `label` picks the active language's and falls back to the name;
`__str__` is the label, so choice lists and `{{ obj }}` speak the user's language. Edit
forms get one input per other language (`LabelsFormMixin`).
"""

from django import forms
from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def label_languages():
    """(code, name) of the languages a label can be given in: all but the default."""
    return [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def localized(name, labels, language=None):
    """The label of `name` in `language` (default: the active one), else `name`."""
    if not labels:
        return name
    language = (language or get_language() or "").split("-")[0]
    return labels.get(language) or name


class LabelledModel(models.Model):
    labels = models.JSONField(
        _("names in other languages"), default=dict, blank=True, editable=False
    )

    class Meta:
        abstract = True

    def __str__(self):
        return self.label

    @property
    def label(self):
        return localized(self.name, self.labels)

    localized_name = label


class LabelsFormMixin:
    """Adds "Name (ไทย)", "Name (فارسی)" … inputs right after `name`; saves them into
    `instance.labels` (blank inputs are dropped: the default name is shown instead)."""

    labels_after = "name"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = getattr(self.instance, "labels", None) or {}
        max_length = getattr(self.fields.get(self.labels_after), "max_length", None)
        order = []
        for name in self.fields:
            order.append(name)
            if name == self.labels_after:
                order += [f"name_{code}" for code, _n in label_languages()]
        for code, language in label_languages():
            field = forms.CharField(
                label=_("Name in %(language)s") % {"language": language},
                required=False,
                max_length=max_length,
                initial=current.get(code, ""),
            )
            field.widget.attrs.update({"class": "form-control", "lang": code, "dir": "auto"})
            self.fields[f"name_{code}"] = field
        self.order_fields(order)

    def clean(self):
        data = super().clean()
        labels = dict(getattr(self.instance, "labels", None) or {})
        for code, _n in label_languages():
            value = (data.get(f"name_{code}") or "").strip()
            if value:
                labels[code] = value
            else:
                labels.pop(code, None)
        self.instance.labels = labels
        return data
