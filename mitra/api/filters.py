"""The OpenAPI side of the API lists' query parameters: a list's `filterset` (the list
toolkit's `FilterSet`, `mitra.core.tables`, shared with the screens) as its documented
parameters (`FilterAwareAutoSchema`)."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter


class FilterAwareAutoSchema(AutoSchema):
    """drf-spectacular's schema, with a list's declared `filterset` as its parameters."""

    def get_override_parameters(self):
        params = super().get_override_parameters()
        filterset = getattr(self.view, "filterset", None)
        if filterset is not None and getattr(self.view, "action", None) == "list":
            declared = {p.name for p in params if isinstance(p, OpenApiParameter)}
            params = [
                *[p for p in filterset.openapi_parameters() if p.name not in declared],
                *params,
            ]
        method = getattr(self, "method", "")
        if method in ("PUT", "PATCH", "DELETE"):
            params.append(IF_MATCH)
        if method == "POST":
            params.append(IDEMPOTENCY_KEY)
        return params


# The write headers every endpoint honours (api.versioning, core.idempotency).
IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description='The version you read, as its ETag ("3"): a record changed since answers 412 '
    "and nothing changes.",
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="A key of your own: the same key again within 24 hours returns the first "
    "answer and creates nothing new.",
)
