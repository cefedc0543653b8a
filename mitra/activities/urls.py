from django.urls import include, path

from mitra.core.urls_records import record_urls

from . import views

app_name = "activities"

urlpatterns = [
    path("party-options/", views.party_options, name="party_options"),
    # interactions (C1, C2)
    *record_urls(
        views,
        "interaction",
        extra=[
            ("quick/", views.quick_log, "quick_log"),
            ("analysis/", views.interaction_analysis, "interaction_analysis"),
            ("export/<str:fmt>/", views.interaction_export, "interaction_export"),
        ],
    ),
    # follow-ups (C3)
    *record_urls(
        views,
        "followup",
        detail=False,
        extra=[("party/<uuid:public_id>/", views.followup_chain, "followup_chain")],
    ),
    # appointments (C4); the calendar grids are in urls_calendar
    *record_urls(
        views,
        "appointment",
        extra=[("conflicts/", views.appointment_conflicts, "appointment_conflicts")],
    ),
    path("calendar/", include("mitra.activities.urls_calendar")),
    # tasks (C5)
    *record_urls(
        views,
        "task",
        actions=("status", "close"),
        extra=[
            ("export/<str:fmt>/", views.task_export, "task_export"),
            ("board/", views.task_board, "task_board"),
            ("<uuid:public_id>/steps/", views.task_step_add, "task_step_add"),
            (
                "<uuid:public_id>/steps/<int:step_id>/toggle/",
                views.task_step_toggle,
                "task_step_toggle",
            ),
            (
                "<uuid:public_id>/steps/<int:step_id>/delete/",
                views.task_step_delete,
                "task_step_delete",
            ),
        ],
    ),
    # notes (C6) and news (C7)
    *record_urls(views, "note", actions=("status",)),
    *record_urls(views, "news", plural="news"),
    # attachments (C9)
    path(
        "attachments/<str:kind>/<uuid:public_id>/upload/",
        views.attachment_upload,
        name="attachment_upload",
    ),
    path(
        "attachments/<uuid:public_id>/download/",
        views.attachment_download,
        name="attachment_download",
    ),
    path("attachments/<uuid:public_id>/delete/", views.attachment_delete, name="attachment_delete"),
    # the party page's timeline tab
    path("timeline/<uuid:public_id>/", views.party_timeline, name="party_timeline"),
    # codes: results, reasons, media, appointment types
    path("codes/", views.lookup_list, name="lookups"),
    path("codes/<uuid:public_id>/", views.lookup_list, name="lookup_edit"),
]
