"""Import and export of parties (owned by the import/export helper, kept separate on purpose)."""

from django.urls import path

from .views import io as views_io

urlpatterns = [
    *views_io.site.urls(),
    path("export/", views_io.party_export, name="export"),
]
