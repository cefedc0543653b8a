from importlib.util import find_spec

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from mitra.core import views as core_views
from mitra.users import password_reset
from mitra.users import views as user_views
from mitra.users.forms import StyledPasswordChangeForm, StyledSetPasswordForm

account = [
    path("login/", user_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(form_class=StyledPasswordChangeForm),
        name="password_change",
    ),
    path(
        "password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
    path("reset/", password_reset.PasswordResetView.as_view(), name="password_reset"),
    path("reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=StyledSetPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("preferences/", user_views.preferences, name="preferences"),
    path("api-keys/", user_views.api_keys, name="api_keys"),
    path("api-keys/<uuid:public_id>/revoke/", user_views.api_key_revoke, name="api_key_revoke"),
    path("two-factor/", user_views.two_factor, name="two_factor"),
    path("two-factor/disable/", user_views.two_factor_disable, name="two_factor_disable"),
    path("two-factor/verify/", user_views.two_factor_verify, name="two_factor_verify"),
]

urlpatterns = [
    path("", core_views.home, name="home"),
    path("search/", core_views.search, name="search"),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("healthz", core_views.healthz, name="healthz"),
    path("account/", include(account)),
    path("approvals/", include("mitra.core.approvals.urls")),
    path("lists/", include("mitra.core.tables.urls")),
    path("numbering/", include("mitra.core.numbering_views")),
    path("api/v1/", include("mitra.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        # Swagger UI from our own static files, its start-up script a file of its own (CSP).
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/docs.html"),
        name="api-docs",
    ),
    path("django-admin/", admin.site.urls),
]


def _app_urls():
    """Every installed mitra app with a `urls` module, at its `url_prefix` (default
    "<label>/"; None: mounted by another app, see core.registry.extend_urls)."""
    for config in apps.get_app_configs():
        prefix = getattr(config, "url_prefix", f"{config.label}/")
        if config.name.startswith("mitra.") and prefix and find_spec(f"{config.name}.urls"):
            yield path(prefix, include(f"{config.name}.urls"))


urlpatterns[-4:-4] = list(_app_urls())
