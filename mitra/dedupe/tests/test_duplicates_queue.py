"""The duplicate finder over the whole database, its review queue and the rules screen."""

from datetime import timedelta

from django.urls import reverse

from mitra.core.testing import BaseTestCase
from mitra.dedupe.finder import find_all_duplicates
from mitra.dedupe.models import DuplicatePair, DuplicateRule, DuplicateScan
from mitra.parties.tests.factories import make_as_typed


class FinderTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        o, alpha = cls.owner, cls.p.alpha
        cls.a = make_as_typed(o, "علی کریمی", team=alpha)
        cls.b = make_as_typed(o, "علي كريمي", team=alpha)  # the same, typed with Arabic letters
        cls.c = make_as_typed(o, "Somchai Jaidee", phones=["081-234-5678"], team=alpha)
        cls.d = make_as_typed(o, "S. Jaidee", phones=["+66 81 234 5678"], team=alpha)
        cls.e = make_as_typed(o, "Somchai Jaidi", team=alpha)  # a typo of c
        cls.f = make_as_typed(o, "Unrelated Name", team=alpha)
        cls.hidden = make_as_typed(
            cls.outsider, "Hidden Person", phones=["0812345678"], team=cls.p.beta
        )

    def pairs(self, **filters):
        return {
            (p.party_a.name, p.party_b.name)
            for p in DuplicatePair.objects.filter(**filters).select_related("party_a", "party_b")
        }

    def test_it_pairs_parties_by_the_rules(self):
        find_all_duplicates()
        self.assertEqual(
            self.pairs(),
            {
                ("علی کریمی", "علي كريمي"),
                ("Somchai Jaidee", "S. Jaidee"),
                ("Somchai Jaidee", "Hidden Person"),
                ("S. Jaidee", "Hidden Person"),
                ("Somchai Jaidee", "Somchai Jaidi"),
            },
        )
        pair = DuplicatePair.objects.get(party_a=self.c, party_b=self.d)
        self.assertEqual(pair.score, 100)
        self.assertEqual(pair.reasons, [{"field": "phone", "detail": "+66812345678"}])

    def test_it_keeps_decisions_and_drops_pairs_that_no_longer_match(self):
        find_all_duplicates()
        DuplicatePair.objects.filter(party_a=self.a).update(status=DuplicatePair.Status.DISMISSED)
        self.e.name = "Completely Different"
        self.e.save()
        find_all_duplicates()
        self.assertIn(("علی کریمی", "علي كريمي"), self.pairs(status=DuplicatePair.Status.DISMISSED))
        self.assertNotIn(("Somchai Jaidee", "Somchai Jaidi"), self.pairs())
        self.assertEqual(DuplicatePair.objects.filter(status="open").count(), 3)

    def test_it_skips_values_shared_by_too_many_parties(self):
        for letter in "abcdefghijklmnopqrstuvwxyz":  # 26 parties, one switchboard number
            make_as_typed(self.owner, letter * 6, phones=["02 000 0000"])
        find_all_duplicates()
        self.assertEqual(DuplicatePair.objects.count(), 5)

    def test_it_runs_from_the_button_in_the_background(self):
        self.login(self.admin)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("parties:duplicate_scan"))
        self.assertRedirects(response, reverse("parties:duplicates"))
        scan = DuplicateScan.objects.get()
        self.assertEqual(scan.status, DuplicateScan.Status.DONE)
        self.assertEqual(scan.found, 5)
        self.assertEqual(scan.requested_by, self.admin)

    def test_it_runs_one_scan_at_a_time_unless_one_is_stuck(self):
        self.login(self.admin)
        stuck = DuplicateScan.objects.create(status=DuplicateScan.Status.RUNNING)
        self.client.post(reverse("parties:duplicate_scan"))
        self.assertEqual(DuplicateScan.objects.count(), 1)
        DuplicateScan.objects.filter(pk=stuck.pk).update(
            created_at=stuck.created_at - timedelta(days=1)
        )
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("parties:duplicate_scan"))
        stuck.refresh_from_db()
        self.assertEqual(stuck.status, DuplicateScan.Status.FAILED)
        self.assertEqual(DuplicateScan.objects.latest("pk").status, DuplicateScan.Status.DONE)

    def test_it_lets_only_rule_administrators_start_it(self):
        self.login(self.teammate)
        self.assertEqual(self.client.post(reverse("parties:duplicate_scan")).status_code, 403)
        self.assertFalse(DuplicateScan.objects.exists())


class QueueTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        o, alpha = cls.owner, cls.p.alpha
        cls.a = make_as_typed(o, "Alpha One", team=alpha)
        cls.b = make_as_typed(o, "Alpha Onne", team=alpha)
        cls.x = make_as_typed(cls.outsider, "Beta One", team=cls.p.beta)
        cls.pair = DuplicatePair.objects.create(
            party_a=cls.a, party_b=cls.b, score=91, reasons=[{"field": "name", "detail": "91"}]
        )
        cls.mixed = DuplicatePair.objects.create(party_a=cls.a, party_b=cls.x, score=88)

    def test_it_lists_pairs_the_user_may_see_best_first(self):
        self.login(self.owner)
        response = self.client.get(reverse("parties:duplicates"))
        self.assertEqual(list(response.context["page"].object_list), [self.pair])
        self.assertContains(response, "Alpha Onne")
        self.assertContains(
            response, reverse("parties:merge", args=[self.a.public_id, self.b.public_id])
        )

    def test_it_never_shows_an_outsider_anothers_parties(self):
        self.login(self.outsider)
        response = self.client.get(reverse("parties:duplicates"))
        self.assertEqual(list(response.context["page"].object_list), [])
        self.assertNotContains(response, "Alpha")
        url = reverse("parties:duplicate_dismiss", args=[self.pair.public_id])
        self.assertEqual(self.client.post(url).status_code, 404)

    def test_it_needs_the_right_to_edit_parties(self):
        self.login(self.readonly)
        self.assertEqual(self.client.get(reverse("parties:duplicates")).status_code, 403)

    def test_it_marks_a_pair_as_not_duplicates_and_back(self):
        self.login(self.owner)
        self.client.post(reverse("parties:duplicate_dismiss", args=[self.pair.public_id]))
        self.pair.refresh_from_db()
        self.assertEqual(self.pair.status, DuplicatePair.Status.DISMISSED)
        self.assertEqual(self.pair.resolved_by, self.owner)
        response = self.client.get(reverse("parties:duplicates"), {"status": "dismissed"})
        self.assertEqual(list(response.context["page"].object_list), [self.pair])
        self.client.post(reverse("parties:duplicate_reopen", args=[self.pair.public_id]))
        self.pair.refresh_from_db()
        self.assertEqual(self.pair.status, DuplicatePair.Status.OPEN)

    def test_it_lists_in_a_fixed_number_of_queries(self):
        for i in range(5):
            DuplicatePair.objects.create(
                party_a=make_as_typed(self.owner, f"P{i}"),
                party_b=make_as_typed(self.owner, f"Q{i}"),
                score=80,
            )
        self.login(self.owner)
        self.client.get(reverse("parties:duplicates"))
        with self.assertNumQueries(5):
            self.client.get(reverse("parties:duplicates"))

    def test_it_shows_duplicates_of_one_party(self):
        self.login(self.owner)
        response = self.client.get(reverse("parties:party_duplicates", args=[self.a.public_id]))
        self.assertContains(response, "Alpha Onne")
        self.login(self.outsider)
        response = self.client.get(reverse("parties:party_duplicates", args=[self.a.public_id]))
        self.assertEqual(response.status_code, 404)


class RuleScreenTests(BaseTestCase):
    def test_it_comes_with_default_rules(self):
        self.assertEqual(
            sorted(tuple(r.fields) for r in DuplicateRule.objects.all()),
            [("email",), ("name",), ("national_id",), ("phone",), ("tax_id",)],
        )

    def test_it_lets_an_administrator_add_a_rule(self):
        self.login(self.admin)
        response = self.client.post(
            reverse("parties:duplicate_rules"),
            {
                "name": "Name and phone",
                "fields": ["name", "phone"],
                "name_similarity": "80",
                "is_active": "on",
            },
        )
        self.assertRedirects(response, reverse("parties:duplicate_rules"))
        rule = DuplicateRule.objects.get(name="Name and phone")
        self.assertEqual(rule.fields, ["name", "phone"])
        self.assertEqual(rule.name_similarity, 80)

    def test_it_rejects_a_rule_without_fields_and_changes_nothing(self):
        self.login(self.admin)
        before = DuplicateRule.objects.count()
        response = self.client.post(
            reverse("parties:duplicate_rules"), {"name": "Empty", "name_similarity": "101"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors["fields"])
        self.assertTrue(response.context["form"].errors["name_similarity"])
        self.assertEqual(DuplicateRule.objects.count(), before)

    def test_it_keeps_rules_from_other_users(self):
        self.login(self.teammate)
        self.assertEqual(self.client.get(reverse("parties:duplicate_rules")).status_code, 403)
        rule = DuplicateRule.objects.first()
        url = reverse("parties:duplicate_rule_delete", args=[rule.public_id])
        self.assertEqual(self.client.post(url).status_code, 403)
        self.assertTrue(DuplicateRule.objects.filter(pk=rule.pk).exists())


class DedupeListsTests(BaseTestCase):
    """The queue and the rules on the list toolkit: query counts per persona, `#rows`."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for i in range(3):
            DuplicatePair.objects.create(
                party_a=make_as_typed(cls.owner, f"P{i}", team=cls.p.alpha),
                party_b=make_as_typed(cls.owner, f"Q{i}", team=cls.p.alpha),
                score=80 + i,
            )

    def test_the_queue(self):
        url = reverse("parties:duplicates")
        self.assertListQueries(url, QUEUE_COUNTS)
        self.login(self.owner)
        r = self.client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="rows")
        self.assertContains(r, "Q2")
        self.assertNotContains(r, "<html")
        r = self.client.get(url, {"status": "dismissed"})
        self.assertContains(r, 'data-list-empty="filtered"')

    def test_the_rules(self):
        url = reverse("parties:duplicate_rules")
        self.assertListQueries(url, RULE_COUNTS)


# Session, user (with its role), the page with its capped count, the pairs, the last scan.
QUEUE_COUNTS = {"owner": 5, "teammate": 5, "readonly": None, "admin": 5, "portal": None}
RULE_COUNTS = {"admin": 5, "owner": None, "readonly": None, "portal": None}
