from django.urls import path

from . import views

app_name = "users"

urlpatterns = [
    path("", views.user_list, name="list"),
    path("new/", views.user_edit, name="create"),
    path("<uuid:public_id>/", views.user_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.user_edit, name="edit"),
    path("<uuid:public_id>/active/", views.user_set_active, name="set_active"),
    path("teams/", views.team_list, name="teams"),
    path("teams/new/", views.team_edit, name="team_create"),
    path("teams/<uuid:public_id>/", views.team_detail, name="team_detail"),
    path("teams/<uuid:public_id>/edit/", views.team_edit, name="team_edit"),
    path("teams/<uuid:public_id>/delete/", views.team_delete, name="team_delete"),
    path("roles/", views.role_list, name="roles"),
    path("roles/new/", views.role_edit, name="role_create"),
    path("roles/<uuid:public_id>/", views.role_edit, name="role_edit"),
    path("roles/<uuid:public_id>/delete/", views.role_delete, name="role_delete"),
]
