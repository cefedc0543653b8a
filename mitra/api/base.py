"""API base classes: every viewset reads through the policy core and writes through actions.

`ScopedViewSet.get_queryset()` is final: subclasses give `base_queryset()` and the
scoping by `visible_to(request.user)` is always applied, so no endpoint can forget it.
"""

from rest_framework import permissions, viewsets

from mitra.core.policy import Action, can, has_module_perm

from . import dates  # noqa: F401 - every ModelSerializer refuses implausible years

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


class ScopedViewSet(viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated, ModulePermission]
    lookup_field = "public_id"
    policy_module = ""

    def base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        return self.base_queryset().visible_to(self.request.user)
