"""Create once: one-time form tokens and the API's `Idempotency-Key`.

A double-clicked "Save" or a client retrying after a timeout sends the same create twice.
Both carry the same key: a create form holds a hidden one-time token (`form_token`, added by
`StyledFormMixin` to forms that set `one_time_token = True`, when they create a record), and
an API client may send an `Idempotency-Key` header with any POST.

The first request claims the key by inserting an `IdempotencyKey` row (unique per user and
key, so two processes cannot both claim it) and stores its answer when it succeeds; a
repeat within `LIFETIME` gets that answer again — a redirect to the record the first one
created, or the same API response — and creates nothing. A request that fails (a form
error, a 4xx) releases the key, so the corrected form or request can be sent again.
"""

import time
import uuid
from datetime import timedelta
from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

TOKEN_FIELD = "form_token"
HEADER = "Idempotency-Key"
LIFETIME = timedelta(hours=24)
# How long a repeat waits for the first request still under way before answering.
WAIT_SECONDS = 5.0


class IdempotencyKey(models.Model):
    """A create done (or under way) for a one-time form token or an API idempotency key."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=300)
    path = models.CharField(max_length=500)
    # Null while the first request is still under way.
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    location = models.CharField(max_length=2000, blank=True)
    body = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "core"
        ordering = ["pk"]
        constraints = [
            # The claim: one row per user and key (the look-up of every repeat, too).
            models.UniqueConstraint(fields=["user", "key"], name="idempotencykey_user_key")
        ]
        # Clearing out keys past their lifetime: created_at < now - LIFETIME.
        indexes = [models.Index(fields=["created_at"], name="idempotencykey_created_idx")]

    def __str__(self):
        return self.key

    @property
    def finished(self):
        return self.status_code is not None


def claim(user, key, path):
    """(record, first): `first` is True when this request claimed `key` and must do the
    work; otherwise `record` is the earlier claim (finished, or still under way after
    waiting up to WAIT_SECONDS)."""
    cutoff = timezone.now() - LIFETIME
    IdempotencyKey.objects.filter(user=user, created_at__lt=cutoff).delete()
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(user=user, key=key, path=path[:500]), True
    except IntegrityError:
        pass
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        record = IdempotencyKey.objects.filter(user=user, key=key).first()
        if record is None:  # the first request failed and let go meanwhile: try again
            return claim(user, key, path)
        if record.finished or time.monotonic() >= deadline:
            return record, False
        time.sleep(0.1)


def finish(record, status_code, *, location="", body=None):
    record.status_code = status_code
    record.location = location[:2000]
    record.body = body
    record.save(update_fields=["status_code", "location", "body"])


def release(record):
    if record is not None and record.pk:
        IdempotencyKey.objects.filter(pk=record.pk).delete()


def clear_expired():
    """Delete keys past their lifetime (the scheduler may call this; claims also do it)."""
    return IdempotencyKey.objects.filter(created_at__lt=timezone.now() - LIFETIME).delete()[0]


# -- forms ----------------------------------------------------------------------------------


def add_token_field(form):
    """Give a create form its hidden one-time token (`StyledFormMixin` calls this)."""
    instance = getattr(form, "instance", None)
    if instance is not None and instance.pk:
        return  # an edit: saving twice changes nothing twice
    form.fields[TOKEN_FIELD] = forms.CharField(
        required=False, max_length=64, widget=forms.HiddenInput, initial=uuid.uuid4().hex
    )


def pop_token(form):
    """Keep the token out of `cleaned_data` (views pass it on to actions as field values)."""
    if hasattr(form, "cleaned_data"):
        form.one_time_token = form.cleaned_data.pop(TOKEN_FIELD, "")


def create_once(view):
    """Decorate a create view: a POST repeating the form token of a POST that created a
    record redirects to where the first one went, and creates nothing.

    The first POST's answer counts as "created" when it is a redirect; any other answer
    (the form again, with errors) lets the token go so the corrected form can be sent."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        token = request.POST.get(TOKEN_FIELD, "") if request.method == "POST" else ""
        if not token or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        record, first = claim(request.user, f"form:{token[:64]}", request.path)
        if not first:
            if record.finished and record.location:
                messages.info(request, _("This form was already saved; here is the result."))
                return redirect(record.location)
            messages.info(request, _("This form is still being saved. Please wait a moment."))
            return redirect(request.get_full_path())
        try:
            response = view(request, *args, **kwargs)
        except BaseException:
            release(record)
            raise
        if response.status_code in (301, 302, 303) and response.get("Location"):
            finish(record, response.status_code, location=response["Location"])
        else:
            release(record)
        return response

    return wrapper


# -- the API --------------------------------------------------------------------------------


class _Replay(Exception):
    def __init__(self, response):
        self.response = response


def _key_refused(message, status_code, code):
    """A refused key as an API error (the API's one error shape answers it)."""
    from rest_framework.exceptions import APIException

    exc = APIException(message, code=code)
    exc.status_code = status_code
    return exc


class IdempotentAPIMixin:
    """For DRF views: a POST with an `Idempotency-Key` header is done once per user and
    key within LIFETIME; repeats get the first (successful) response again, with the
    header `Idempotent-Replayed: true`. The same key for another path is refused (422);
    a repeat while the first is still under way is a 409."""

    _idempotency = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authentication and permissions first
        self._idempotency = None
        key = request.headers.get(HEADER, "").strip()
        if request.method != "POST" or not key:
            return
        from rest_framework import status
        from rest_framework.exceptions import ValidationError
        from rest_framework.response import Response

        if len(key) > 255:
            raise ValidationError({HEADER: _("At most 255 characters.")})
        record, first = claim(request.user, f"api:{key}", request.path)
        if first:
            self._idempotency = record
            return
        if record.path != request.path[:500]:
            raise _key_refused(
                _("This Idempotency-Key was used for another request."),
                status.HTTP_422_UNPROCESSABLE_ENTITY,
                "idempotency_key_reused",
            )
        if not record.finished:
            raise _key_refused(
                _("A request with this Idempotency-Key is still under way."),
                status.HTTP_409_CONFLICT,
                "in_progress",
            )
        response = Response(record.body, status=record.status_code)
        response["Idempotent-Replayed"] = "true"
        raise _Replay(response)

    def handle_exception(self, exc):
        if isinstance(exc, _Replay):
            return exc.response
        return super().handle_exception(exc)

    def dispatch(self, request, *args, **kwargs):
        try:
            response = super().dispatch(request, *args, **kwargs)
        except BaseException:
            release(self._idempotency)
            self._idempotency = None
            raise
        record, self._idempotency = self._idempotency, None
        if record is not None:
            if 200 <= response.status_code < 300:
                finish(record, response.status_code, body=getattr(response, "data", None))
            else:
                release(record)
        return response
