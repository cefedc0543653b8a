"""Groups, rating levels, ratings, relationships, contacts and files."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from mitra.core.testing import BaseTestCase
from mitra.parties.actions import refresh_due_ratings
from mitra.parties.models import Contact, Group, Kind, RatingLevel, Relationship

from .factories import make_group, make_party


def grant_configuration(user):
    """Groups and rating levels are shared configuration: a right of its own."""
    user.role.permissions = {**user.role.permissions, "configuration": ["edit"]}
    user.role.save()


class GroupScreenTests(BaseTestCase):
    def setUp(self):
        grant_configuration(self.owner)

    def test_it_builds_a_tree(self):
        self.login(self.owner)
        self.client.post(reverse("parties:group_create"), {"name": "Industry"})
        industry = Group.objects.get(name="Industry")
        self.client.post(
            reverse("parties:group_create"), {"name": "Automotive", "parent": industry.pk}
        )
        auto = Group.objects.get(name="Automotive")
        self.assertEqual(auto.depth, 1)
        r = self.client.get(reverse("parties:groups"))
        self.assertContains(r, "Automotive")

    def test_it_refuses_a_loop_and_a_duplicate_name(self):
        root = make_group("Root")
        child = make_group("Child", root)
        self.login(self.owner)
        r = self.client.post(
            reverse("parties:group_edit", args=[root.public_id]),
            {"name": "Root", "parent": child.pk},
        )
        self.assertEqual(r.status_code, 200)
        root.refresh_from_db()
        self.assertIsNone(root.parent)
        r = self.client.post(reverse("parties:group_create"), {"name": "child", "parent": root.pk})
        self.assertContains(r, "already there")

    def test_it_refuses_to_delete_a_group_with_children(self):
        root = make_group("Root")
        make_group("Child", root)
        self.login(self.owner)
        self.client.post(reverse("parties:group_delete", args=[root.public_id]))
        self.assertTrue(Group.objects.filter(pk=root.pk).exists())

    def test_readonly_cannot_change_groups(self):
        self.login(self.readonly)
        self.assertEqual(
            self.client.post(reverse("parties:group_create"), {"name": "X"}).status_code, 403
        )


class RatingTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.party = make_party(cls.p.owner, "Acme Co", colour_from_rating=True)

    def test_a_rating_sets_the_current_rating_and_colour(self):
        grant_configuration(self.owner)
        self.login(self.owner)
        self.client.post(
            reverse("parties:ratings"), {"name": "Gold", "colour": "yellow", "order": 1}
        )
        gold = RatingLevel.objects.get()
        r = self.client.post(
            reverse("parties:rating_add", args=[self.party.public_id]),
            {"level": gold.pk, "starts_on": "2020-01-01"},
        )
        self.assertEqual(r.status_code, 302)
        self.party.refresh_from_db()
        self.assertEqual((self.party.rating, self.party.colour), (gold, "yellow"))
        rating = self.party.ratings.get()
        self.client.post(reverse("parties:rating_remove", args=[rating.public_id]))
        self.party.refresh_from_db()
        self.assertIsNone(self.party.rating)

    def test_an_ended_rating_is_not_current_and_bad_dates_are_refused(self):
        gold = RatingLevel.objects.create(name="Gold")
        self.login(self.owner)
        self.client.post(
            reverse("parties:rating_add", args=[self.party.public_id]),
            {"level": gold.pk, "starts_on": "2020-01-01", "ends_on": "2020-12-31"},
        )
        self.party.refresh_from_db()
        self.assertIsNone(self.party.rating)
        self.client.post(
            reverse("parties:rating_add", args=[self.party.public_id]),
            {"level": gold.pk, "starts_on": "2021-01-01", "ends_on": "2020-12-31"},
        )
        self.assertEqual(self.party.ratings.count(), 1)


class ScheduledRatingTests(BaseTestCase):
    """A rating given ahead of time, or one that ends, changes the party by the date."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.party = make_party(cls.p.owner, "Acme Co", colour_from_rating=True)
        cls.gold = RatingLevel.objects.create(name="Gold", colour="yellow")
        cls.silver = RatingLevel.objects.create(name="Silver", colour="azure")

    def rate(self, level, starts_on, ends_on=""):
        self.login(self.owner)
        r = self.client.post(
            reverse("parties:rating_add", args=[self.party.public_id]),
            {"level": level.pk, "starts_on": starts_on, "ends_on": ends_on},
        )
        self.assertEqual(r.status_code, 302)

    def test_a_future_rating_takes_effect_on_its_day_and_an_ended_one_lets_go(self):
        today = timezone.localdate()
        self.rate(self.silver, "2020-01-01", (today + dt.timedelta(days=1)).isoformat())
        self.rate(self.gold, (today + dt.timedelta(days=2)).isoformat())
        self.party.refresh_from_db()
        self.assertEqual(self.party.rating, self.silver)

        refresh_due_ratings(today=today + dt.timedelta(days=1))  # silver's last day
        self.party.refresh_from_db()
        self.assertEqual(self.party.rating, self.silver)

        # The day after silver ends and gold starts, without anybody touching the party.
        self.assertEqual(refresh_due_ratings(today=today + dt.timedelta(days=2)), 1)
        self.party.refresh_from_db()
        self.assertEqual((self.party.rating, self.party.colour), (self.gold, "yellow"))

    def test_the_scheduler_runs_it_daily(self):
        from mitra.core import scheduler

        self.assertEqual(scheduler.periodic()["parties.ratings"][1], dt.timedelta(days=1))


class RelationshipAndContactTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.org = make_party(cls.p.owner, "Siam Tech Co", code="ORG-1")
        cls.sub = make_party(cls.p.owner, "Siam Tech North", code="ORG-2")
        cls.person = make_party(cls.p.owner, "Somchai Jaidee", kind=Kind.PERSON, code="PER-1")
        cls.hidden = make_party(cls.p.outsider, "Beta Secret", code="SECRET")

    def test_it_adds_and_removes_a_relationship(self):
        self.login(self.owner)
        self.client.post(
            reverse("parties:relationship_add", args=[self.sub.public_id]),
            {"kind": "subsidiary_of", "other": "ORG-1"},
        )
        rel = Relationship.objects.get()
        self.assertEqual((rel.from_party, rel.to_party), (self.sub, self.org))
        r = self.client.get(
            reverse("parties:detail", args=[self.org.public_id]) + "?tab=relationships"
        )
        self.assertContains(r, "Siam Tech North")
        self.client.post(reverse("parties:relationship_remove", args=[rel.public_id]))
        self.assertFalse(Relationship.objects.exists())

    def test_it_cannot_link_to_a_party_out_of_sight(self):
        self.login(self.owner)
        self.client.post(
            reverse("parties:relationship_add", args=[self.org.public_id]),
            {"kind": "competitor_of", "other": "SECRET"},
        )
        self.assertFalse(Relationship.objects.exists())

    def test_it_links_a_person_to_an_organisation(self):
        self.login(self.owner)
        self.client.post(
            reverse("parties:contact_add", args=[self.org.public_id]),
            {"person": "Somchai", "job_title": "Buyer", "priority": 2, "is_primary": "on"},
        )
        link = Contact.objects.get()
        self.assertEqual(
            (link.person, link.job_title, link.is_primary), (self.person, "Buyer", True)
        )
        self.client.post(
            reverse("parties:contact_remove", args=[self.org.public_id, self.person.public_id])
        )
        self.assertFalse(Contact.objects.exists())

    def test_lookup_offers_only_visible_parties(self):
        self.login(self.owner)
        r = self.client.get(reverse("parties:lookup"), {"q": "Siam"})
        self.assertContains(r, "ORG-1")
        r = self.client.get(reverse("parties:lookup"), {"q": "Secret"})
        self.assertNotContains(r, "SECRET")
