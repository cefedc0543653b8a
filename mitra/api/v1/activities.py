"""REST API for interactions, appointments, tasks and notes.

Reads go through `ScopedViewSet` (the same policies as the screens); writes call the
verbs of `mitra.activities.actions`, so the API can do nothing the UI could not.
Records are addressed by their public id; parties, users and codes by theirs too.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from mitra.activities import actions
from mitra.activities.forms import colleagues
from mitra.activities.lists import INTERACTIONS, NOTES, TASKS
from mitra.activities.models import (
    LOOKUP_MODULE,
    Appointment,
    AppointmentTarget,
    Interaction,
    InteractionTarget,
    Lookup,
    LookupKind,
    Note,
    NoteTarget,
    Task,
    TaskStep,
    TaskTarget,
)
from mitra.api.base import RecordActionPermission, ScopedViewSet
from mitra.core.tables import BooleanFilter, DateTimeFilter, FilterSet, UUIDFilter
from mitra.users.models import Team


class PartiesField(serializers.ListField):
    """Parties as a list of public ids; only parties the caller may see are accepted."""

    child = serializers.UUIDField()

    def to_representation(self, targets):
        return [str(t.party.public_id) for t in targets.all() if t.party_id]

    def to_internal_value(self, data):
        ids = super().to_internal_value(data)
        from mitra.parties.models import Party

        user = self.context["request"].user
        found = {p.public_id: p for p in Party.objects.visible_to(user).filter(public_id__in=ids)}
        # The record's current parties are kept even when the caller may not see them
        # (a task shared with its assignee keeps its customer).
        instance = getattr(self.parent, "instance", None)
        if instance is not None and getattr(instance, "pk", None):
            for target in instance.targets.select_related("party").filter(party__isnull=False):
                found.setdefault(target.party.public_id, target.party)
        missing = [str(i) for i in ids if i not in found]
        if missing:
            raise ValidationError(_("Unknown party: %(ids)s") % {"ids": ", ".join(missing)})
        return [found[i] for i in ids]


class PartyNamesField(serializers.Field):
    """The parties a record is about, by name: shown to everyone who sees the record, also
    when they may not open the party (its details stay behind the party's own endpoint)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("source", "targets")
        super().__init__(**kwargs)

    def to_representation(self, targets):
        return [
            {"id": str(t.party.public_id), "code": t.party.code, "name": t.party.name}
            for t in targets.all()
            if t.party_id
        ]


def _user_field(**kwargs):
    return serializers.SlugRelatedField(slug_field="public_id", queryset=colleagues(), **kwargs)


def _lookup_field(kind):
    return serializers.SlugRelatedField(
        slug_field="public_id",
        queryset=Lookup.objects.filter(module=LOOKUP_MODULE, kind=kind),
        required=False,
        allow_null=True,
    )


class ActionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    ScopedViewSet,
    abstract=True,
):
    """Create, update and delete call the actions named by the subclass."""

    related = ()  # (name, action kwarg) popped from validated data and passed separately

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        obj = self.do_create(dict(serializer.validated_data))
        return Response(self.fresh_data(obj), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        obj = self.get_object()
        serializer = self.get_serializer(obj, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        self.do_update(obj, dict(serializer.validated_data))
        return Response(self.fresh_data(obj))

    def partial_update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)

    def perform_destroy(self, instance):
        self.do_delete(instance)

    def fresh_data(self, obj):
        """`obj` as the API shows it, read again after an action changed it."""
        return self.get_serializer(self.get_queryset().get(pk=obj.pk)).data

    def status_response(self, request, set_status):
        """…/status/: move the record with `set_status` (the action checks the value)."""
        obj = self.get_object()
        body = StatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        set_status(obj, body.validated_data["status"], acting_user=request.user)
        return Response(self.fresh_data(obj))


def _parties_prefetch(target_model):
    return Prefetch("targets", queryset=target_model.objects.select_related("party"))


def _party_filter():
    return UUIDFilter(
        "targets__party__public_id", help_text=_("Only those of this party (its id).")
    )


# -- interactions ---------------------------------------------------------------------------


class InteractionSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    parties = PartiesField(source="targets", required=False)
    party_names = PartyNamesField()
    user = _user_field(required=False)
    result = _lookup_field(LookupKind.RESULT)
    reason = _lookup_field(LookupKind.REASON)
    medium = _lookup_field(LookupKind.MEDIUM)
    owner = serializers.CharField(source="owner.username", read_only=True)

    class Meta:
        model = Interaction
        fields = ["id", "version", "subject", "parties", "party_names", "channel", "direction", "occurred_at", "user",
                  "products", "result", "reason", "medium", "notes", "is_private", "owner",
                  "created_at", "updated_at"]  # fmt: skip
        read_only_fields = ["version", "created_at", "updated_at"]


class InteractionViewSet(ActionViewSet):
    """Contacts with customers. Filters: ?party=<id>, ?channel=, ?since=, ?until= (ISO)."""

    serializer_class = InteractionSerializer
    policy_module = "interactions"
    ordering = ("-occurred_at",)

    def base_queryset(self):
        qs = Interaction.objects.select_related("owner", "user", "result", "reason", "medium")
        return qs.prefetch_related(_parties_prefetch(InteractionTarget))

    filterset = INTERACTIONS.filters

    def do_create(self, data):
        parties = data.pop("targets", [])
        return actions.log_interaction(acting_user=self.request.user, parties=parties, **data)

    def do_update(self, obj, data):
        parties = data.pop("targets", None)
        actions.update_interaction(obj, acting_user=self.request.user, parties=parties, **data)

    def do_delete(self, obj):
        actions.delete_interaction(obj, acting_user=self.request.user)


# -- appointments ---------------------------------------------------------------------------


class AppointmentSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    parties = PartiesField(source="targets", required=False)
    party_names = PartyNamesField()
    participants = serializers.SlugRelatedField(
        slug_field="public_id", queryset=colleagues(), many=True, required=False
    )
    type = _lookup_field(LookupKind.APPOINTMENT_TYPE)
    owner = serializers.CharField(source="owner.username", read_only=True)

    class Meta:
        model = Appointment
        fields = ["id", "version", "subject", "type", "start", "end", "all_day", "place", "status",
                  "participants", "parties", "party_names", "reminder_minutes", "description", "is_private",
                  "owner", "created_at", "updated_at"]  # fmt: skip
        read_only_fields = ["version", "created_at", "updated_at"]

    # "The end is before the start": Appointment.clean(), which the actions run, as the form.


class AppointmentViewSet(ActionViewSet):
    """Appointments. Filters: ?from=&to= (ISO, overlapping), ?mine=1, ?party=<id>."""

    serializer_class = AppointmentSerializer
    policy_module = "appointments"
    ordering = ("start",)

    def base_queryset(self):
        return Appointment.objects.select_related("owner", "type").prefetch_related(
            "participants", _parties_prefetch(AppointmentTarget)
        )

    filterset = FilterSet(
        **{
            "from": DateTimeFilter("end__gte", help_text=_("Ending at or after this.")),
            "to": DateTimeFilter(
                "start__lt",
                end_of_day=True,
                help_text=_("Starting before this (a date: through that day)."),
            ),
        },
        mine=BooleanFilter(
            lambda qs, mine, request: qs.for_user(request.user) if mine else qs,
            help_text=_("Only those I own or take part in."),
        ),
        party=_party_filter(),
    )

    def do_create(self, data):
        return actions.create_appointment(
            acting_user=self.request.user,
            participants=data.pop("participants", []),
            parties=data.pop("targets", []),
            **data,
        )

    def do_update(self, obj, data):
        actions.update_appointment(
            obj,
            acting_user=self.request.user,
            participants=data.pop("participants", None),
            parties=data.pop("targets", None),
            **data,
        )

    def do_delete(self, obj):
        actions.delete_appointment(obj, acting_user=self.request.user)


# -- tasks ----------------------------------------------------------------------------------


class StepSerializer(serializers.ModelSerializer):
    class Meta:
        model = TaskStep
        fields = ["id", "title", "done", "done_at"]


class TaskSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    parties = PartiesField(source="targets", required=False)
    party_names = PartyNamesField()
    assignee = _user_field(required=False, allow_null=True)
    team = serializers.SlugRelatedField(
        slug_field="public_id", queryset=Team.objects.all(), required=False, allow_null=True
    )
    steps = StepSerializer(many=True, read_only=True)
    new_steps = serializers.ListField(
        child=serializers.CharField(max_length=255), write_only=True, required=False
    )
    rework_of = serializers.UUIDField(source="rework_of.public_id", read_only=True, default=None)
    owner = serializers.CharField(source="owner.username", read_only=True)

    class Meta:
        model = Task
        fields = ["id", "version", "title", "description", "status", "assignee", "team", "due_at",
                  "priority", "result", "result_note", "parties", "party_names", "steps", "new_steps",
                  "rework_of", "notify_customer", "is_private", "owner", "started_at",
                  "closed_at", "created_at", "updated_at"]  # fmt: skip
        read_only_fields = ["version", "result", "result_note", "started_at", "closed_at", "created_at",
                            "updated_at"]  # fmt: skip


class StatusSerializer(serializers.Serializer):
    """The body of …/status/: the actions check the value itself."""

    status = serializers.CharField()


class CloseSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=[Task.Result.OK, Task.Result.FAILED], required=False)
    note = serializers.CharField(required=False, allow_blank=True)
    cancel = serializers.BooleanField(required=False, default=False)


