"""The party list's filter choices (groups, rating levels, account managers), cached.

The cache is dropped whenever one of them is saved or deleted, by any path (screens,
imports that create groups, the user admin), not only by the screens that edit them.
"""

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

CACHE_KEY = "parties:filter-choices"


def filter_choices():
    """Groups, rating levels and users for the list's filters: small, cached briefly."""
    from mitra.users.models import User

    from .models import Group, RatingLevel

    # Names are shown in the user's language: one cached copy per language.
    key = f"{CACHE_KEY}:{get_language()}"
    choices = cache.get(key)
    if choices is None:
        choices = {
            "groups": [
                (g.public_id, g.pk, "— " * g.depth + g.label)
                for g in Group.objects.order_by("path")
            ],
            "ratings": [(r.public_id, r.pk, r.label) for r in RatingLevel.objects.all()],
            "managers": [
                (u.public_id, u.pk, str(u))
                for u in User.objects.filter(is_active=True).order_by("first_name", "username")
            ],
        }
        cache.set(key, choices, 60)
    return choices


def forget_filter_choices(**_kwargs):
    cache.delete_many([f"{CACHE_KEY}:{code}" for code, _name in settings.LANGUAGES])


def connect():
    from mitra.users.models import User

    from .models import Group, RatingLevel

    for model in (Group, RatingLevel, User):
        for signal in (post_save, post_delete):
            signal.connect(
                forget_filter_choices,
                sender=model,
                dispatch_uid=f"parties_filter_choices_{signal is post_save}_{model.__name__}",
            )
