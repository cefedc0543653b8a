"""The top-bar search and the list's `?q=` over parties: any fragment, any script, scoped."""

import io

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mitra.core import search as core_search
from mitra.core.testing import BaseTestCase
from mitra.parties.models import ContactPoint, Kind, Party, Priority
from mitra.parties.search import KIND, index_parties, ranked, search_parties

from .factories import make_as_typed


class PartySearchTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        o, alpha = cls.owner, cls.p.alpha
        cls.karimi = make_as_typed(o, "علی کریمی", phones=["+98 912 111 0000"], team=alpha)
        cls.somchai = make_as_typed(
            o, "สมชาย ใจดี", phones=["081-234-5678"], city="เชียงใหม่", team=alpha
        )
        cls.acme = make_as_typed(
            o, "ACME Trading", Kind.ORGANISATION, emails=["Sales@Acme.example"],
            tax_id="0-1055-43210-99-1", team=alpha,
        )  # fmt: skip
        cls.beta_secret = make_as_typed(
            cls.outsider, "สมชาย Beta", phones=["081-234-9999"], team=cls.p.beta
        )

    def search(self, user, q):
        self.login(user)
        response = self.client.get(reverse("search"), {"q": q})
        self.assertEqual(response.status_code, 200)
        groups = [g for g in response.context["groups"] if g["title"] == "Parties"]
        return [hit["title"] for hit in (groups[0]["results"] if groups else [])]

    def test_it_finds_a_persian_name_typed_with_arabic_letters(self):
        self.assertEqual(self.search(self.owner, "كريمي"), ["علی کریمی"])
        self.assertEqual(self.search(self.owner, "علي كريمي"), ["علی کریمی"])

    def test_it_finds_a_thai_three_character_fragment(self):
        self.assertEqual(self.search(self.owner, "ชาย"), ["สมชาย ใจดี"])
        self.assertEqual(self.search(self.owner, "ใจด"), ["สมชาย ใจดี"])

    def test_it_finds_a_phone_by_any_four_digits_in_any_format_or_script(self):
        for q in ("5678", "2345", "081-2345", "+66 81 234", "๕๖๗๘", "۵۶۷۸", "66812345678"):
            self.assertEqual(self.search(self.owner, q), ["สมชาย ใจดี"], q)
        self.assertEqual(self.search(self.owner, "0912 111"), ["علی کریمی"])

    def test_it_finds_emails_tax_ids_codes_and_addresses(self):
        self.assertEqual(self.search(self.owner, "sales@acme"), ["ACME Trading"])
        self.assertEqual(self.search(self.owner, "0105543210991"), ["ACME Trading"])
        self.assertEqual(self.search(self.owner, "1055-4321"), ["ACME Trading"])
        self.assertEqual(self.search(self.owner, "เชียงใหม่"), ["สมชาย ใจดี"])
        self.assertEqual(self.search(self.owner, self.acme.code.lower()), ["ACME Trading"])

    def test_it_never_shows_an_outsider_anothers_parties(self):
        self.assertEqual(self.search(self.outsider, "สมชาย"), ["สมชาย Beta"])
        self.assertEqual(self.search(self.outsider, "5678"), [])
        self.assertEqual(self.search(self.outsider, "كريمي"), [])
        self.assertEqual(self.search(self.owner, "9999"), [])
        self.assertEqual(self.search(self.portal, "สมชาย"), [])

    def test_it_shows_team_records_to_teammates(self):
        self.assertEqual(self.search(self.teammate, "ชาย"), ["สมชาย ใจดี"])

    def test_it_ranks_exact_then_prefix_then_word_start_then_substring(self):
        o = self.owner
        make_as_typed(o, "Xtal Rosa")  # word start
        make_as_typed(o, "Rosalind")  # prefix
        make_as_typed(o, "Rosa")  # exact
        make_as_typed(o, "Primrosa")  # substring
        make_as_typed(o, "Rosanna", priority=Priority.TOP)  # prefix, higher priority
        self.assertEqual(
            self.search(o, "rosa"), ["Rosa", "Rosanna", "Rosalind", "Xtal Rosa", "Primrosa"]
        )

    def test_it_falls_back_under_three_characters(self):
        for user in (self.owner, self.admin):  # own scope, and one who sees everything
            self.assertEqual(self.search(user, "ac"), ["ACME Trading"])
            self.assertEqual(self.search(user, "ใจ"), ["สมชาย ใจดี"])
        self.assertEqual(self.search(self.admin, "et"), ["สมชาย Beta"])  # mid-word

    def test_it_leaves_trashed_parties_out(self):
        self.somchai.deleted_at = self.somchai.created_at
        self.somchai.save(update_fields=["deleted_at"])
        self.assertEqual(self.search(self.owner, "ชาย"), [])

    def test_it_follows_edits_of_names_and_contact_points(self):
        self.somchai.first_name, self.somchai.last_name = "สมศรี", "ใจดี"
        self.somchai.save()
        self.assertEqual(self.search(self.owner, "ชาย"), [])
        self.assertEqual(self.search(self.owner, "สมศรี"), ["สมศรี ใจดี"])
        self.somchai.contact_points.get().delete()
        self.assertEqual(self.search(self.owner, "5678"), [])
        ContactPoint.objects.create(party=self.somchai, kind="phone", value="02 555 0199")
        self.assertEqual(self.search(self.owner, "5550"), ["สมศรี ใจดี"])

    def test_it_forgets_deleted_parties(self):
        pk = self.acme.pk
        self.acme.delete()
        self.assertIsNone(core_search.indexed_body(KIND, pk))

    def test_it_rebuilds_the_index(self):
        core_search.clear(KIND)
        self.assertEqual(self.search(self.owner, "ชาย"), [])
        call_command("rebuild_search_index", "party", stdout=io.StringIO())
        self.assertEqual(self.search(self.owner, "ชาย"), ["สมชาย ใจดี"])

    def test_it_indexes_rows_written_in_bulk(self):
        Party.objects.bulk_create(
            [Party(name="Bulk Person", kind=Kind.PERSON, owner=self.owner, code="B1").prepare()]
        )
        # Names are matched from the party table by prefix; substrings need the index.
        self.assertEqual(self.search(self.owner, "bulk"), ["Bulk Person"])
        self.assertEqual(self.search(self.owner, "erson"), [])
        index_parties(Party.objects.filter(code="B1").values_list("pk", flat=True))
        self.assertEqual(self.search(self.owner, "erson"), ["Bulk Person"])

    def test_it_narrows_the_list_queryset(self):
        visible = Party.objects.visible_to(self.owner)
        self.assertEqual(list(search_parties(visible, "ชาย")), [self.somchai])
        self.assertEqual(list(search_parties(visible, "")), list(visible))
        self.assertEqual(list(search_parties(visible, "ac")), [self.acme])

    def test_it_links_to_all_results_in_the_list(self):
        self.login(self.owner)
        response = self.client.get(reverse("search"), {"q": "ชาย"})
        self.assertContains(response, reverse("parties:list") + "?q=")

    def test_it_answers_in_a_few_queries(self):
        for i in range(30):
            make_as_typed(self.owner, f"Rosa {i}", phones=[f"08{i:08d}"], city="Bangkok")
        self.login(self.owner)
        self.client.get(reverse("search"), {"q": "ros"})  # warm up the session
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(reverse("search"), {"q": "ros"})
        self.assertEqual(len(response.context["groups"][0]["results"]), 8)
        self.assertLessEqual(
            len(ctx.captured_queries), 12, [q["sql"] for q in ctx.captured_queries]
        )

    def test_it_ranks_for_the_api_too(self):
        self.assertEqual([p.name for p in ranked(self.owner, "ชาย")], ["สมชาย ใจดี"])
        self.assertEqual(ranked(self.owner, "   "), [])


class SearchViewTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.party = make_as_typed(cls.owner, "สมชาย ใจดี", phones=["081-234-5678"], city="เชียงใหม่")

    def test_it_serves_the_dropdown_under_the_top_bar_box(self):
        self.login(self.owner)
        response = self.client.get(
            reverse("search"),
            {"q": "ชาย"},
            headers={"HX-Request": "true", "HX-Target": "global-search-menu"},
        )
        self.assertContains(response, "dropdown-item search-hit")
        self.assertContains(response, "สมชาย ใจดี")
        # Each hit says where it is and links to the party's page.
        self.assertContains(response, "เชียงใหม่")
        self.assertContains(response, reverse("parties:detail", args=[self.party.public_id]))
        self.assertNotContains(response, "<html")
        self.assertContains(response, reverse("search") + "?q=")

    def test_it_refreshes_the_results_block_of_the_page(self):
        self.login(self.owner)
        response = self.client.get(
            reverse("search"),
            {"q": "5678"},
            headers={"HX-Request": "true", "HX-Target": "search-results"},
        )
        self.assertContains(response, 'id="search-results"')
        self.assertContains(response, "081-234-5678")
        self.assertNotContains(response, "<html")

    def test_it_says_when_nothing_is_found(self):
        self.login(self.outsider)
        response = self.client.get(reverse("search"), {"q": "ชาย"})
        self.assertContains(response, "Nothing found")
        self.assertNotContains(response, "สมชาย")
