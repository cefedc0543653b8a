from django.urls import path

from mitra.core.urls_records import record_urls

from . import views

app_name = "users"

urlpatterns = [
    path("", views.user_list, name="list"),
    path("new/", views.user_edit, name="create"),
    path("<uuid:public_id>/", views.user_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.user_edit, name="edit"),
    path("<uuid:public_id>/active/", views.user_set_active, name="set_active"),
    *record_urls(views, "team", new="edit"),
    path("roles/", views.role_list, name="roles"),
    path("roles/new/", views.role_edit, name="role_create"),
    path("roles/<uuid:public_id>/", views.role_edit, name="role_edit"),
    path("roles/<uuid:public_id>/delete/", views.role_delete, name="role_delete"),
]
