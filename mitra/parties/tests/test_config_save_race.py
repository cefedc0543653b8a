"""A shared-configuration save that loses a race with another is a message, not a 500."""

from contextlib import contextmanager

from django.db.models import F
from django.db.models.signals import pre_save
from django.urls import reverse

from mitra.activities.models import Lookup, LookupKind
from mitra.core.testing import BaseTestCase
from mitra.parties.models import RatingLevel

from .test_records import grant_configuration


@contextmanager
def saved_meanwhile(model, pk):
    """Another save of the row lands between the form's check and this save."""

    def bump(sender, instance, **kwargs):
        if instance.pk == pk:
            pre_save.disconnect(bump, sender=model)
            model.objects.filter(pk=pk).update(version=F("version") + 1)

    pre_save.connect(bump, sender=model)
    try:
        yield
    finally:
        pre_save.disconnect(bump, sender=model)


class ConfigSaveRaceTests(BaseTestCase):
    def setUp(self):
        grant_configuration(self.owner)
        self.login(self.owner)

    def test_a_rating_level_saved_meanwhile(self):
        level = RatingLevel.objects.create(name="Gold", order=1)
        url = reverse("parties:rating_level_edit", args=[level.public_id])
        with saved_meanwhile(RatingLevel, level.pk):
            r = self.client.post(url, {"name": "Platinum", "order": 1, "version": level.version})
        self.assertContains(r, "after you opened it")
        level.refresh_from_db()
        self.assertEqual(level.name, "Gold")

    def test_an_activity_code_saved_meanwhile(self):
        self.login(self.admin)  # activity codes are an administration screen
        code = Lookup.objects.create(module="interactions", kind=LookupKind.RESULT, name="Reached")
        url = reverse("activities:lookup_edit", args=[code.public_id])
        data = {"kind": code.kind, "name": "Reached them", "order": 0, "is_active": "on",
                "version": code.version}  # fmt: skip
        with saved_meanwhile(Lookup, code.pk):
            r = self.client.post(url, data)
        self.assertContains(r, "after you opened it")
        code.refresh_from_db()
        self.assertEqual(code.name, "Reached")
