"""Imported parties are found by search at once, indexed as a save would index them."""

from mitra.core import search as core_search
from mitra.core.testing import BaseTestCase
from mitra.parties import search
from mitra.parties.models import Party

from .io_helpers import ImportSteps, csv_bytes


class ImportSearchTests(ImportSteps, BaseTestCase):
    def test_it_indexes_imported_parties_like_a_save_would(self):
        rows = [
            ["Name", "Code", "Phone", "Mobile", "Email", "Website", "Address", "City", "Tax ID"],
            ["บริษัท สยามรุ่งเรือง จำกัด", "", "02 123 4567", "+98 912 123 4567", "info@siam.example",
             "siam.example", "99 ถนนสุขุมวิท", "กรุงเทพมหานคร", "0105555000001"],
            ["شرکت پارس", "PARS-1", "", "0812345678", "", "", "", "تهران", ""],
        ]  # fmt: skip
        job = self.import_file(self.owner, csv_bytes(rows))
        self.assertEqual(job.created_count, 2)
        for party in Party.objects.all():
            imported = core_search.indexed_body(search.KIND, party.pk)
            search.index_parties([party.pk])
            rebuilt = core_search.indexed_body(search.KIND, party.pk)
            self.assertEqual(set(imported.split("\n")), set(rebuilt.split("\n")), party.name)

    def test_it_finds_imported_parties_by_any_fragment(self):
        rows = [["Name", "Mobile"], ["สมชาย ใจดี", "081 234 5678"], ["مریم کریمی", "0899999999"]]
        self.import_file(self.owner, csv_bytes(rows))
        visible = Party.objects.visible_to(self.owner)
        self.assertEqual([p.name for p in search.search_parties(visible, "ใจดี")], ["สมชาย ใจดี"])
        self.assertEqual([p.name for p in search.search_parties(visible, "کریم")], ["مریم کریمی"])
        self.assertEqual([p.name for p in search.search_parties(visible, "2345")], ["สมชาย ใจดี"])
