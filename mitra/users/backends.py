from django.contrib.auth.backends import ModelBackend


class RoleAwareModelBackend(ModelBackend):
    """Loads the signed-in user with its role in one query: every request checks the role."""

    def get_user(self, user_id):
        from .models import User

        try:
            user = User._default_manager.select_related("role").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
