"""Form pieces shared by every app: calendar-aware date fields, Tabler-styled widgets."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import calendars
from .versioning import VersionedFormMixin


class CalendarDateInput(forms.TextInput):
    """A text input that shows the date in the user's calendar and digits.

    A plain text box (not type=date) because browsers' date pickers are Gregorian only.
    """

    def __init__(self, attrs=None):
        super().__init__(
            {
                "class": "form-control",
                "autocomplete": "off",
                "inputmode": "numeric",
                **(attrs or {}),
            }
        )

    def format_value(self, value):
        if value in (None, ""):
            return ""
        if isinstance(value, str):
            return value  # what the user typed, redisplayed after an error
        return calendars.format_date(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].setdefault(
            "placeholder", calendars.localize_digits(calendars.date_placeholder())
        )
        context["widget"]["attrs"]["data-calendar"] = calendars.current()[0]
        return context


class CalendarDateField(forms.DateField):
    """Accepts a date in the user's calendar, in Latin, Persian, Arabic or Thai digits.

    A day or month that does not exist is refused with a message naming it, and so is a
    year more than `past`/`future` years from today's in the user's calendar (a year of
    another calendar, most often: the message gives both readings); None: no limit.
    """

    widget = CalendarDateInput
    default_error_messages = {"invalid": _("Enter a valid date, for example %(example)s.")}

    def __init__(
        self, *, past=calendars.PLAUSIBLE_YEARS, future=calendars.PLAUSIBLE_YEARS, **kwargs
    ):
        self.past, self.future = past, future
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if hasattr(value, "year"):
            return value
        try:
            return calendars.parse_date(value, past=self.past, future=self.future)
        except calendars.DateInputError as exc:
            if exc.code != "invalid":
                raise ValidationError(exc.message, code=exc.code) from exc
            raise ValidationError(
                self.error_messages["invalid"]
                % {"example": calendars.localize_digits(calendars.date_placeholder())},
                code="invalid",
            ) from exc

    def strptime(self, value, format):  # pragma: no cover - to_python does the parsing
        return calendars.parse_date(value)


class StyledFormMixin(VersionedFormMixin):
    """Give every widget Tabler's classes so templates can render fields generically.

    An edit form of a versioned record also carries its version (`core.versioning`). A
    form that sets `one_time_token = True` gets a hidden one-time token when it creates a
    record (see `core/idempotency.py`: its view, decorated with `create_once`, creates once)."""

    one_time_token = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.one_time_token:
            from .idempotency import add_token_field

            add_token_field(self)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                widget.attrs.setdefault("class", "form-select")
            elif isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
                pass
            else:
                widget.attrs.setdefault("class", "form-control")

    def full_clean(self):
        super().full_clean()
        if self.one_time_token:
            from .idempotency import pop_token

            pop_token(self)


def apply_errors(form, exc):
    """Put an action's ValidationError on the form's fields (or on the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
