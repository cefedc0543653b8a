from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("templates/", views.template_list, name="templates"),
    path("templates/<str:type_key>/<str:language>/", views.template_edit, name="template_edit"),
    path(
        "templates/<str:type_key>/<str:language>/preview/",
        views.template_preview,
        name="template_preview",
    ),
    path(
        "templates/<str:type_key>/<str:language>/preview.pdf",
        views.template_preview_pdf,
        name="template_preview_pdf",
    ),
    path("letterhead/", views.company, name="company"),
    path("issued/<uuid:public_id>/", views.issued_download, name="issued"),
    path("<str:type_key>/<uuid:public_id>/", views.record_documents, name="record"),
    path("<str:type_key>/<uuid:public_id>/issue/", views.issue, name="issue"),
    path("<str:type_key>/<uuid:public_id>/<str:language>.pdf", views.record_pdf, name="pdf"),
]
