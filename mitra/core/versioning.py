"""Every editable record has a version: no edit silently undoes another (J5).

- `VersionedModel` adds `version` (1 on create) and makes every save of an existing row a
  conditional update: ``UPDATE … SET version = version + 1 … WHERE pk = … AND version = N``
  where N is the version the instance was read at. When another save got there first the
  update matches no row and `StaleEdit` is raised, so the action's transaction rolls back
  and nothing is written.
- `check_version(obj, expected)` refuses early, with what changed and who changed it (from
  django-simple-history), when the version a person or a client saw is not the current one.
- `VersionedFormMixin` (part of every form through `core.forms.StyledFormMixin`) carries the
  version in a hidden field and refuses a stale form: the form shows what changed, keeps the
  person's input, takes over the other person's changes in the fields they did not touch,
  and carries the current version, so saving again is a decision made knowingly.

A post without a version (old clients, scripts) is not checked and saves as before.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.widgets import ChoiceWidget, Input
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class StaleEdit(ValidationError):
    """The record changed since the version the edit was based on; nothing was saved.

    `changes` is a list of `Change` (field, label, then, now); `users` who saved since.
    A ValidationError, so views that already show an action's errors on the form show it.
    """

    def __init__(self, obj, expected, current, changes=(), users=()):
        self.obj = obj
        self.expected = expected
        self.current = current
        self.changes = list(changes)
        self.users = list(users)
        super().__init__(self.summary(), code="stale")

    def summary(self):
        if self.users:
            return gettext(
                "%(users)s changed this record after you opened it. Nothing was saved."
            ) % {"users": ", ".join(self.users)}
        return gettext("Someone changed this record after you opened it. Nothing was saved.")

    def as_dict(self):
        """For API answers: what changed, as plain data."""
        return {
            "detail": self.summary(),
            "current_version": self.current,
            "changed_by": self.users,
            "changed_fields": [c.field for c in self.changes],
        }


class Change:
    __slots__ = ("field", "label", "then", "now")

    def __init__(self, field, label, then, now):
        self.field, self.label, self.then, self.now = field, label, then, now


class VersionedModel(models.Model):
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    # Bookkeeping the system writes on its own (a user's last sign-in): a save of only these
    # neither checks nor moves the version, so it never makes someone's open form stale.
    unversioned_fields = frozenset()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding or self.pk is None or kwargs.get("force_insert"):
            return super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) <= self.unversioned_fields:
            return super().save(*args, **kwargs)
        expected = self.version or 1
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "version"}
        self._version_expected = expected
        self.version = expected + 1
        try:
            return super().save(*args, **kwargs)
        except BaseException:
            self.version = expected
            raise
        finally:
            self._version_expected = None

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        expected = getattr(self, "_version_expected", None)
        if expected is None:
            return super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update)
        updated = super()._do_update(
            base_qs.filter(version=expected), using, pk_val, values, update_fields, forced_update
        )
        if not updated:
            current = (
                type(self)
                ._base_manager.using(using)
                .filter(pk=pk_val)
                .values_list("version", flat=True)
                .first()
            )
            if current is not None:
                raise stale_edit(self, expected, current)
        return updated


def current_version(obj):
    return obj._meta.model._base_manager.filter(pk=obj.pk).values_list("version", flat=True).first()


def parse_version(value):
    """A version as sent by a form, a drag or a client; None when absent or unreadable."""
    if value is None or isinstance(value, bool):
        return None
    try:
        value = int(str(value).strip().strip('"').removeprefix("W/").strip('"'))
    except ValueError:
        return None
    return value if value > 0 else None


def check_version(obj, expected):
    """Raise StaleEdit unless `expected` is `obj`'s stored version (None: not checked).

    On success the instance carries `expected`, so its save is conditional on it and a
    save by someone else in between is still caught.
    """
    if expected is None or obj.pk is None:
        return
    current = current_version(obj)
    if current is not None and current != expected:
        raise stale_edit(obj, expected, current)
    obj.version = expected


def stale_edit(obj, expected, current):
    """A StaleEdit naming, where history knows, the fields changed since `expected` and by whom."""
    changes, users = [], []
    history = getattr(obj._meta.model, "history", None)
    if history is not None and hasattr(obj, "history"):
        records = obj.history.select_related("history_user").order_by(
            "-history_date", "-history_id"
        )
        then = records.filter(version__lte=expected).first()
        later = list(records.filter(version__gt=expected)[:50])
        now = later[0] if later else None
        for record in reversed(later):
            name = str(record.history_user) if record.history_user else gettext("someone")
            if name not in users:
                users.append(name)
        if then is not None and now is not None:
            delta = now.diff_against(then, excluded_fields=["version", "updated_at"])
            for change in delta.changes:
                field = obj._meta.get_field(change.field)
                changes.append(Change(field.name, field.verbose_name, change.old, change.new))
    return StaleEdit(obj, expected, current, changes, users)


def etag(obj):
    return f'"{obj.version}"'


# -- forms ---------------------------------------------------------------------------------


class VersionedFormMixin:
    """Carry the edited record's version in a hidden field; refuse the form when stale."""

    version_field = "version"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        self.stale = None
        self.expected_version = None
        if isinstance(instance, VersionedModel) and instance.pk:
            self.fields[self.version_field] = forms.IntegerField(
                widget=forms.HiddenInput, required=False, initial=instance.version
            )

    def _post_clean(self):
        super()._post_clean()
        if self.version_field not in self.fields or self.stale is not None:
            return
        # Not one of the record's values: views pass cleaned_data on to the actions.
        self.expected_version = self.cleaned_data.pop(self.version_field, None)
        try:
            check_version(self.instance, self.expected_version)
        except StaleEdit as exc:
            self.refuse_stale(exc)

    def _differences(self):
        """Without history: the form's fields whose stored value differs from the post."""
        out = []
        for name, value in self.cleaned_data.items():
            try:
                field = self.instance._meta.get_field(name)
            except Exception:  # noqa: BLE001 - a form-only field
                continue
            if not field.concrete or field.many_to_many:
                continue
            stored = _current(self.instance, field.attname)
            if not _same(value, stored):
                out.append(Change(name, field.verbose_name, _UNKNOWN, stored))
        return out

    def refuse_stale(self, exc):
        """Show what changed; take over others' changes in fields this person left alone."""
        self.stale = exc
        data = self.data.copy()
        messages = [exc.summary()]
        for change in exc.changes or self._differences():
            if change.field not in self.fields or change.field not in self.cleaned_data:
                if isinstance(change.now, (dict, list)):  # e.g. a permission matrix
                    messages.append(
                        gettext("%(field)s was changed.") % {"field": _cap(change.label)}
                    )
                else:
                    messages.append(
                        gettext("%(field)s is now “%(now)s”.")
                        % {"field": _cap(change.label), "now": _show(self.instance, change.field)}
                    )
                continue
            mine = self.cleaned_data[change.field]
            if _same(mine, change.then) and _simple(self.fields[change.field]):
                # Left alone by this person: the form now shows the current value.
                data[self.add_prefix(change.field)] = _raw(
                    self.fields[change.field], _current(self.instance, change.field)
                )
                messages.append(
                    gettext("%(field)s is now “%(now)s” (taken over into the form).")
                    % {"field": _cap(change.label), "now": _show(self.instance, change.field)}
                )
            else:
                messages.append(
                    gettext("%(field)s: your value “%(mine)s” / current value “%(now)s”.")
                    % {
                        "field": _cap(change.label),
                        "mine": _show_value(self.fields[change.field], mine),
                        "now": _show(self.instance, change.field),
                    }
                )
        messages.append(gettext("Check the form and save again to keep your values."))
        data[self.add_prefix(self.version_field)] = str(exc.current)
        self.data = data
        self.add_error(None, messages)