class TaskViewSet(ActionViewSet):
    """Tasks. Filters: ?status= (or "open"), ?assignee=me, ?party=<id>.
    POST …/close/ {result: ok|failed, note, cancel} closes one (a failure opens a rework task);
    POST …/status/ {status} moves it, as the board does."""

    serializer_class = TaskSerializer
    policy_module = "tasks"
    ordering = ("-created_at",)

    def base_queryset(self):
        return Task.objects.select_related(
            "owner", "assignee", "team", "rework_of"
        ).prefetch_related("steps", _parties_prefetch(TaskTarget))

    filterset = TASKS.filters

    def do_create(self, data):
        return actions.create_task(
            acting_user=self.request.user,
            parties=data.pop("targets", []),
            steps=data.pop("new_steps", []),
            **data,
        )

    def do_update(self, obj, data):
        data.pop("new_steps", None)
        actions.update_task(
            obj, acting_user=self.request.user, parties=data.pop("targets", None), **data
        )

    def do_delete(self, obj):
        actions.delete_task(obj, acting_user=self.request.user)

    @action(detail=True, methods=["post"], permission_classes=[RecordActionPermission])
    def close(self, request, public_id=None):
        task = self.get_object()
        body = CloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        actions.close_task(
            task,
            acting_user=request.user,
            result=body.validated_data.get("result", Task.Result.OK),
            note=body.validated_data.get("note", ""),
            cancel=body.validated_data["cancel"],
        )
        data = self.fresh_data(task)
        if task.rework is not None:
            data = {**data, "rework": str(task.rework.public_id)}
        return Response(data)

    @action(detail=True, methods=["post"], permission_classes=[RecordActionPermission])
    def status(self, request, public_id=None):
        return self.status_response(request, actions.set_task_status)


