from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("", views.reminder_list, name="list"),
    path("bell/", views.bell, name="bell"),
    path("preferences/", views.preferences, name="preferences"),
    path("<uuid:public_id>/done/", views.reminder_done, name="done"),
    path("<uuid:public_id>/snooze/", views.reminder_snooze, name="snooze"),
    path("<uuid:public_id>/reopen/", views.reminder_reopen, name="reopen"),
]
