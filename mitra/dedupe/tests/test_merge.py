"""Merging two parties: chosen values, every related row moved, history, trash."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mitra.activities.models import Attachment, AttachmentTarget
from mitra.core import search as core_search
from mitra.core.approvals.models import ApprovalRequest
from mitra.core.testing import BaseTestCase
from mitra.dedupe.merge import _reverse_relations, merge_parties
from mitra.dedupe.models import DuplicatePair, Merge
from mitra.parties.models import (
    Address,
    Contact,
    ContactPoint,
    Group,
    GroupMembership,
    Kind,
    LanguageSkill,
    Party,
    PartyRole,
    Rating,
    RatingLevel,
    Relationship,
)
from mitra.parties.search import KIND


class MergeTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        o, alpha = cls.owner, cls.p.alpha

        def org(name, **fields):
            return Party.objects.create(
                name=name, kind=Kind.ORGANISATION, owner=o, team=alpha, **fields
            )

        cls.keep = org("ACME Trading", tax_id="")
        cls.lose = org("ACME Trading Co., Ltd.", tax_id="0105543210991")
        cls.third = org("Supplier Ltd")
        cls.person = Party.objects.create(name="Somchai", kind=Kind.PERSON, owner=o, team=alpha)
        group_a, group_b = Group.objects.create(name="VIP"), Group.objects.create(name="North")
        level = RatingLevel.objects.create(name="Gold")
        for party in (cls.keep, cls.lose):
            PartyRole.objects.create(party=party, role="customer")  # both: a clash
            GroupMembership.objects.create(party=party, group=group_a)  # both: a clash
            party.managers.add(cls.owner)  # both: a clash
        PartyRole.objects.create(party=cls.lose, role="supplier")
        GroupMembership.objects.create(party=cls.lose, group=group_b)
        cls.lose.managers.add(cls.teammate)
        cls.lose.starred_by.add(cls.teammate)
        ContactPoint.objects.create(party=cls.lose, kind="phone", value="02 555 0199")
        ContactPoint.objects.create(party=cls.lose, kind="email", value="sales@acme.example")
        Address.objects.create(party=cls.lose, line1="1 Sukhumvit", city="Bangkok", country="TH")
        Relationship.objects.create(from_party=cls.lose, to_party=cls.third, kind="customer_of")
        Relationship.objects.create(from_party=cls.lose, to_party=cls.keep, kind="subsidiary_of")
        Contact.objects.create(organisation=cls.lose, person=cls.person, job_title="Buyer")
        Rating.objects.create(party=cls.lose, level=level)
        LanguageSkill.objects.create(party=cls.lose, language="Thai")
        ApprovalRequest.objects.create(record=cls.lose, kind="parties.change", requested_by=o)
        cls.pair = DuplicatePair.objects.create(party_a=cls.keep, party_b=cls.lose, score=92)
        cls.other_pair = DuplicatePair.objects.create(party_a=cls.lose, party_b=cls.third, score=70)

    def setUp(self):
        # A file on the loser: an attachment on the party (the one attachment model).
        att = Attachment.objects.create(
            owner=self.owner, name="contract.pdf", file=SimpleUploadedFile("contract.pdf", b"%PDF")
        )
        AttachmentTarget.objects.create(attachment=att, party=self.lose)

    def merge_url(self, keep=None, lose=None):
        keep, lose = keep or self.keep, lose or self.lose
        return reverse("parties:merge", args=[keep.public_id, lose.public_id])

    def test_it_moves_every_related_row_to_the_survivor(self):
        self.login(self.owner)
        response = self.client.post(self.merge_url(), {"field_tax_id": "loser"})
        self.assertRedirects(response, reverse("parties:detail", args=[self.keep.public_id]))
        for rel in _reverse_relations():
            left = rel.related_model._base_manager.filter(**{rel.field.name: self.lose.pk})
            self.assertFalse(left.exists(), rel.related_model._meta.label)
        keep = self.keep
        self.assertEqual(
            sorted(keep.roles.values_list("role", flat=True)), ["customer", "supplier"]
        )
        self.assertEqual(sorted(keep.groups.values_list("name", flat=True)), ["North", "VIP"])
        self.assertEqual(set(keep.managers.all()), {self.owner, self.teammate})
        self.assertEqual(list(keep.starred_by.all()), [self.teammate])
        self.assertEqual(keep.contact_points.count(), 2)
        self.assertEqual(keep.addresses.get().city, "Bangkok")
        self.assertEqual(keep.contacts.get().person, self.person)
        self.assertEqual(Attachment.objects.on(party=keep).get().name, "contract.pdf")
        self.assertEqual(keep.ratings.count(), 1)
        self.assertEqual(keep.languages.count(), 1)
        self.assertEqual(keep.approval_requests.count(), 1)
        # The relationship to the third party moved; the one between the two is gone.
        self.assertEqual(
            list(Relationship.objects.values_list("from_party", "to_party")),
            [(keep.pk, self.third.pk)],
        )

    def test_it_takes_the_chosen_values_and_keeps_the_rest(self):
        self.login(self.owner)
        self.client.post(
            self.merge_url(),
            {"field_tax_id": "loser", "field_code": "loser", "field_name": "survivor"},
        )
        keep = Party.objects.get(pk=self.keep.pk)
        self.assertEqual(keep.tax_id, "0105543210991")
        self.assertEqual(keep.code, self.lose.code)
        self.assertEqual(keep.name, "ACME Trading")

    def test_it_trashes_the_merged_party_and_records_it_in_history(self):
        self.login(self.owner)
        self.client.post(self.merge_url(), {})
        lose = Party.all_objects.get(pk=self.lose.pk)
        self.assertIsNotNone(lose.deleted_at)
        self.assertFalse(Party.objects.filter(pk=lose.pk).exists())
        record = self.keep.history.latest()
        self.assertEqual(record.history_user, self.owner)
        self.assertIn(self.lose.code, record.history_change_reason)
        self.assertIn("ACME Trading", lose.history.latest().history_change_reason)
        merge = Merge.objects.get()
        self.assertEqual(
            (merge.survivor, merge.loser, merge.merged_by), (self.keep, lose, self.owner)
        )
        self.assertEqual(merge.moved["parties.ContactPoint"], 2)
        self.pair.refresh_from_db()
        self.assertEqual(self.pair.status, DuplicatePair.Status.MERGED)
        self.assertFalse(DuplicatePair.objects.filter(pk=self.other_pair.pk).exists())

    def test_it_makes_the_merged_phones_find_the_survivor(self):
        merge_parties(self.keep, self.lose, acting_user=self.owner)
        self.assertIn("025550199", core_search.indexed_body(KIND, self.keep.pk))
        ids = core_search.matching_ids(KIND, "555 0199")
        self.assertIn(self.keep.pk, ids)

    def test_it_deletes_the_merged_party_for_good_when_asked_by_someone_allowed(self):
        self.login(self.owner)  # no right to delete permanently: it goes to the trash
        self.client.post(self.merge_url(), {"delete_loser": "1"})
        self.assertTrue(Party.all_objects.filter(pk=self.lose.pk).exists())

    def test_it_deletes_for_good_with_the_right(self):
        self.login(self.admin)
        self.client.post(self.merge_url(), {"delete_loser": "1"})
        self.assertFalse(Party.all_objects.filter(pk=self.lose.pk).exists())
        self.assertTrue(Merge.objects.get().loser_deleted)

    def test_it_shows_the_fields_that_differ(self):
        self.login(self.owner)
        response = self.client.get(self.merge_url())
        self.assertContains(response, 'name="field_tax_id" value="loser" checked')
        self.assertContains(response, 'name="field_name" value="survivor" checked')
        self.assertContains(response, "0105543210991")
        self.assertNotContains(response, 'name="field_kind"')
        self.assertContains(self.client.get(self.merge_url() + "?all=1"), 'name="field_kind"')

    def test_it_hides_parties_from_outsiders_and_read_only_users(self):
        self.login(self.outsider)
        self.assertEqual(self.client.get(self.merge_url()).status_code, 404)
        self.assertEqual(self.client.post(self.merge_url()).status_code, 404)
        self.login(self.readonly)
        self.assertEqual(self.client.post(self.merge_url()).status_code, 403)
        self.assertIsNone(Party.all_objects.get(pk=self.lose.pk).deleted_at)
        self.assertFalse(Merge.objects.exists())

    def test_it_refuses_to_merge_a_party_with_itself(self):
        self.login(self.owner)
        self.assertEqual(self.client.post(self.merge_url(self.keep, self.keep)).status_code, 403)