# -- notes ----------------------------------------------------------------------------------


class NoteSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    parties = PartiesField(source="targets", required=False)
    party_names = PartyNamesField()
    recipients = serializers.SlugRelatedField(
        slug_field="public_id", queryset=colleagues(), many=True, required=False
    )
    owner = serializers.CharField(source="owner.username", read_only=True)
    unread = serializers.SerializerMethodField()

    class Meta:
        model = Note
        fields = ["id", "version", "title", "body", "status", "recipients", "parties", "party_names", "remind_on",
                  "is_private", "owner", "unread", "closed_at", "created_at", "updated_at"]  # fmt: skip
        read_only_fields = ["version", "status", "closed_at", "created_at", "updated_at"]

    def get_unread(self, note) -> bool:
        me = self.context["request"].user.pk
        return any(d.user_id == me and d.read_at is None for d in note.deliveries.all())


class NoteViewSet(ActionViewSet):
    """Notes. Filters: ?box=received|sent|mine, ?status=active|closed.
    POST …/read/ clears my unread marker; POST …/status/ {status: active|closed}."""

    serializer_class = NoteSerializer
    policy_module = "notes"
    ordering = ("-created_at",)

    def base_queryset(self):
        return Note.objects.select_related("owner").prefetch_related(
            "recipients", "deliveries", _parties_prefetch(NoteTarget)
        )

    filterset = NOTES.filters

    def do_create(self, data):
        return actions.create_note(
            acting_user=self.request.user,
            recipients=data.pop("recipients", []),
            parties=data.pop("targets", []),
            **data,
        )

    def do_update(self, obj, data):
        data.pop("targets", None)
        actions.update_note(
            obj, acting_user=self.request.user, recipients=data.pop("recipients", None), **data
        )

    def do_delete(self, obj):
        actions.delete_note(obj, acting_user=self.request.user)

    @action(detail=True, methods=["post"], permission_classes=[RecordActionPermission])
    def read(self, request, public_id=None):
        note = self.get_object()
        actions.mark_note_read(note, acting_user=request.user)
        return Response(self.fresh_data(note))

    @action(
        detail=True,
        methods=["post"],
        permission_classes=[RecordActionPermission],
        url_path="status",
    )
    def set_status(self, request, public_id=None):
        return self.status_response(request, actions.set_note_status)


def register(router):
    router.register("interactions", InteractionViewSet, basename="interaction")
    router.register("appointments", AppointmentViewSet, basename="appointment")
    router.register("tasks", TaskViewSet, basename="task")
    router.register("notes", NoteViewSet, basename="note")
