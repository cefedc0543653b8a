"""Calendar views of appointments; included by urls.py under calendar/."""

from django.urls import path

from . import calendar_views as views

urlpatterns = [
    path("", views.calendar_grid, {"view": "month"}, name="calendar"),
    path("month/", views.calendar_grid, {"view": "month"}, name="calendar_month"),
    path("week/", views.calendar_grid, {"view": "week"}, name="calendar_week"),
    path("day/", views.calendar_grid, {"view": "day"}, name="calendar_day"),
    path("move/<uuid:public_id>/", views.calendar_move, name="calendar_move"),
    path("feed/", views.calendar_feed_settings, name="calendar_feed_settings"),
    path("feed/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
