from django.urls import include, path
from django.views.generic import RedirectView

from mitra.core.registry import url_extensions
from mitra.core.urls_records import record_urls

from . import views

app_name = "parties"

urlpatterns = [
    path("", views.party_list, name="list"),
    path("new/", views.party_create, name="create"),
    path("bulk/", views.party_bulk, name="bulk"),
    path("columns/", views.party_list_columns, name="list_columns"),
    path("book/", views.phone_book, name="book"),
    path("lookup/", views.party_lookup, name="lookup"),
    path("trash/", views.trash, name="trash"),
    path("trash/<uuid:public_id>/restore/", views.trash_restore, name="restore"),
    path("trash/<uuid:public_id>/purge/", views.trash_purge, name="purge"),
    path("approvals/", views.approvals, name="approvals"),  # moved to /approvals/
    *record_urls(views, "group", new="edit", detail=False),
    path("ratings/", views.rating_levels, name="ratings"),
    path("ratings/<uuid:public_id>/", views.rating_levels, name="rating_level_edit"),
    path("ratings/<uuid:public_id>/delete/", views.rating_level_delete, name="rating_level_delete"),
    path("ratings/given/<uuid:public_id>/remove/", views.rating_remove, name="rating_remove"),
    path(
        "relationships/<uuid:public_id>/remove/",
        views.relationship_remove,
        name="relationship_remove",
    ),
    # Old links to a party's file: the files moved to the one attachment model with their
    # public_id, so the one download view answers (and checks who may see it).
    path(
        "files/<uuid:public_id>/",
        RedirectView.as_view(pattern_name="activities:attachment_download", query_string=True),
        name="attachment",
    ),
    path("<uuid:public_id>/", views.party_detail, name="detail"),
    path("<uuid:public_id>/tab/<slug:tab>/", views.party_detail, name="tab"),
    path("<uuid:public_id>/edit/", views.party_edit, name="edit"),
    path("<uuid:public_id>/delete/", views.party_delete, name="delete"),
    path("<uuid:public_id>/star/", views.party_star, name="star"),
    path("<uuid:public_id>/active/", views.party_set_active, name="set_active"),
    path("<uuid:public_id>/photo/", views.party_photo, name="photo"),
    path("<uuid:public_id>/ratings/add/", views.rating_add, name="rating_add"),
    path("<uuid:public_id>/relationships/add/", views.relationship_add, name="relationship_add"),
    path("<uuid:public_id>/contacts/add/", views.contact_add, name="contact_add"),
    path(
        "<uuid:public_id>/contacts/<uuid:person_id>/remove/",
        views.contact_remove,
        name="contact_remove",
    ),
    path("caller-id/", views.caller_id, name="caller_id"),
    path("", include("mitra.parties.urls_io")),
]
# Screens other apps add under /parties/ (duplicates and merge: mitra.dedupe).
urlpatterns += [path("", include(module)) for module in url_extensions("parties")]
