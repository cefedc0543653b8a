from django.urls import path

from . import views

app_name = "approvals"

urlpatterns = [
    path("", views.approval_list, name="list"),
    path("link/<str:token>/", views.approval_link, name="link"),
    path("delegations/", views.delegations, name="delegations"),
    path("delegations/<uuid:public_id>/end/", views.delegation_end, name="delegation_end"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/new/", views.rule_edit, name="rule_create"),
    path("rules/<uuid:public_id>/", views.rule_edit, name="rule_edit"),
    path("rules/<uuid:public_id>/delete/", views.rule_delete, name="rule_delete"),
    path("rules/<uuid:rule_id>/levels/new/", views.level_edit, name="level_create"),
    path("levels/<uuid:public_id>/", views.level_edit, name="level_edit"),
    path("levels/<uuid:public_id>/delete/", views.level_delete, name="level_delete"),
    path("<uuid:public_id>/", views.approval_detail, name="detail"),
    path("<uuid:public_id>/cancel/", views.approval_cancel, name="cancel"),
    path("<uuid:public_id>/<str:decision>/", views.approval_decide, name="decide"),
]
