from importlib import import_module

from django.apps import apps
from rest_framework.routers import DefaultRouter

from .v1.users import TeamViewSet, UserViewSet

router = DefaultRouter()
router.register("users", UserViewSet, basename="user")
router.register("teams", TeamViewSet, basename="team")

# Domain modules add their endpoints with a `register(router)` function.
for _name in ("parties", "activities"):
    if apps.is_installed(f"mitra.{_name}"):
        import_module(f"mitra.api.v1.{_name}").register(router)
import_module("mitra.api.v1.events").register(router)  # the event feed (core)

urlpatterns = router.urls
