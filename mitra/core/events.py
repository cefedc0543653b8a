"""Domain events: a change worth telling others about is an `Event` row.

An action records what happened in its own transaction:

    from mitra.core import events
    events.record_event("party.created", party, acting_user=acting_user, party=party)

The row (what, which record, who, when, a small payload) is written with the change, so a
rolled-back action leaves neither. Subscribers are called only after the transaction
commits (`transaction.on_commit`), never inside it:

    events.subscribe("party.*", handler)                  # handler(event), after commit
    events.subscribe("task.*", handler, background=True)  # enqueued for the worker

A handler that is slow (a webhook, a mail) subscribes with `background=True`: it then
runs in `mitra worker` as a task that gets the event's id. A handler that fails is logged;
the change it reacts to is already committed.

Reads go through `Event.objects.visible_to(user)`: an event is visible exactly when the
record it is about is (that record's own `visible_to`, so a change of owner or sharing is
followed at once); the party timeline reads `.for_party(party)`.
"""

import fnmatch
import logging
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from .models import PublicIdModel
from .policy import Action, has_module_perm

log = logging.getLogger(__name__)

# A payload is a small summary (changed field names, old/new status), never a record copy.
PAYLOAD_LIMIT = 4000


def _source_manager(model):
    """The manager whose `visible_to` says who may see `model`'s rows (trashed ones too)."""
    return getattr(model, "all_objects", model._default_manager)


def event_models():
    """Every model with a policy: the records events can be about (and be read through)."""
    return [
        m
        for m in apps.get_models()
        if getattr(m, "policy_module", "") and not m.__name__.startswith("Historical")
    ]


class EventQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Events about records `user` may see (the record's own policy decides)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        by_model = ContentType.objects.get_for_models(*event_models(), for_concrete_models=False)
        q = Q()
        for model, ct in by_model.items():
            manager = _source_manager(model)
            if hasattr(manager, "visible_to"):
                if not has_module_perm(user, model.policy_module, Action.VIEW):
                    continue
                seen = manager.visible_to(user).filter(pk=OuterRef("object_id"))
                q |= Q(content_type=ct.pk) & Exists(seen)
            elif has_module_perm(user, model.policy_module, Action.VIEW):
                q |= Q(content_type=ct.pk)
        return self.filter(q) if q else self.none()

    def for_party(self, party):
        """Events about `party` or one of its records (a note on it, a task for it)."""
        return self.filter(party_pk=party.pk)

    def of_type(self, pattern):
        """`party.created`, or `party.*` for every event of a kind."""
        if pattern.endswith(".*"):
            return self.filter(type__startswith=pattern[:-1])
        return self.filter(type=pattern)


class Event(PublicIdModel):
    """Something that happened to a record: who did what, when, with a small summary."""

    type = models.CharField(_("event"), max_length=100)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("record type"), on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("record"))
    # Kept with the event so feeds and webhooks can name the record without reading it.
    object_public_id = models.UUIDField(_("record id"), null=True, blank=True)
    object_repr = models.CharField(_("record name"), max_length=200, blank=True)
    # The party the record concerns, if any. A plain key, not a foreign key: the log stays
    # when a party is purged, and core does not depend on the parties app.
    party_pk = models.BigIntegerField(_("party"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    payload = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = EventQuerySet.as_manager()

    class Meta:
        app_label = "core"
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The "latest events" feed and the API list: newest first, keyset on (time, id).
            models.Index(fields=["-created_at", "-id"], name="event_latest_idx"),
            # A party's timeline: party = X, newest first.
            models.Index(fields=["party_pk", "-created_at", "-id"], name="event_party_idx"),
            # One record's events (and the visibility check's join back to the record).
            models.Index(fields=["content_type", "object_id"], name="event_record_idx"),
            # Filtered feeds: type = X (or a prefix), newest first.
            models.Index(fields=["type", "-created_at"], name="event_type_idx"),
        ]

    def __str__(self):
        return f"{self.type} {self.object_repr}"

    @property
    def label(self):
        """What happened, in the reader's language (the type when no app described it)."""
        return _types.get(self.type, {}).get("label") or self.type

    @property
    def record_type(self):
        """`party`, `task`, … : the model's name, as the API shows it."""
        return ContentType.objects.get_for_id(self.content_type_id).model


# --- the types apps describe --------------------------------------------------------------

_types: dict[str, dict] = {}


def register_type(type, label, *, timeline=False):
    """Describe an event type (from the app's `ready()`). `timeline=True` shows its events on
    the party timeline: only for changes that no other timeline row already tells (a
    created interaction is its own row; a party's field edits are its history)."""
    _types[type] = {"label": label, "timeline": timeline}


def timeline_types():
    return sorted(t for t, d in _types.items() if d["timeline"])


def _timeline_rows(user, party):
    types = timeline_types()
    if types:
        return (
            Event.objects.visible_to(user)
            .filter(party_pk=party.pk, type__in=types)
            .select_related("actor")
        )


def register_timeline():
    """The event feed as a party timeline source ("record changes"), for the described types."""
    from .timeline import TimelineSource, register_timeline_source

    register_timeline_source(
        TimelineSource(
            "event",
            _("Record changes"),
            7,
            "created_at",
            _timeline_rows,
            "core/_timeline_event.html",
        )
    )


# --- recording ---------------------------------------------------------------------------


def record_event(type, obj, *, acting_user, payload=None, party=None):
    """Write an event about `obj` in the caller's transaction; subscribers run after commit.

    `party` is the party the record concerns (defaults to `obj` itself when it is a party).
    `acting_user` is None for the system (the worker, a schedule).
    """
    payload = payload or {}
    if len(DjangoJSONEncoder().encode(payload)) > PAYLOAD_LIMIT:
        raise ValueError(f"event payload of {type} is too big")
    if party is None and obj._meta.label_lower == "parties.party":
        party = obj
    user = acting_user if getattr(acting_user, "is_authenticated", False) else None
    event = Event.objects.create(
        type=type,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
        object_public_id=getattr(obj, "public_id", None),
        object_repr=str(obj)[:200],
        party_pk=getattr(party, "pk", party),
        actor=user,
        payload=payload,
    )
    if _subscribers:
        transaction.on_commit(lambda: dispatch(event), robust=True)
    return event


# --- subscribing -------------------------------------------------------------------------

_subscribers: list[tuple[str, object, bool]] = []


def subscribe(pattern, handler, *, background=False):
    """Call `handler(event)` after commit for each event whose type matches `pattern`.

    `pattern` is a type (`party.merged`) or a shell-style wildcard (`party.*`, `*`). With
    `background=True` the handler (a module-level function) runs in the worker instead.
    Apps subscribe from their `AppConfig.ready()`.
    """
    if background and (handler.__module__ == "__main__" or "<" in handler.__qualname__):
        raise ValueError("a background handler must be a module-level function")
    _subscribers.append((pattern, handler, background))
    return handler


def unsubscribe(handler):
    _subscribers[:] = [s for s in _subscribers if s[1] is not handler]


def dispatch(event):
    """Run the subscribers of `event` (called after commit)."""
    for pattern, handler, background in list(_subscribers):
        if not fnmatch.fnmatchcase(event.type, pattern):
            continue
        try:
            if background:
                run_handler.enqueue(f"{handler.__module__}:{handler.__qualname__}", event.pk)
            else:
                handler(event)
        except Exception:
            log.exception("event handler %r failed on %s", handler, event.type)


@task()
def run_handler(handler_path, event_id):
    """Run a background subscriber on an event (in `mitra worker`)."""
    module, _sep, name = handler_path.partition(":")
    handler = import_module(module)
    for part in name.split("."):
        handler = getattr(handler, part)
    event = Event.objects.filter(pk=event_id).first()
    if event is not None:
        handler(event)
