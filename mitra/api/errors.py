"""One error shape for every API answer (DRF's `EXCEPTION_HANDLER`).

Every refusal, whatever raised it, reads::

    {"error": {"code": "invalid", "message": "…", "fields": {"name": ["…"]}}}

- `code`: a stable word for programs: `invalid` (a field or a parameter),
  `not_authenticated`, `authentication_failed`, `permission_denied`, `not_found`,
  `method_not_allowed`, `throttled`, `stale_version` (409), `precondition_failed` (412),
  `delete_blocked` (409), `idempotency_key_reused` (422), `in_progress` (409) …
- `message`: one sentence for people, in the request's language.
- `fields`: only for `invalid`: the messages per field or query parameter (nested for rows
  such as `contact_points`); a message about the whole record sits in `message` only.
- Extras of a code stay beside them: `current_version`, `changed_by`, `changed_fields`
  (409/412), `reasons` (a blocked delete).

Actions raise Django's `ValidationError`/`PermissionDenied` (and `StaleEdit`); views do not
catch them: this handler turns them into the same answer as the serializer's own refusals.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

from mitra.core.versioning import StaleEdit

from .versioning import StaleVersion

# Keys whose messages are about the whole record, not one field.
_GENERAL = ("non_field_errors", "__all__", "detail")
# What an error may carry beside code, message and fields.
_EXTRAS = ("current_version", "changed_by", "changed_fields", "reasons")


class Conflict(exceptions.APIException):
    """409 with reasons, such as a delete that other records block."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"

    def __init__(self, message, *, code=None, reasons=()):
        super().__init__(message, code=code)
        self.reasons = [str(r) for r in reasons]


def django_fields(exc):
    """A Django ValidationError's messages per field (`__all__` for the record)."""
    if hasattr(exc, "error_dict"):
        return {k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()}
    return {"__all__": [str(m) for m in exc.messages]}


def _as_drf(exc):
    if isinstance(exc, StaleEdit):  # a save raced another one: 409, nothing changed
        return StaleVersion(exc)
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(django_fields(exc))
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    return exc


def _code(exc):
    if isinstance(exc, exceptions.ValidationError):
        return "invalid"
    detail = getattr(exc, "detail", None)
    if isinstance(detail, exceptions.ErrorDetail) and detail.code:
        return detail.code
    return getattr(exc, "default_code", "error")


def _strings(value):
    if isinstance(value, (list, tuple)):
        return [s for item in value for s in _strings(item)]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    return [str(value)]


def _plain(value):
    """ErrorDetail and lazy strings as plain JSON data."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (int, float, bool)) or value is None:
        return value
    return str(value)


def error_body(exc, data):
    """The `{"error": …}` body for a DRF exception and the data DRF made of it."""
    error = {"code": _code(exc)}
    if isinstance(exc, exceptions.ValidationError):
        detail = data if isinstance(data, dict) else {"__all__": data}
        general = [m for key in _GENERAL for m in _strings(detail.get(key, []))]
        fields = {k: _plain(v) for k, v in detail.items() if k not in _GENERAL}
        if general:
            error["message"] = " ".join(general)
        elif len(fields) == 1 and len(msgs := _strings(next(iter(fields.values())))) == 1:
            error["message"] = msgs[0]
        else:
            error["message"] = _("Some values are not valid; see the fields.")
        if fields:
            error["fields"] = fields
        return {"error": error}
    if isinstance(data, dict):
        error["message"] = str(data.get("detail", "")) or str(exc)
        error.update({k: _plain(data[k]) for k in _EXTRAS if k in data})
    else:
        error["message"] = " ".join(_strings(data))
    if isinstance(exc, Conflict):
        error["reasons"] = exc.reasons
    return {"error": error}


def exception_handler(exc, context):
    exc = _as_drf(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real fault: a 500, as always
    response.data = error_body(exc, response.data)
    return response


def error_schema():
    """The OpenAPI component of the error body (for the schema's documentation)."""
    return {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string", "example": "invalid"},
                    "message": {"type": "string"},
                    "fields": {
                        "type": "object",
                        "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    },
                    "current_version": {"type": "integer"},
                    "changed_fields": {"type": "array", "items": {"type": "string"}},
                    "reasons": {"type": "array", "items": {"type": "string"}},
                },
            }
        },
    }


def schema_hook(result, generator, request, public):
    """drf-spectacular post-processing: the error body as a component, the answer of every
    operation's 4XX responses."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = error_schema()
    answer = {
        "description": "Refused: the one error shape of the API.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    for path in result.get("paths", {}).values():
        for operation in path.values():
            if isinstance(operation, dict) and "responses" in operation:
                operation["responses"].setdefault("4XX", answer)
    return result
