from django.test import TestCase

from mitra.users import demo as user_demo
from mitra.users.models import User

from .. import demo
from ..models import Appointment, FollowUp, Interaction, InteractionTarget, News, Note, Task
from .factories import make_party


def add_parties(count):
    """Parties owned by the demo users (the parties app's own generator is tested there)."""
    owners = list(User.objects.filter(username__in=["somchai", "sara", "emma"]))
    for i in range(count):
        make_party(owners[i % len(owners)], f"Demo party {i}")


class DemoTests(TestCase):
    def test_it_gives_every_party_about_ten_interactions_and_is_safe_to_rerun(self):
        user_demo.load()
        add_parties(60)
        added = demo.load()
        self.assertEqual(added, Interaction.objects.count())
        self.assertTrue(6 * 60 <= added <= 14 * 60, added)
        self.assertEqual(InteractionTarget.objects.count(), added)
        self.assertTrue(
            Task.objects.exists() and Appointment.objects.exists() and FollowUp.objects.exists()
        )
        self.assertTrue(News.objects.exists() and Note.objects.exists())
        # Every target row carries its interaction's time for the timeline.
        target = InteractionTarget.objects.select_related("interaction").first()
        self.assertEqual(target.at, target.interaction.occurred_at)
        # One current follow-up per followed party.
        parties = FollowUp.objects.values("party").distinct().count()
        self.assertEqual(FollowUp.objects.filter(is_current=True).count(), parties)
        self.assertEqual(demo.load(), 0)
        add_parties(10)
        self.assertGreater(demo.load(), 0)
        self.assertEqual(
            InteractionTarget.objects.values("party").distinct().count(),
            Interaction.objects.values("targets__party").distinct().count(),
        )
