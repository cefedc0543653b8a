"""Versions over the API: ETag on every answer about one record, If-Match or `version` on writes.

- A detail answer (GET, and the answer to a create or an update) carries `version` in the
  body and `ETag: "<version>"` in the headers.
- PUT, PATCH and DELETE (and a record's POST actions, such as a task's status) honour
  `If-Match: "<version>"`: when the record has changed since, the answer is
  412 Precondition Failed and nothing changes. `If-Match: *` matches any version.
- A `version` in the body of a PUT or PATCH does the same with 409 Conflict.
- Without either the write proceeds as before (last write wins), so old clients keep working.

The save itself is conditional on the version read (`core.versioning`), so a write that
races another between the check and the save is refused too (409).
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException

from mitra.core.versioning import StaleEdit, VersionedModel, check_version, etag, parse_version

_CHECKED_METHODS = {"PUT", "PATCH", "DELETE", "POST"}


class StaleVersion(APIException):
    """409: the `version` sent is not the record's current one; nothing was changed."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The record has changed since this version; nothing was changed.")
    default_code = "stale_version"

    def __init__(self, stale):
        super().__init__()
        self.detail = stale.as_dict()  # as is: the version stays a number
        self.current = stale.current


class PreconditionFailed(StaleVersion):
    """412: the If-Match version is not the record's current one; nothing was changed."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"


def stale_answer(exc):
    """An action's StaleEdit (a save raced another) as the API's 409."""
    return StaleVersion(exc)


def _if_match(header):
    """The versions an If-Match header names; None for `*`."""
    tags = [t.strip() for t in header.split(",") if t.strip()]
    if "*" in tags:
        return None
    return {parse_version(t) for t in tags} - {None} or {0}


class VersionedViewMixin:
    """For ScopedViewSet: checks versions in get_object() and adds the ETag header."""

    def get_object(self):
        obj = super().get_object()
        if isinstance(obj, VersionedModel) and self.request.method in _CHECKED_METHODS:
            self.check_version(obj)
        return obj

    def check_version(self, obj):
        request = self.request
        header = request.headers.get("If-Match")
        if header:
            wanted = _if_match(header)
            if wanted is not None:
                expected = obj.version if obj.version in wanted else min(wanted)
                try:
                    check_version(obj, expected)
                except StaleEdit as exc:
                    raise PreconditionFailed(exc) from exc
        data = request.data if hasattr(request.data, "get") else {}
        if request.method in ("PUT", "PATCH") and "version" in data:
            expected = parse_version(data.get("version"))
            if expected is None:
                from rest_framework.exceptions import ValidationError

                raise ValidationError({"version": [_("Send the version as a whole number.")]})
            try:
                check_version(obj, expected)
            except StaleEdit as exc:
                raise StaleVersion(exc) from exc

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        data = getattr(response, "data", None)
        if (
            isinstance(data, dict)
            and isinstance(data.get("version"), int)
            and "id" in data
            and 200 <= response.status_code < 300
        ):
            response["ETag"] = f'"{data["version"]}"'
        elif isinstance(data, dict) and response.status_code in (409, 412):
            current = (data.get("error") or {}).get("current_version")
            if isinstance(current, int):
                response["ETag"] = f'"{current}"'
        return response


__all__ = ["PreconditionFailed", "StaleVersion", "VersionedViewMixin", "etag", "stale_answer"]
