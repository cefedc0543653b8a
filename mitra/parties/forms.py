import re

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from mitra.core.countries import CountryField, CountrySelect
from mitra.core.forms import CalendarDateField, StyledFormMixin
from mitra.core.labels import LabelsFormMixin
from mitra.core.text import default_region
from mitra.core.unique import code_taken
from mitra.users.models import User

from .models import (
    Address,
    ContactPoint,
    Group,
    Kind,
    LanguageSkill,
    Party,
    Priority,
    RatingLevel,
    Relationship,
    RoleKind,
)
from .search import search_parties
from .uploads import KeptFileInput

# Sections of the party form, in order: (key, title, fields, which kind shows it).
SECTIONS = [
    (
        "general",
        _("General"),
        ["kind", "code", "name", "prefix", "first_name", "last_name", "stage", "roles", "photo"],
        None,
    ),
    (
        "person",
        _("Person"),
        [
            "gender",
            "birth_date",
            "wedding_date",
            "national_id",
            "id_document_number",
            "marital_status",
            "religion",
            "education_field",
            "education_degree",
            "occupation",
            "favourite_colour",
            "personality",
            "likes",
            "dislikes",
        ],
        Kind.PERSON,
    ),
    (
        "organisation",
        _("Organisation"),
        [
            "company_type",
            "brand",
            "juristic_name",
            "tax_id",
            "vat_id",
            "registration_number",
            "founded_on",
            "employee_count",
            "ownership",
            "company_certificate",
            "capacity",
        ],
        Kind.ORGANISATION,
    ),
    (
        "dealer",
        _("Dealer / partner profile"),
        [
            "agent_appointed_on",
            "discount_rate",
            "authorised_signatories",
            "directors",
            "billing_conditions",
            "payment_conditions",
        ],
        Kind.ORGANISATION,
    ),
    (
        "credit",
        _("Income and credit"),
        [
            "currency",
            "income",
            "credit_limit",
            "credit_term_days",
            "payment_rating",
            "payment_notes",
        ],
        None,
    ),
    (
        "classification",
        _("Classification"),
        [
            "is_active",
            "priority",
            "colour",
            "colour_from_rating",
            "icon",
            "managers",
            "groups",
            "source",
            "source_detail",
            "activity_types",
            "certificates",
            "comments",
        ],
        None,
    ),
]
FORM_FIELDS = [f for _k, _t, fields, _kind in SECTIONS for f in fields if f != "roles"]
WIDE = {
    "personality",
    "likes",
    "dislikes",
    "capacity",
    "authorised_signatories",
    "directors",
    "billing_conditions",
    "payment_conditions",
    "payment_notes",
    "certificates",
    "comments",
    "roles",
    "managers",
    "groups",
}
# Digits of any script and the separators people type in phone numbers.


class GroupChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return "— " * obj.depth + obj.label


