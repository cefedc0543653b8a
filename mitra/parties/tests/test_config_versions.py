"""J5 on shared configuration: groups and rating levels refuse a stale save."""

from django.urls import reverse

from mitra.core.testing import BaseTestCase
from mitra.core.tests.formpage import NoLostUpdateMixin
from mitra.parties.models import Group, RatingLevel

from .test_records import grant_configuration


class ConfigFormVersionTests(NoLostUpdateMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        grant_configuration(cls.p.owner)  # the second editor may change shared configuration

    def test_group_form(self):
        group = Group.objects.create(name="VIP")
        url = reverse("parties:group_edit", args=[group.public_id])
        self.assert_stale_form_refused(group, url, "name", "description")

    def test_rating_level_form(self):
        level = RatingLevel.objects.create(name="Gold", order=1)
        url = reverse("parties:rating_level_edit", args=[level.public_id])
        self.assert_stale_form_refused(level, url, "name", "description", history=False)
