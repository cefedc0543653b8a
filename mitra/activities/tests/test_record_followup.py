from django.core.exceptions import PermissionDenied

from mitra.core.testing import BaseTestCase

from .. import actions
from ..models import FollowUp
from .factories import make_party


class RecordFollowUpTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.party = make_party(cls.owner, "Lead Co", team=cls.p.alpha)

    def test_it_chains_follow_ups_per_party(self):
        first = actions.record_followup(self.party, acting_user=self.owner, result="Sent brochure")
        second = actions.record_followup(self.party, acting_user=self.owner, result="Demo done")
        third = actions.record_followup(
            self.party, acting_user=self.owner, result="Signed", led_to_sale=True
        )
        first.refresh_from_db()
        second.refresh_from_db()
        self.assertIsNone(first.previous)
        self.assertEqual(second.previous, first)
        self.assertEqual(third.previous, second)
        self.assertEqual(list(FollowUp.objects.filter(is_current=True)), [third])

    def test_it_keeps_chains_of_different_parties_apart(self):
        other = make_party(self.owner, "Other Lead")
        a = actions.record_followup(self.party, acting_user=self.owner, result="a")
        b = actions.record_followup(other, acting_user=self.owner, result="b")
        self.assertIsNone(b.previous)
        a.refresh_from_db()
        self.assertTrue(a.is_current)

    def test_it_measures_effectiveness_as_the_share_that_led_to_a_sale(self):
        for won in (False, False, True, False):
            actions.record_followup(self.party, acting_user=self.owner, result="x", led_to_sale=won)
        total, won, share = actions.followup_effectiveness(FollowUp.objects.all())
        self.assertEqual((total, won, share), (4, 1, 25.0))
        self.assertEqual(actions.followup_effectiveness(FollowUp.objects.none()), (0, 0, None))

    def test_it_mends_the_chain_when_one_is_deleted(self):
        first = actions.record_followup(self.party, acting_user=self.owner, result="1")
        second = actions.record_followup(self.party, acting_user=self.owner, result="2")
        third = actions.record_followup(self.party, acting_user=self.owner, result="3")
        actions.delete_followup(second, acting_user=self.owner)
        third.refresh_from_db()
        self.assertEqual(third.previous, first)
        actions.delete_followup(third, acting_user=self.owner)
        first.refresh_from_db()
        self.assertTrue(first.is_current)

    def test_it_refuses_a_party_the_user_cannot_see(self):
        with self.assertRaises(PermissionDenied):
            actions.record_followup(self.party, acting_user=self.outsider, result="x")
        self.assertFalse(FollowUp.objects.exists())