class PartyForm(StyledFormMixin, forms.ModelForm):
    one_time_token = True  # the create form posts once (core/idempotency.py)

    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=RoleKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    birth_date = CalendarDateField(label=_("birth date"), required=False)
    wedding_date = CalendarDateField(label=_("wedding date"), required=False)
    # Firms may be centuries old; 500 years back still refuses a year of another calendar.
    founded_on = CalendarDateField(label=_("founding date"), required=False, past=500)
    agent_appointed_on = CalendarDateField(label=_("appointed as agent on"), required=False)
    managers = forms.ModelMultipleChoiceField(
        label=_("Account managers"), queryset=User.objects.none(), required=False
    )
    groups = GroupChoiceField(label=_("Groups"), queryset=Group.objects.none(), required=False)

    class Meta:
        model = Party
        fields = FORM_FIELDS
        widgets = {
            "kind": forms.RadioSelect,
            "personality": forms.Textarea(attrs={"rows": 2}),
            "likes": forms.Textarea(attrs={"rows": 2}),
            "dislikes": forms.Textarea(attrs={"rows": 2}),
            "capacity": forms.Textarea(attrs={"rows": 2}),
            "authorised_signatories": forms.Textarea(attrs={"rows": 2}),
            "directors": forms.Textarea(attrs={"rows": 3}),
            "billing_conditions": forms.Textarea(attrs={"rows": 2}),
            "payment_conditions": forms.Textarea(attrs={"rows": 2}),
            "payment_notes": forms.Textarea(attrs={"rows": 2}),
            "certificates": forms.Textarea(attrs={"rows": 2}),
            "comments": forms.Textarea(attrs={"rows": 3}),
            "photo": KeptFileInput,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["managers"].queryset = User.objects.filter(is_active=True).order_by(
            "first_name", "username"
        )
        self.fields["groups"].queryset = Group.objects.order_by("path")
        self.fields["name"].required = False
        self.fields["code"].required = False
        self.fields["kind"].widget.attrs.update({"class": "form-check-input", "x-model": "kind"})
        self.fields["roles"].widget.attrs["class"] = "form-check-input"
        self.fields["currency"].widget.attrs.update({"maxlength": 3, "class": "form-control ltr"})
        for name in ("code", "national_id", "tax_id", "vat_id", "registration_number"):
            self.fields[name].widget.attrs["class"] = "form-control ltr"
        for name in ("managers", "groups"):
            self.fields[name].widget.attrs["size"] = 6
        if self.instance.pk:
            self.initial.setdefault("roles", self.instance.role_values())
            self.initial.setdefault("managers", list(self.instance.managers.all()))
            self.initial.setdefault("groups", list(self.instance.groups.all()))
        else:
            self.fields["code"].widget.attrs["placeholder"] = _("automatic")

    def sections(self):
        """The form's fields grouped for the template: (key, title, kind, [(field, wide)])."""
        return [
            (key, title, kind, [(self[f], f in WIDE) for f in fields])
            for key, title, fields, kind in SECTIONS
        ]

    def clean_code(self):
        code = (self.cleaned_data.get("code") or "").strip()
        if code_taken(Party.all_objects, code, instance=self.instance):
            raise ValidationError(_("Another party already has this code."))
        return code

    def clean_currency(self):
        # Party.clean() checks the code (the API gets the same message).
        return (self.cleaned_data.get("currency") or "").strip().upper()

    def clean(self):
        # The name a kind needs and the currency code: Party.clean(), shared with the API.
        data = super().clean()
        for name in ("credit_limit", "income"):
            if data.get(name) is not None and data[name] < 0:
                self.add_error(name, _("Enter zero or more."))
        rate = data.get("discount_rate")
        if rate is not None and not 0 <= rate <= 100:
            self.add_error("discount_rate", _("Enter a percentage between 0 and 100."))
        return data

    def _post_clean(self):
        # `name` is derived for people; the model checks it after `prepare()`.
        super()._post_clean()
        if "name" in self._errors and self.cleaned_data.get("kind") == Kind.PERSON:
            del self._errors["name"]

    def values(self):
        """Field values for the actions (only the model's own columns)."""
        values = {
            f: self.cleaned_data[f]
            for f in FORM_FIELDS
            if f in self.cleaned_data and f not in ("managers", "groups")
        }
        if values.get("kind") == Kind.PERSON:
            values["name"] = ""
        photo = self.cleaned_data.get("photo")
        if photo is False:  # "clear" ticked
            values["photo"] = False
        elif not isinstance(photo, UploadedFile):  # unchanged: the stored file
            values.pop("photo", None)
        return values

    def related(self):
        return {
            "roles": self.cleaned_data.get("roles") or [],
            "managers": list(self.cleaned_data.get("managers") or []),
            "groups": list(self.cleaned_data.get("groups") or []),
        }


class ContactPointForm(StyledFormMixin, forms.ModelForm):
    entry = forms.CharField(label=_("Number / address"), max_length=255, required=False)

    class Meta:
        model = ContactPoint
        fields = ["kind", "label", "country_code", "area_code", "extension", "is_primary"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        inst = self.instance
        if inst.pk:
            self.initial.setdefault(
                "entry", inst.number if inst.is_phone and inst.number else inst.value
            )
        for name in ("country_code", "area_code", "extension", "entry"):
            self.fields[name].widget.attrs["class"] = "form-control ltr"
        # The user's country is assumed for a number typed without its code.
        self.fields["country_code"].widget.attrs["placeholder"] = str(
            phonenumbers.country_code_for_region(default_region()) or ""
        )
        self.fields["entry"].widget.attrs["placeholder"] = _("number, email or web address")

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        entry = (data.get("entry") or "").strip()
        if not entry:
            if any(data.get(f) for f in ("country_code", "area_code", "extension", "label")):
                self.add_error("entry", _("Enter the number or address."))
            return data
        inst = self.instance
        if kind in ContactPoint.PHONE_KINDS:
            for f in ("country_code", "area_code", "extension"):
                value = data.get(f) or ""
                if value and not re.fullmatch(
                    r"\+?[\d\u06f0-\u06f9\u0660-\u0669\u0e50-\u0e59]+", value
                ):
                    self.add_error(f, _("Digits only."))
            inst.number, inst.value = entry, ""
        else:
            inst.number, inst.value = "", entry
        # The rule is the model's, shared with the API.
        codes = {f: data.get(f) or "" for f in ("country_code", "area_code")}
        if problem := ContactPoint(kind=kind, **codes).entry_problem(entry):
            self.add_error("entry", problem)
        return data


class AddressForm(StyledFormMixin, forms.ModelForm):
    country = CountryField(
        label=_("country"),
        required=False,
        widget=CountrySelect(attrs={"data-filter-label": _("Find a country")}),
    )

    class Meta:
        model = Address
        fields = [
            "kind",
            "line1",
            "line2",
            "district",
            "city",
            "province",
            "postcode",
            "country",
            "latitude",
            "longitude",
            "is_primary",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("postcode", "latitude", "longitude"):
            self.fields[name].widget.attrs["class"] = "form-control ltr"

    # The coordinates' and the country's rules: Address.clean(), shared with the API.


class LanguageForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = LanguageSkill
        fields = ["language", "level"]


class _StyledInlineFormSet(forms.BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"


def _formset(form, model, extra):
    return forms.inlineformset_factory(
        Party,
        model,
        form=form,
        formset=_StyledInlineFormSet,
        extra=extra,
        can_delete=True,
        max_num=100,
        validate_max=True,
    )


ContactPointFormSet = _formset(ContactPointForm, ContactPoint, 2)
AddressFormSet = _formset(AddressForm, Address, 1)
LanguageFormSet = _formset(LanguageForm, LanguageSkill, 1)


def formset_rows(formset, fields):
    """The rows a valid formset describes, as plain dicts for the actions."""
    rows = []
    for form in formset.forms:
        if not form.has_changed() and not form.instance.pk:
            continue
        if formset.can_delete and formset._should_delete_form(form):
            continue
        obj = form.instance
        if isinstance(obj, ContactPoint):
            if not (obj.value or obj.number):
                continue
            obj.prepare()
        row = {"id": obj.pk}
        for f in fields:
            row[f] = getattr(obj, f)
        rows.append(row)
    return rows


def error_summary(form, formsets):
    """Every error of a form and its formsets, for the list at the top of the page:
    (id of the field to jump to or "", what it is, the message)."""
    out = [("", "", e) for e in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name in form.fields:
            field = form[name]
            out += [(field.id_for_label, capfirst(field.label), e) for e in errors]
    for title, formset in formsets:
        out += [("", title, e) for e in formset.non_form_errors()]
        for n, row in enumerate(formset.forms, 1):
            where = _("%(section)s, row %(n)d") % {"section": title, "n": n}
            for name, errors in row.errors.items():
                if name in row.fields:
                    field = row[name]
                    label = f"{where}: {capfirst(field.label)}"
                    out += [(field.id_for_label, label, e) for e in errors]
                else:
                    out += [("", where, e) for e in errors]
    return out


class PartyRefField(forms.CharField):
    """A party typed as its code or (part of) its name, among those the user may see."""

    def __init__(self, *args, kind=None, **kwargs):
        self.user = None
        self.kind = kind
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        qs = Party.objects.visible_to(self.user)
        if self.kind:
            qs = qs.filter(kind=self.kind)
        exact = qs.filter(code__iexact=value.strip()).first()
        if exact:
            return exact
        found = list(search_parties(qs, value)[:2])
        if not found:
            raise ValidationError(_("No party matches “%(q)s”.") % {"q": value})
        if len(found) > 1:
            raise ValidationError(_("Several parties match; type the code (for example P000123)."))
        return found[0]


class RelationshipForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Relationship"), choices=Relationship.Kind.choices)
    other = PartyRefField(label=_("Related party"), help_text=_("Code or name."))
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, user=None, party=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].user = user
        self.party = party
        self.fields["other"].widget.attrs["list"] = "party-lookup"

    def clean_other(self):
        other = self.cleaned_data.get("other")
        if other and self.party and other.pk == self.party.pk:
            raise ValidationError(_("A party cannot be related to itself."))
        return other


class ContactLinkForm(StyledFormMixin, forms.Form):
    person = PartyRefField(label=_("Person"), help_text=_("Code or name."), kind=Kind.PERSON)
    job_title = forms.CharField(label=_("Job title"), max_length=120, required=False)
    department = forms.CharField(label=_("Department"), max_length=120, required=False)
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=Priority.choices, coerce=int, initial=Priority.NORMAL
    )
    is_primary = forms.BooleanField(label=_("Primary contact"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].user = user
        self.fields["person"].widget.attrs["list"] = "party-lookup"


class RatingForm(StyledFormMixin, forms.Form):
    level = forms.ModelChoiceField(label=_("Rating"), queryset=RatingLevel.objects.all())
    starts_on = CalendarDateField(label=_("From"))
    ends_on = CalendarDateField(label=_("Until"), required=False)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end date is before the start date."))
        return data


class GroupForm(LabelsFormMixin, StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Group
        fields = ["name", "parent", "colour", "icon", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Group.objects.order_by("path")
        if self.instance.pk:
            qs = qs.exclude(path__startswith=self.instance.path)
        self.fields["parent"].queryset = qs
        self.fields["parent"].label_from_instance = lambda g: "— " * g.depth + g.label

    # One name per level of the tree: Group.clean(), shared with the API.


class RatingLevelForm(LabelsFormMixin, StyledFormMixin, forms.ModelForm):
    class Meta:
        model = RatingLevel
        fields = ["name", "colour", "order", "description"]
