"""Duplicates and merge, included in the parties URL namespace (see `DedupeConfig`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("duplicates/", views.queue, name="duplicates"),
    path("duplicates/scan/", views.scan, name="duplicate_scan"),
    path("duplicates/rules/", views.rules, name="duplicate_rules"),
    path("duplicates/rules/<uuid:public_id>/", views.rules, name="duplicate_rule_edit"),
    path(
        "duplicates/rules/<uuid:public_id>/delete/", views.rule_delete, name="duplicate_rule_delete"
    ),
    path("duplicates/<uuid:public_id>/dismiss/", views.dismiss, name="duplicate_dismiss"),
    path("duplicates/<uuid:public_id>/reopen/", views.reopen, name="duplicate_reopen"),
    path("<uuid:public_id>/duplicates/", views.party_duplicates, name="party_duplicates"),
    path("<uuid:public_id>/merge/<uuid:other_id>/", views.merge, name="merge"),
]
