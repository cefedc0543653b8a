"""Helpers shared by the party screens (`render_list` lives in `parties.chrome`: dedupe uses
it too)."""

from django.db.models import Exists, OuterRef

from ..chrome import render_list  # noqa: F401 - the views' name for it
from ..lists import PARTIES
from ..models import (
    Party,
)

MODULE = "parties"
PER_PAGE = 50
# The list's sort orders (declared in parties.lists): key -> ordering.
SORTS = {sort.key: sort.ordering for sort in PARTIES.sorts}


def _with_star(qs, user):
    return qs.annotate(
        is_starred=Exists(
            Party.starred_by.through.objects.filter(party_id=OuterRef("pk"), user_id=user.pk)
        )
    )
