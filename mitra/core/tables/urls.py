from django.urls import path

from . import views

app_name = "core_lists"

urlpatterns = [
    path("<slug:key>/columns/", views.list_columns, name="columns"),
    path("<slug:key>/views/", views.saved_views, name="views"),
    path("views/<uuid:public_id>/", views.view_open, name="view"),
    path("views/<uuid:public_id>/edit/", views.view_edit, name="view_edit"),
    path("views/<uuid:public_id>/delete/", views.view_delete, name="view_delete"),
]
