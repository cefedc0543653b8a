from django.urls import include, path

app_name = "parties"

urlpatterns = [
    path("", include("mitra.parties.urls_dupes")),
    path("", include("mitra.parties.urls_io")),
]
