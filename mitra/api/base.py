"""API base classes: every viewset reads through the policy core and writes through actions.

`ScopedViewSet.get_queryset()` is final: subclasses give `base_queryset()` and the
scoping by `visible_to(request.user)` is always applied, so no endpoint can forget it.
Versioned records get an ETag and honour If-Match / `version` on writes (`api.versioning`).
"""

from django.http import Http404
from rest_framework import permissions, viewsets
from rest_framework.exceptions import NotFound, ValidationError

from mitra.api.filters import FilterAwareAutoSchema, FilterErrors, FilterSet
from mitra.core.idempotency import IdempotentAPIMixin
from mitra.core.policy import Action, can, has_module_perm

from . import dates  # noqa: F401 - every ModelSerializer refuses implausible years
from .versioning import VersionedViewMixin

_METHOD_ACTIONS = {
    "GET": Action.VIEW,
    "HEAD": Action.VIEW,
    "OPTIONS": Action.VIEW,
    "POST": Action.CREATE,
    "PUT": Action.EDIT,
    "PATCH": Action.EDIT,
    "DELETE": Action.DELETE,
}


class ModulePermission(permissions.BasePermission):
    """The role's permission matrix, per module and HTTP verb, then per record."""

    def has_permission(self, request, view):
        return has_module_perm(request.user, view.policy_module, _METHOD_ACTIONS[request.method])

    def has_object_permission(self, request, view, obj):
        action = _METHOD_ACTIONS[request.method]
        return action == Action.VIEW or can(request.user, action, obj)


class ScopedViewSet(IdempotentAPIMixin, VersionedViewMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated, ModulePermission]
    lookup_field = "public_id"
    policy_module = ""
    # The list's query parameters (mitra.api.filters): validated, unknown ones refused.
    filterset = FilterSet()
    schema = FilterAwareAutoSchema()

    def base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        return self.base_queryset().visible_to(self.request.user)

    def get_object(self):
        # Hidden, never there or not an id at all: one answer, so nothing is revealed.
        try:
            return super().get_object()
        except Http404:
            raise NotFound() from None

    def filter_queryset(self, queryset):
        # Only the list takes filters; a record or a write is not narrowed by them.
        if self.action != "list":
            return queryset
        try:
            return self.filterset.filter(queryset, self.request)
        except FilterErrors as exc:
            raise ValidationError(exc.errors) from None
