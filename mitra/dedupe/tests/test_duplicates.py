"""Duplicate check on create: administrator rules, normalisation, fuzzy names, scoping."""

from mitra.core.testing import BaseTestCase
from mitra.dedupe.models import DuplicateRule
from mitra.parties.duplicates import find_duplicates, name_similarity
from mitra.parties.tests.factories import make_as_typed


class FindDuplicatesTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        alpha = cls.p.alpha
        cls.karimi = make_as_typed(cls.owner, "علی کریمی", team=alpha)
        cls.somchai = make_as_typed(
            cls.owner, "Somchai Jaidee", phones=["081-234-5678"], emails=["Somchai@Example.com"],
            team=alpha,
        )  # fmt: skip
        cls.acme = make_as_typed(
            cls.owner, "ACME", team=alpha, national_id="1-2345-67890-12-3", tax_id="0105543210991"
        )
        cls.beta = make_as_typed(
            cls.outsider, "Hidden Person", phones=["02 555 0199"], team=cls.p.beta
        )

    def names(self, user=None, **kwargs):
        return [p.name for p in find_duplicates(user or self.owner, **kwargs)]

    def test_it_finds_a_persian_name_typed_with_arabic_letters(self):
        self.assertEqual(self.names(name="علي كريمي"), ["علی کریمی"])
        self.assertEqual(self.names(name="علی‌کریمی"), ["علی کریمی"])  # ZWNJ instead of a space

    def test_it_finds_similar_names(self):
        self.assertEqual(self.names(name="Somchai Jaidi"), ["Somchai Jaidee"])
        self.assertEqual(self.names(name="jaidee  SOMCHAI"), ["Somchai Jaidee"])
        self.assertEqual(self.names(name="Somsri Wong"), [])

    def test_it_finds_phones_in_any_format_and_emails_in_any_case(self):
        self.assertEqual(self.names(phones=["+66 81 234 5678"]), ["Somchai Jaidee"])
        self.assertEqual(self.names(phones=["๐๘๑๒๓๔๕๖๗๘"]), ["Somchai Jaidee"])
        self.assertEqual(self.names(emails=["SOMCHAI@example.COM"]), ["Somchai Jaidee"])

    def test_it_finds_ids_without_their_dashes(self):
        self.assertEqual(self.names(national_id="1234567890123"), ["ACME"])
        self.assertEqual(self.names(tax_id="0-1055-43210-99-1"), ["ACME"])

    def test_it_explains_each_candidate(self):
        [found] = find_duplicates(self.owner, name="Somchai Jaidi", phones=["0812345678"])
        self.assertGreaterEqual(found.duplicate_score, 90)
        fields = [r["field"] for r in found.duplicate_reasons]
        self.assertEqual(fields, ["phone", "name"])
        self.assertIn("Phone: +66812345678", found.duplicate_reason_labels)

    def test_it_follows_the_rules_an_administrator_sets(self):
        DuplicateRule.objects.all().delete()
        self.assertEqual(self.names(name="Somchai Jaidee", phones=["0812345678"]), [])
        DuplicateRule.objects.create(fields=["name", "phone"], name_similarity=100)
        self.assertEqual(self.names(name="Somchai Jaidee"), [])
        self.assertEqual(self.names(name="Somchai Jaidi", phones=["0812345678"]), [])
        self.assertEqual(
            self.names(name="somchai  jaidee", phones=["0812345678"]), ["Somchai Jaidee"]
        )
        DuplicateRule.objects.update(is_active=False)
        self.assertEqual(self.names(name="somchai jaidee", phones=["0812345678"]), [])

    def test_it_never_reveals_another_teams_parties(self):
        self.assertEqual(self.names(self.outsider, name="Somchai Jaidee"), [])
        self.assertEqual(self.names(phones=["025550199"]), [])
        self.assertEqual(self.names(self.outsider, phones=["025550199"]), ["Hidden Person"])

    def test_it_leaves_out_the_party_being_edited_and_trashed_ones(self):
        self.assertEqual(self.names(name="Somchai Jaidee", exclude_pk=self.somchai.pk), [])
        self.karimi.deleted_at = self.karimi.created_at
        self.karimi.save(update_fields=["deleted_at"])
        self.assertEqual(self.names(name="علی کریمی"), [])

    def test_it_checks_in_a_few_queries(self):
        with self.assertNumQueries(7):
            find_duplicates(
                self.admin, name="Somchai Jaidi", phones=["0812345678"], emails=["x@example.com"],
                national_id="1", tax_id="2",
            )  # fmt: skip


class NameSimilarityTests(BaseTestCase):
    def test_it_ignores_word_order_and_spacing(self):
        self.assertEqual(name_similarity("ali karimi", "karimi ali"), 100)
        self.assertEqual(name_similarity("محمد رضا", "محمدرضا"), 100)
        self.assertLess(name_similarity("ali karimi", "somchai jaidee"), 50)
        self.assertEqual(name_similarity("", "x"), 0)
