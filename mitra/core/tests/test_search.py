"""The per-engine substring index (SQLite FTS5 trigram, pg_trgm, MariaDB trigram postings).

Users stand in for any indexed record: these tests need no domain app.
"""

from django.db import connection
from django.test import TestCase

from mitra.core import search
from mitra.users.models import User

KIND = search.register_kind(search.SearchKind("core-test", 32000))
OTHER = search.register_kind(search.SearchKind("core-test-other", 32001))


class SearchIndexTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        names = {
            "thai": "สมชาย ใจดี",
            "persian": "علی کریمی",
            "latin": "Jane O'Hara-Smith",
            "phone": "Phone Person",
            "odd": 'Percent 100% "quoted" under_score',
        }
        cls.users = {
            key: User.objects.create_user(key, first_name=name) for key, name in names.items()
        }
        rows = [(u.pk, search.body(u.first_name)) for u in cls.users.values()]
        rows[3] = (cls.users["phone"].pk, search.body("Phone Person", "66812345678", "0812345678"))
        search.index(KIND, rows)

    def find(self, q, kind=KIND):
        return set(
            search.filter_queryset(User.objects.all(), kind, q).values_list("username", flat=True)
        )

    def test_it_finds_a_thai_three_character_fragment(self):
        self.assertEqual(self.find("ชาย"), {"thai"})
        self.assertEqual(self.find("ใจดี"), {"thai"})

    def test_it_finds_a_persian_name_typed_with_arabic_letters(self):
        self.assertEqual(self.find("كريمي"), {"persian"})
        self.assertEqual(self.find("علي"), {"persian"})

    def test_it_matches_latin_fragments_whatever_the_case(self):
        self.assertEqual(self.find("HARA"), {"latin"})
        self.assertEqual(self.find("o'hara-sm"), {"latin"})

    def test_it_needs_every_word_in_any_order(self):
        self.assertEqual(self.find("smith jane"), {"latin"})
        self.assertEqual(self.find("smith ali"), set())

    def test_it_falls_back_to_like_under_three_characters(self):
        self.assertEqual(self.find("ja"), {"latin"})
        self.assertEqual(self.find("ใจ"), {"thai"})
        self.assertEqual(self.find("ed jane"), set())
        self.assertEqual(self.find("ne jane"), {"latin"})

    def test_it_reads_phone_fragments_by_their_digits(self):
        self.assertEqual(self.find("081-234"), {"phone"})
        self.assertEqual(self.find("+66 81 23"), {"phone"})
        self.assertEqual(self.find("๕๖๗๘"), {"phone"})
        self.assertEqual(self.find("۱۲۳۴"), {"phone"})

    def test_it_escapes_like_and_fts_syntax(self):
        self.assertEqual(self.find('"quoted"'), {"odd"})
        self.assertEqual(self.find("100%"), {"odd"})
        self.assertEqual(self.find("r_s"), {"odd"})
        self.assertEqual(self.find("0%"), {"odd"})
        self.assertEqual(self.find("e_"), set())

    def test_it_keeps_kinds_apart(self):
        self.assertEqual(self.find("ชาย", kind=OTHER), set())
        search.index(OTHER, [(self.users["thai"].pk, "something else")])
        self.assertEqual(self.find("ชาย"), {"thai"})
        self.assertEqual(self.find("thing", kind=OTHER), {"thai"})

    def test_it_replaces_and_removes_rows(self):
        pk = self.users["thai"].pk
        search.index(KIND, [(pk, search.body("สมหญิง"))])
        self.assertEqual(self.find("ชาย"), set())
        self.assertEqual(self.find("หญิง"), {"thai"})
        self.assertEqual(search.indexed_body(KIND, pk), "สมหญิง")
        search.unindex(KIND, [pk])
        self.assertEqual(self.find("หญิง"), set())
        self.assertIsNone(search.indexed_body(KIND, pk))

    def test_it_adds_new_rows_without_replacing(self):
        search.clear(OTHER)
        search.index(OTHER, [(1, "first body"), (2, "second body")], replace=False)
        self.assertEqual(search.indexed_body(OTHER, 2), "second body")
        self.assertEqual(sorted(search.matching_ids(OTHER, "body")), [1, 2])

    def test_it_removes_rows_a_subquery_selects(self):
        pk = self.users["thai"].pk
        with connection.cursor() as cursor:
            search.unindex_sql(
                KIND, cursor, "SELECT id FROM users_user WHERE username = %s", ["thai"]
            )
        self.assertIsNone(search.indexed_body(KIND, pk))
        self.assertEqual(self.find("ชาย"), set())
        self.assertEqual(self.find("hara"), {"latin"})

    def test_it_clears_one_kind_only(self):
        search.index(OTHER, [(self.users["thai"].pk, "something else")])
        search.clear(OTHER)
        self.assertEqual(self.find("thing", kind=OTHER), set())
        self.assertEqual(self.find("ชาย"), {"thai"})

    def test_it_lists_matching_ids_with_a_limit(self):
        ids = search.matching_ids(KIND, "e", limit=2)
        self.assertEqual(len(ids), 2)

    def test_it_ignores_blank_queries(self):
        self.assertEqual(len(self.find("  ")), User.objects.count())
        self.assertEqual(search.matching_ids(KIND, ""), [])

    def test_it_uses_the_engine_index_for_long_fragments(self):
        sql, _params = search.match_sql(KIND, "ชาย")
        expected = {"sqlite": "MATCH", "postgresql": "LIKE", "mysql": "core_search_gram"}
        self.assertIn(expected[connection.vendor], sql)

    def test_sqlite_merges_index_segments_sixteen_at_a_time(self):
        if connection.vendor != "sqlite":
            self.skipTest("an FTS5 setting")
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT v FROM {search.TABLE}_config WHERE k = 'automerge'")
            self.assertEqual(cursor.fetchone(), (search.AUTOMERGE,))
        self.assertEqual(search.AUTOMERGE, 16)
        # Searches still see rows written in many small transactions (many segments).
        users = [
            User.objects.create_user(f"seg{i}", first_name=f"Segment{i:02d}") for i in range(40)
        ]
        for user in users:
            search.index(KIND, [(user.pk, search.body(user.first_name))])
        self.assertEqual(len(self.find("segment")), 40)
        self.assertEqual(self.find("segment07"), {"seg7"})

    def test_optimizing_after_bulk_changes_keeps_every_answer(self):
        users = [
            User.objects.create_user(f"opt{i}", first_name=f"Optimum{i:02d}") for i in range(30)
        ]
        search.index(KIND, [(u.pk, search.body(u.first_name)) for u in users])
        search.unindex(KIND, [u.pk for u in users[:10]])
        before = (self.find("optimum"), self.find("สมช"), self.find("optimum15"))
        search.optimize()  # one segment on SQLite, nothing to do elsewhere
        self.assertEqual((self.find("optimum"), self.find("สมช"), self.find("optimum15")), before)
        self.assertEqual(len(before[0]), 20)


class QueryParsingTests(TestCase):
    def test_it_splits_words_and_reads_phones_as_digits(self):
        self.assertEqual(search.parse(" Jane  SMITH ").terms, ("jane", "smith"))
        self.assertEqual(search.parse("(081) 234-56").terms, ("08123456",))
        self.assertEqual(search.parse("(081) 234-56").phone_digits, "08123456")
        self.assertFalse(search.parse(""))
        self.assertFalse(search.parse("ab").indexed)
        self.assertTrue(search.parse("ab cde").indexed)

    def test_it_builds_bodies_without_blanks_or_repeats(self):
        self.assertEqual(search.body("Ali", "", None, "ALI", "Karimi"), "ali\nkarimi")

    def test_it_refuses_clashing_kind_codes(self):
        with self.assertRaises(ValueError):
            search.register_kind(search.SearchKind("another", 32000))
