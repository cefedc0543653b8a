from rest_framework import mixins, serializers

from mitra.api.base import ScopedViewSet
from mitra.users.models import Team, User


class UserSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    role = serializers.CharField(source="role.name", default=None, read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "role",
            "language",
            "calendar",
            "digits",
            "time_zone",
            "country",
            "is_active",
        ]


class TeamSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = Team
        fields = ["id", "name", "description"]


class UserViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = UserSerializer
    policy_module = "users"
    ordering = ("username",)

    def base_queryset(self):
        return User.objects.select_related("role")


class TeamViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = TeamSerializer
    policy_module = "teams"
    ordering = ("name",)

    def base_queryset(self):
        return Team.objects.all()
