"""Serializer fields shared by the API's modules."""

import copy

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .errors import django_fields


class VisibleRecordField(serializers.SlugRelatedField):
    """A record named by its public id, found among those the caller may see
    (`visible_to`). An id of a record that exists but is hidden gets the very same answer
    as an id that never existed, so that the API never reveals what a user may not see."""

    default_error_messages = {
        "does_not_exist": _("There is no record with this id."),
        "invalid": _("This is not a valid id."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "public_id")
        super().__init__(**kwargs)

    def get_queryset(self):
        return super().get_queryset().visible_to(self.context["request"].user)

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except DjangoValidationError:  # not a UUID at all
            self.fail("invalid")


class ModelRulesMixin:
    """For a ModelSerializer: the model's own `clean()` runs on the values sent (applied to
    the record being changed), so the API refuses what the form refuses, with the same
    message. Values the model's clean() normalises (a currency in capitals) are taken back."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        columns = {f.name for f in model._meta.concrete_fields}
        probe = copy.copy(self.instance) if isinstance(self.instance, model) else model()
        for name, value in attrs.items():
            if name in columns:
                setattr(probe, name, value)
        try:
            probe.clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(django_fields(exc)) from exc
        return {k: getattr(probe, k) if k in columns else v for k, v in attrs.items()}
