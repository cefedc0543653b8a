"""REST API for parties, their roles, contact points and addresses, and groups.

The same policy and actions as the web screens: reads are scoped by `visible_to`, writes
call `mitra.parties.actions`. An edit by a user whose role needs approval answers
202 Accepted with the pending change request instead of saving (A17). A delete moves
the party to the trash, or answers 409 Conflict with the reasons it is blocked (A16).
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from rest_framework import mixins, serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from mitra.api.base import ScopedModelViewSet, ScopedViewSet
from mitra.api.errors import Conflict
from mitra.api.fields import ModelRulesMixin, VisibleRecordField
from mitra.core.labels import label_languages
from mitra.core.policy import Action, can, can_configure
from mitra.core.tables import FilterSet, UUIDFilter
from mitra.parties import actions
from mitra.parties.lists import GROUPS, PARTIES
from mitra.parties.models import (
    Address,
    ContactPoint,
    Group,
    Kind,
    Party,
    PartyRole,
    RoleKind,
)
from mitra.users.models import User

# Party columns the API reads and writes (the rest are derived or managed elsewhere).
PARTY_FIELDS = [
    f.name
    for f in Party._meta.concrete_fields
    if f.editable
    and f.name
    not in {"id", "public_id", "owner", "team", "created_at", "updated_at", "deleted_at", "deleted_by",
            "rating", "photo", "search_name", "name_key"}
]  # fmt: skip


class ContactPointSerializer(serializers.ModelSerializer):
    """A phone, mobile, fax, email or website. Phones: give `number` (as typed, any
    script) and optionally `country_code`/`area_code`/`extension`; `value` and `e164`
    are derived. Others: give `value`."""

    id = serializers.IntegerField(required=False, help_text="Omit to add a new one.")

    class Meta:
        model = ContactPoint
        fields = ["id", "kind", "label", "country_code", "area_code", "number", "extension", "value", "e164",
                  "is_primary"]  # fmt: skip
        read_only_fields = ["e164"]
        extra_kwargs = {"value": {"required": False}}

    def validate(self, attrs):
        current = self.instance if isinstance(self.instance, ContactPoint) else None
        if current is not None:
            # A partial change: the stored parts fill in what was not sent.
            for name in ("kind", "country_code", "area_code", "number", "extension", "value"):
                attrs.setdefault(name, getattr(current, name))
            if "value" in self.initial_data and "number" not in self.initial_data:
                attrs["number"] = ""
        kind = attrs.get("kind", ContactPoint.Kind.PHONE)
        if kind in ContactPoint.PHONE_KINDS:
            if not attrs.get("number") and attrs.get("value"):
                attrs["number"], attrs["value"] = attrs["value"], ""
            probe = ContactPoint(**{k: v for k, v in attrs.items() if k != "id"})
            # The rule is the model's, shared with the form.
            if problem := probe.entry_problem(probe.number):
                raise ValidationError({"number": [problem]})
            probe.prepare()
            attrs.update(value=probe.value, number=probe.number, country_code=probe.country_code)
        else:
            value = (attrs.get("value") or attrs.get("number") or "").strip()
            if not value:
                raise ValidationError({"value": "This field is required."})
            if problem := ContactPoint(kind=kind).entry_problem(value):
                raise ValidationError({"value": [problem]})
            if kind == ContactPoint.Kind.EMAIL:
                value = value.lower()
            attrs.update(value=value, number="")
        return attrs


class AddressSerializer(ModelRulesMixin, serializers.ModelSerializer):
    id = serializers.IntegerField(required=False, help_text="Omit to add a new one.")
    map_url = serializers.CharField(read_only=True)

    class Meta:
        model = Address
        fields = ["id", "kind", "line1", "line2", "district", "city", "province", "postcode", "country",
                  "latitude", "longitude", "is_primary", "map_url"]  # fmt: skip

    # The country code and the coordinates: Address.clean() (ModelRulesMixin), as the form.


class RolesField(serializers.ListField):
    """Role values; read from the party's PartyRole rows."""

    child = serializers.ChoiceField(choices=RoleKind.choices)

    def to_representation(self, data):
        return [r.role for r in data.all()] if hasattr(data, "all") else list(data)


