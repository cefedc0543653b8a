from django.urls import include, path

app_name = "activities"

urlpatterns = [
    path("calendar/", include("mitra.activities.urls_calendar")),
]
