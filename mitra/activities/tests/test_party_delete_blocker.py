import datetime as dt

from django.utils import timezone

from mitra.core.testing import BaseTestCase
from mitra.parties import actions as party_actions

from .factories import make_appointment, make_interaction, make_party, make_task


class PartyDeleteBlockerTests(BaseTestCase):
    def test_open_tasks_and_upcoming_appointments_block_a_party_delete(self):
        party = make_party(self.owner, "Siam Pumps")
        make_interaction(self.owner, party)  # history alone does not block
        self.assertEqual(party_actions.delete_blockers(party), [])
        task = make_task(self.owner, party, assignee=self.owner)
        make_appointment(self.owner, start=timezone.now() + dt.timedelta(days=1), party=party)
        reasons = party_actions.delete_blockers(party)
        self.assertEqual(len(reasons), 2)
        self.assertIn("open task", reasons[0])
        self.assertIn("upcoming appointment", reasons[1])
        task.status = "done"
        task.save()
        self.assertEqual(len(party_actions.delete_blockers(party)), 1)
