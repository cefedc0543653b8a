"""Serializer fields shared by the API's modules."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


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
