from django.urls import include, path

from . import views

app_name = "parties"

urlpatterns = [
    path("", views.party_list, name="list"),
    # Owned by other helpers: duplicates & merge, import & export.
    path("", include("mitra.parties.urls_dupes")),
    path("", include("mitra.parties.urls_io")),
]