_UNKNOWN = object()  # the value when the form was opened, when history does not know it


def _cap(label):
    label = str(label)
    return label[:1].upper() + label[1:]


def _current(instance, name):
    """The stored value of `name` (the instance in memory may hold the form's values)."""
    if not hasattr(instance, "_stored"):
        instance._stored = instance._meta.model._base_manager.filter(pk=instance.pk).first()
    return getattr(instance._stored, name)


def _show(instance, name):
    field = instance._meta.get_field(name)
    value = _current(instance, name)
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    return _plain(value)


def _show_value(form_field, value):
    if isinstance(form_field, forms.ChoiceField) and not isinstance(
        form_field, forms.ModelChoiceField
    ):
        return dict(form_field.choices).get(value, value)
    return _plain(value)


def _plain(value):
    from . import calendars

    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if hasattr(value, "hour") and hasattr(value, "year"):
        from django.utils import timezone

        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{calendars.format_date(local.date())} {local:%H:%M}"
    if hasattr(value, "year"):
        return calendars.format_date(value)
    return str(value)


def _same(mine, then):
    if then is _UNKNOWN:
        return False
    if isinstance(mine, models.Model):
        mine = mine.pk
    if mine in (None, "") and then in (None, ""):
        return True
    return mine == then or str(mine) == str(then)


def _simple(form_field):
    """Whether the field's widget reads back a plain string (not dates in a calendar,
    not several values): those the form can take over from the stored record."""
    widget = form_field.widget
    if isinstance(form_field, (forms.DateField, forms.DateTimeField, forms.TimeField)):
        return False
    if isinstance(widget, (forms.MultiWidget, forms.FileInput)):
        return False
    if getattr(widget, "allow_multiple_selected", False):
        return False
    return isinstance(widget, (Input, forms.Textarea, ChoiceWidget, forms.CheckboxInput))


def _raw(form_field, value):
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, bool):
        return "on" if value else ""
    return "" if value is None else str(value)
