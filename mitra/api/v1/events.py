"""The event feed, read-only: `/api/v1/events/` (what happened to the records the caller may
see, newest first). Webhooks, dashboards and automation read it; `?type=party.*`,
`?party=<id>` and `?since=<time>` narrow it, keyset pages follow `next`."""

from django.apps import apps
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _
from rest_framework import mixins, serializers

from mitra.api.base import PER_RECORD, ScopedViewSet
from mitra.core.events import Event
from mitra.core.tables import DateTimeFilter, FilterSet, TextFilter, UUIDFilter


def _by_party(queryset, value, request):
    Party = apps.get_model("parties", "Party")
    # The party must be one the caller may see; one query with the page (a subquery; no
    # LIMIT in it: MariaDB refuses LIMIT inside IN, and public_id is unique anyway).
    party = Party.all_objects.visible_to(request.user).filter(public_id=value).values("pk")
    return queryset.filter(party_pk__in=party)


class EventSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    at = serializers.DateTimeField(source="created_at", read_only=True)
    label = serializers.CharField(read_only=True)
    record = serializers.SerializerMethodField()
    party = serializers.UUIDField(source="party_public_id", read_only=True, default=None)
    actor = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = ["id", "type", "label", "at", "record", "party", "actor", "payload"]

    def get_record(self, event) -> dict:
        return {
            "type": event.record_type,
            "id": event.object_public_id,
            "name": event.object_repr,
        }

    def get_actor(self, event) -> dict | None:
        user = event.actor
        if user is None:
            return None
        return {"id": user.public_id, "name": str(user)}


class EventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Events of the records the caller may see (each record's own policy decides)."""

    serializer_class = EventSerializer
    # No module of its own: `Event.objects.visible_to` asks each record's policy.
    policy_module = PER_RECORD
    ordering = ("-created_at",)
    filterset = FilterSet(
        type=TextFilter(
            lambda qs, value, request: qs.of_type(value),
            help_text=_("An event type (party.created), or all of a kind (party.*)."),
        ),
        party=UUIDFilter(_by_party, help_text=_("Only those about this party (its id).")),
        since=DateTimeFilter("created_at__gte", help_text=_("Happened at or after this.")),
    )

    def base_queryset(self):
        Party = apps.get_model("parties", "Party")
        party_id = Party.all_objects.filter(pk=OuterRef("party_pk")).values("public_id")[:1]
        return Event.objects.select_related("actor").annotate(party_public_id=Subquery(party_id))


def register(router):
    router.register("events", EventViewSet, basename="event")