class PartySerializer(ModelRulesMixin, serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    roles = RolesField(required=False)
    groups = serializers.SlugRelatedField(
        many=True, slug_field="public_id", queryset=Group.objects.all(), required=False
    )
    managers = serializers.SlugRelatedField(
        many=True,
        slug_field="public_id",
        queryset=User.objects.filter(is_active=True),
        required=False,
    )
    contact_points = ContactPointSerializer(many=True, required=False)
    addresses = AddressSerializer(many=True, required=False)
    owner = serializers.CharField(source="owner.username", read_only=True)
    rating = serializers.CharField(source="rating.name", default=None, read_only=True)

    class Meta:
        model = Party
        fields = ["id", *PARTY_FIELDS, "roles", "groups", "managers", "contact_points", "addresses", "owner",
                  "rating", "version", "created_at", "updated_at"]  # fmt: skip
        read_only_fields = ["version", "created_at", "updated_at"]
        extra_kwargs = {
            "code": {"required": False, "allow_blank": True, "validators": []},
            "name": {"required": False, "allow_blank": True},
        }

    # The name a kind needs and the currency code: Party.clean() (ModelRulesMixin), as the
    # form; a code taken by another party: the actions (the same message as the form's).

    @staticmethod
    def split(data):
        """(column values, related) for the actions."""
        data = dict(data)
        related = {}
        for key in ("roles", "groups", "managers", "contact_points", "addresses"):
            if key in data:
                related[key] = data.pop(key)
        if data.get("kind") == Kind.PERSON:
            data.pop("name", None)
        return data, related


def _party_queryset():
    return Party.objects.select_related("owner", "rating").prefetch_related(
        Prefetch("roles", queryset=PartyRole.objects.order_by("role")),
        "groups",
        "managers",
        "contact_points",
        "addresses",
    )


class PartyViewSet(ScopedModelViewSet):
    """People and organisations, with their roles, contact points and addresses."""

    serializer_class = PartySerializer
    policy_module = "parties"
    ordering = ("code",)

    def base_queryset(self):
        return _party_queryset()

    # The screen's own declaration: the same parameters give the same rows.
    filterset = PARTIES.filters

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values, related = PartySerializer.split(serializer.validated_data)
        party = actions.create_party(acting_user=request.user, values=values, **related)
        party = _party_queryset().get(pk=party.pk)
        return Response(self.get_serializer(party).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        party = self.get_object()
        serializer = self.get_serializer(party, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        values, related = PartySerializer.split(serializer.validated_data)
        return _apply_update(self, request, party, values=values, **related)

    def perform_destroy(self, instance):
        try:
            actions.trash_party(instance, acting_user=self.request.user)
        except actions.DeleteBlocked as exc:
            raise Conflict(
                _("This party cannot be deleted."), code="delete_blocked", reasons=exc.reasons
            ) from exc


def _waits_for_approval(cr):
    """202: the change is held as change request `cr` until a team lead approves it."""
    return Response(
        {
            "detail": "The change waits for a team lead's approval.",
            "change_request": str(cr.public_id),
        },
        status=status.HTTP_202_ACCEPTED,
    )


def _apply_update(view, request, party, **changes):
    party, cr = actions.update_party(party, acting_user=request.user, **changes)
    if cr is not None:
        return _waits_for_approval(cr)
    party = _party_queryset().get(pk=party.pk)
    return Response(PartySerializer(party, context=view.get_serializer_context()).data)


# -- child rows: every write is an edit of the party (approval and history included) -------


class _ChildSerializerMixin(serializers.Serializer):
    # A party the user cannot see reads as one that does not exist.
    party = VisibleRecordField(queryset=Party.objects.all())

    def validate_party(self, party):
        if not can(self.context["request"].user, Action.EDIT, party):
            raise PermissionDenied()
        return party


class PartyRoleSerializer(_ChildSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = PartyRole
        fields = ["id", "party", "role", "created_at"]
        read_only_fields = ["created_at"]


class ChildContactPointSerializer(_ChildSerializerMixin, ContactPointSerializer):
    id = serializers.IntegerField(read_only=True)

    class Meta(ContactPointSerializer.Meta):
        fields = ["party", *ContactPointSerializer.Meta.fields]


class ChildAddressSerializer(_ChildSerializerMixin, AddressSerializer):
    id = serializers.IntegerField(read_only=True)

    class Meta(AddressSerializer.Meta):
        fields = ["party", *AddressSerializer.Meta.fields]


def _change_response(view, obj, cr, code):
    """The answer to a change of a party's rows: 202 with the change request when it waits
    for approval, 204 when nothing is left to show, else the row with `code`."""
    if cr is not None:
        return _waits_for_approval(cr)
    if obj is None:
        return Response(status=status.HTTP_204_NO_CONTENT)
    return Response(view.get_serializer(obj).data, status=code)


class _ChildViewSet(ScopedModelViewSet, abstract=True):
    policy_module = "parties"
    lookup_field = "pk"
    ordering = ("id",)
    model = None
    key = ""  # which rows of the party: actions.ROWS

    def base_queryset(self):
        return self.model.objects.select_related("party")

    filterset = FilterSet(party=UUIDFilter("party__public_id", help_text=_("Only this party's.")))

    def _respond(self, obj, cr, created=False):
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return _change_response(self, obj, cr, code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        party = data.pop("party")
        data.pop("id", None)
        obj, cr = actions.add_row(party, self.key, data, acting_user=request.user)
        return self._respond(obj, cr, created=True)

    def update(self, request, *args, **kwargs):
        obj = self.get_object()
        partial = kwargs.pop("partial", False)
        serializer = self.get_serializer(obj, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("party", None)
        data.pop("id", None)
        obj, cr = actions.change_row(obj, self.key, data, acting_user=request.user)
        return self._respond(obj, cr)

    def destroy(self, request, *args, **kwargs):
        obj = self.get_object()
        _none, cr = actions.remove_row(obj, self.key, acting_user=request.user)
        return self._respond(None, cr)


class ContactPointViewSet(_ChildViewSet):
    """Phones, emails and websites of parties."""

    serializer_class = ChildContactPointSerializer
    model = ContactPoint
    key = "contact_points"


class AddressViewSet(_ChildViewSet):
    """Postal addresses of parties, with coordinates."""

    serializer_class = ChildAddressSerializer
    model = Address
    key = "addresses"


class PartyRoleViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    ScopedViewSet,
):
    """The roles parties hold (customer, lead, dealer, supplier, partner, competitor, other)."""

    serializer_class = PartyRoleSerializer
    policy_module = "parties"
    lookup_field = "pk"
    ordering = ("id",)

    def base_queryset(self):
        return PartyRole.objects.select_related("party")

    filterset = _ChildViewSet.filterset

    def _respond(self, party, role, present):
        obj, cr = actions.set_role(party, role, present, acting_user=self.request.user)
        return _change_response(self, obj, cr, status.HTTP_201_CREATED)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        party, role = serializer.validated_data["party"], serializer.validated_data["role"]
        if role in party.role_values():
            raise ValidationError({"role": "The party already has this role."})
        return self._respond(party, role, True)

    def destroy(self, request, *args, **kwargs):
        obj = self.get_object()
        return self._respond(obj.party, obj.role, False)


class GroupSerializer(ModelRulesMixin, serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    parent = serializers.SlugRelatedField(
        slug_field="public_id", queryset=Group.objects.all(), required=False, allow_null=True
    )
    labels = serializers.DictField(
        child=serializers.CharField(max_length=120, allow_blank=True),
        required=False,
        help_text='The name in other languages: {"th": "…", "fa": "…"}.',
    )

    class Meta:
        model = Group
        fields = ["id", "name", "labels", "parent", "depth", "colour", "icon", "description"]
        read_only_fields = ["depth"]

    def validate_labels(self, value):
        allowed = {code for code, _name in label_languages()}
        if unknown := set(value) - allowed:
            raise ValidationError(
                f"No such language: {', '.join(sorted(unknown))} (use {', '.join(sorted(allowed))})."
            )
        return {code: text.strip() for code, text in value.items() if text.strip()}

    # One name per level: Group.clean() (ModelRulesMixin), as the form; "cannot be moved
    # below itself": actions.save_group, as the form.


class GroupViewSet(ScopedModelViewSet):
    """The n-level group tree (A7); a party may be in several groups."""

    serializer_class = GroupSerializer
    policy_module = "parties"
    ordering = ("path",)
    filterset = GROUPS.filters

    def base_queryset(self):
        return Group.objects.select_related("parent")

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Groups are company-wide configuration: changing them is a right of its own.
        if request.method not in ("GET", "HEAD", "OPTIONS") and not can_configure(request.user):
            raise PermissionDenied

    def perform_create(self, serializer):
        serializer.instance = self._save(Group(**serializer.validated_data))

    def perform_update(self, serializer):
        group = serializer.instance
        for key, value in serializer.validated_data.items():
            setattr(group, key, value)
        serializer.instance = self._save(group)

    def _save(self, group):
        return actions.save_group(group, acting_user=self.request.user)

    def perform_destroy(self, instance):
        actions.delete_group(instance, acting_user=self.request.user)


def register(router):
    router.register("parties", PartyViewSet, basename="party")
    router.register("party-roles", PartyRoleViewSet, basename="party-role")
    router.register("contact-points", ContactPointViewSet, basename="contact-point")
    router.register("addresses", AddressViewSet, basename="address")
    router.register("party-groups", GroupViewSet, basename="party-group")
