from django.urls import include, path

from . import views

app_name = "activities"

urlpatterns = [
    path("party-options/", views.party_options, name="party_options"),
    # interactions (C1, C2)
    path("interactions/", views.interaction_list, name="interactions"),
    path("interactions/new/", views.interaction_create, name="interaction_create"),
    path("interactions/quick/", views.quick_log, name="quick_log"),
    path("interactions/analysis/", views.interaction_analysis, name="interaction_analysis"),
    path("interactions/export/<str:fmt>/", views.interaction_export, name="interaction_export"),
    path("interactions/<uuid:public_id>/", views.interaction_detail, name="interaction_detail"),
    path("interactions/<uuid:public_id>/edit/", views.interaction_edit, name="interaction_edit"),
    path(
        "interactions/<uuid:public_id>/delete/",
        views.interaction_delete,
        name="interaction_delete",
    ),
    # follow-ups (C3)
    path("followups/", views.followup_list, name="followups"),
    path("followups/new/", views.followup_create, name="followup_create"),
    path("followups/party/<uuid:public_id>/", views.followup_chain, name="followup_chain"),
    path("followups/<uuid:public_id>/edit/", views.followup_edit, name="followup_edit"),
    path("followups/<uuid:public_id>/delete/", views.followup_delete, name="followup_delete"),
    # appointments (C4); the calendar grids are in urls_calendar
    path("appointments/", views.appointment_list, name="appointments"),
    path("appointments/new/", views.appointment_create, name="appointment_create"),
    path("appointments/conflicts/", views.appointment_conflicts, name="appointment_conflicts"),
    path("appointments/<uuid:public_id>/", views.appointment_detail, name="appointment_detail"),
    path("appointments/<uuid:public_id>/edit/", views.appointment_edit, name="appointment_edit"),
    path(
        "appointments/<uuid:public_id>/delete/",
        views.appointment_delete,
        name="appointment_delete",
    ),
    path("calendar/", include("mitra.activities.urls_calendar")),
    # tasks (C5)
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/export/<str:fmt>/", views.task_export, name="task_export"),
    path("tasks/board/", views.task_board, name="task_board"),
    path("tasks/new/", views.task_create, name="task_create"),
    path("tasks/<uuid:public_id>/", views.task_detail, name="task_detail"),
    path("tasks/<uuid:public_id>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<uuid:public_id>/status/", views.task_status, name="task_status"),
    path("tasks/<uuid:public_id>/close/", views.task_close, name="task_close"),
    path("tasks/<uuid:public_id>/delete/", views.task_delete, name="task_delete"),
    path("tasks/<uuid:public_id>/steps/", views.task_step_add, name="task_step_add"),
    path(
        "tasks/<uuid:public_id>/steps/<int:step_id>/toggle/",
        views.task_step_toggle,
        name="task_step_toggle",
    ),
    path(
        "tasks/<uuid:public_id>/steps/<int:step_id>/delete/",
        views.task_step_delete,
        name="task_step_delete",
    ),
    # notes (C6) and news (C7)
    path("notes/", views.note_list, name="notes"),
    path("notes/new/", views.note_create, name="note_create"),
    path("notes/<uuid:public_id>/", views.note_detail, name="note_detail"),
    path("notes/<uuid:public_id>/edit/", views.note_edit, name="note_edit"),
    path("notes/<uuid:public_id>/status/", views.note_status, name="note_status"),
    path("notes/<uuid:public_id>/delete/", views.note_delete, name="note_delete"),
    path("news/", views.news_list, name="news"),
    path("news/new/", views.news_create, name="news_create"),
    path("news/<uuid:public_id>/", views.news_detail, name="news_detail"),
    path("news/<uuid:public_id>/edit/", views.news_edit, name="news_edit"),
    path("news/<uuid:public_id>/delete/", views.news_delete, name="news_delete"),
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
