from django.urls import path

from . import views

app_name = "mail"

urlpatterns = [
    path("", views.outbox_list, name="list"),
    path("<uuid:public_id>/", views.outbox_detail, name="detail"),
    path("<uuid:public_id>/retry/", views.outbox_retry, name="retry"),
]
