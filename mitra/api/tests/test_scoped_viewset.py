"""ScopedViewSet cannot be used without its policy: refused when the subclass is defined."""

from django.core.exceptions import ImproperlyConfigured
from django.test import SimpleTestCase
from rest_framework import mixins, permissions
from rest_framework.decorators import action

from mitra.api.base import ModulePermission, RecordActionPermission, ScopedViewSet
from mitra.api.urls import router
from mitra.parties.models import Party


class _Ok(mixins.ListModelMixin, ScopedViewSet):
    policy_module = "parties"

    def base_queryset(self):
        return Party.objects.all()


class ScopedViewSetTests(SimpleTestCase):
    def refused(self, message, **attrs):
        with self.assertRaisesMessage(ImproperlyConfigured, message):
            type("Bad", (_Ok,), attrs)

    def test_a_complete_subclass_is_accepted(self):
        ok = type("Fine", (_Ok,), {"ordering": ("code",)})
        self.assertFalse(ok.abstract)

    def test_overriding_the_scoped_reads_is_refused(self):
        for method in ("get_queryset", "get_object", "filter_queryset"):
            with self.subTest(method):
                self.refused(f"overrides {method}()", **{method: lambda self: None})

    def test_a_mixin_cannot_slip_an_override_in_either(self):
        class Unscoped:
            def get_queryset(self):
                return Party.all_objects.all()

        with self.assertRaisesMessage(ImproperlyConfigured, "Unscoped overrides get_queryset()"):

            class Bad(Unscoped, _Ok):
                pass

    def test_a_missing_policy_module_is_refused(self):
        self.refused("set policy_module", policy_module="")

    def test_a_missing_base_queryset_is_refused(self):
        with self.assertRaisesMessage(ImproperlyConfigured, "define base_queryset()"):

            class Bad(ScopedViewSet):
                policy_module = "parties"

    def test_dropping_module_permission_is_refused(self):
        self.refused("ModulePermission", permission_classes=[permissions.IsAuthenticated])
        self.refused("ModulePermission", permission_classes=[])
        # Adding to it is fine.
        type("More", (_Ok,), {"permission_classes": [permissions.IsAdminUser, ModulePermission]})

    def test_an_extra_action_dropping_module_permission_is_refused(self):
        with self.assertRaisesMessage(ImproperlyConfigured, "Bad.close: permission_classes"):

            class Bad(_Ok):
                @action(detail=True, methods=["post"], permission_classes=[permissions.AllowAny])
                def close(self, request, public_id=None):
                    return None

        class Fine(_Ok):
            @action(detail=True, methods=["post"], permission_classes=[RecordActionPermission])
            def close(self, request, public_id=None):
                return None

    def test_an_abstract_base_may_leave_the_module_and_queryset_to_its_subclasses(self):
        class Base(ScopedViewSet, abstract=True):
            pass

        self.assertTrue(Base.abstract)
        with self.assertRaisesMessage(ImproperlyConfigured, "set policy_module"):

            class Bad(Base):
                pass

    def test_every_viewset_the_router_serves_is_a_concrete_scoped_viewset(self):
        for prefix, viewset, _basename in router.registry:
            with self.subTest(prefix):
                self.assertTrue(issubclass(viewset, ScopedViewSet), prefix)
                self.assertFalse(viewset.abstract, prefix)
