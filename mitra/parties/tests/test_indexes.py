from unittest import skipUnless

from django.db import connection
from django.test import TestCase

from mitra.parties.models import Party


class ListIndexTests(TestCase):
    @skipUnless(connection.vendor == "postgresql", "PostgreSQL's own partial indexes")
    def test_postgresql_walks_live_parties_in_list_order(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'parties_party'")
            names = {row[0] for row in cursor.fetchall()}
        self.assertLessEqual(
            {"party_pg_live_priority_idx", "party_pg_live_name_idx", "party_pg_owner_priority_idx"},
            names,
        )
        # With sequential scans priced out (the test table is tiny), the planner must be
        # able to answer the list's first page from the partial index, without a sort.
        qs = Party.objects.filter(deleted_at__isnull=True).order_by(
            "-priority", "search_name", "id"
        )
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
        plan = qs[:50].explain()
        self.assertIn("party_pg_live_priority_idx", plan)


class BulkLoadIndexTests(TestCase):
    def index_names(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
            return {row[0] for row in cursor.fetchall()}

    # (SQLite's schema editor cannot run inside a test's transaction; the Meta.indexes part
    # is the same code there.)
    @skipUnless(connection.vendor == "postgresql", "indexes made by raw SQL on PostgreSQL")
    def test_a_big_demo_load_drops_its_indexes_and_builds_them_again(self):
        from mitra.parties import demo
        from mitra.parties.models import ContactPoint

        before = self.index_names()
        dropped = demo._drop_indexes([Party, ContactPoint])
        during = self.index_names()
        # Meta.indexes, and those made by raw SQL: the list's partial indexes, the GIN.
        self.assertLessEqual(
            {"party_live_name_idx", "party_pg_live_name_idx", "core_search_body_trgm"},
            before - during,
        )
        demo._restore_indexes(dropped)
        self.assertEqual(self.index_names(), before)
