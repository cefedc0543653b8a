"""API base classes: every viewset reads through the policy core and writes through actions.

`ScopedViewSet.get_queryset()`, `get_object()` and `filter_queryset()` are final: subclasses
give `base_queryset()` and `policy_module`, and the scoping by `visible_to(request.user)` and
the role's module rights (`ModulePermission`) always apply, so no endpoint can forget them.
This is enforced when a subclass is defined (`__init_subclass__`): a subclass that overrides
one of them, lacks `base_queryset`/`policy_module`, or whose `permission_classes` drop
`ModulePermission` raises ImproperlyConfigured at import. A base class for other viewsets
says so with `class ActionViewSet(..., ScopedViewSet, abstract=True)`.
Versioned records get an ETag and honour If-Match / `version` on writes (`api.versioning`).
"""

from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from rest_framework import mixins, permissions, viewsets
from rest_framework.exceptions import NotFound, ValidationError

from mitra.api.filters import FilterAwareAutoSchema
from mitra.core.idempotency import IdempotentAPIMixin
from mitra.core.policy import Action, can, has_module_perm
from mitra.core.tables import FilterErrors, FilterSet

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


# `policy_module` of a feed whose rows each have their own policy (the event feed): no
# module right of its own, `visible_to` asks each record's policy.
PER_RECORD = "__per_record__"


class ModulePermission(permissions.BasePermission):
    """The role's permission matrix, per module and HTTP verb, then per record."""

    def has_permission(self, request, view):
        if view.policy_module == PER_RECORD:
            return request.user.is_authenticated and request.method in permissions.SAFE_METHODS
        return has_module_perm(request.user, view.policy_module, _METHOD_ACTIONS[request.method])

    def has_object_permission(self, request, view, obj):
        action = _METHOD_ACTIONS[request.method]
        return action == Action.VIEW or can(request.user, action, obj)


class RecordActionPermission(ModulePermission):
    """For a record's own POST action (a task's close, a note's read) whose action function
    checks the user's right to that record itself (an assignee may close a task they may not
    edit): signed in is enough here; the record is still found through `visible_to`."""

    def has_permission(self, request, view):
        return request.user.is_authenticated

    def has_object_permission(self, request, view, obj):
        return True


class ScopedViewSet(IdempotentAPIMixin, VersionedViewMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated, ModulePermission]
    lookup_field = "public_id"
    policy_module = ""
    # The list's query parameters (core.tables.FilterSet): validated, unknown ones refused.
    filterset = FilterSet()
    schema = FilterAwareAutoSchema()
    abstract = True  # ScopedViewSet itself; every subclass is concrete unless it says so

    _FINAL = ("get_queryset", "get_object", "filter_queryset")

    def __init_subclass__(cls, abstract=False, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.abstract = abstract
        name = f"{cls.__module__}.{cls.__qualname__}"
        for klass in cls.__mro__:
            if klass is ScopedViewSet:
                break
            for method in cls._FINAL:
                if method in vars(klass):
                    raise ImproperlyConfigured(
                        f"{name}: {klass.__qualname__} overrides {method}(), which "
                        "ScopedViewSet keeps final (give base_queryset() and filterset)."
                    )
        if not any(issubclass(p, ModulePermission) for p in cls.permission_classes):
            raise ImproperlyConfigured(f"{name}: permission_classes must keep ModulePermission.")
        for extra in cls.get_extra_actions():
            classes = extra.kwargs.get("permission_classes")
            if classes is not None and not any(issubclass(p, ModulePermission) for p in classes):
                raise ImproperlyConfigured(
                    f"{name}.{extra.__name__}: permission_classes must keep ModulePermission "
                    "(or RecordActionPermission when the action checks the record itself)."
                )
        if abstract:
            return
        if not cls.policy_module:
            raise ImproperlyConfigured(
                f"{name}: set policy_module (the role's module, or PER_RECORD)."
            )
        if cls.base_queryset is ScopedViewSet.base_queryset:
            raise ImproperlyConfigured(f"{name}: define base_queryset().")

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


class ScopedModelViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    ScopedViewSet,
    abstract=True,
):
    """A ScopedViewSet with all five model actions: list, read, create, update, delete."""
