"""Every screen renders for a user with rights, in each language (no template errors)."""

from django.test import override_settings
from django.urls import reverse

from mitra.core.testing import BaseTestCase

from .factories import (
    make_appointment,
    make_followup,
    make_interaction,
    make_news,
    make_note,
    make_party,
    make_task,
)


@override_settings(LANGUAGE_CODE="en")
class ScreensRenderTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.party = make_party(cls.owner, "Siam Pumps", team=cls.p.alpha)
        cls.interaction = make_interaction(cls.owner, cls.party)
        cls.appt = make_appointment(cls.owner, party=cls.party)
        cls.task = make_task(cls.owner, cls.party, assignee=cls.owner)
        cls.note = make_note(cls.owner, recipients=[cls.teammate], party=cls.party)
        cls.followup = make_followup(cls.owner, cls.party)
        cls.news = make_news(cls.owner)

    def urls(self):
        pid = lambda o: o.public_id  # noqa: E731
        return [
            reverse("activities:interactions"),
            reverse("activities:interaction_create") + f"?party={self.party.public_id}",
            reverse("activities:quick_log") + f"?party={self.party.public_id}",
            reverse("activities:interaction_analysis"),
            reverse("activities:interaction_detail", args=[pid(self.interaction)]),
            reverse("activities:interaction_edit", args=[pid(self.interaction)]),
            reverse("activities:followups"),
            reverse("activities:followups") + "?show=all",
            reverse("activities:followup_create") + f"?party={self.party.public_id}",
            reverse("activities:followup_chain", args=[pid(self.party)]),
            reverse("activities:followup_edit", args=[pid(self.followup)]),
            reverse("activities:appointments"),
            reverse("activities:appointment_create")
            + "?start=2026-03-01T10:00&end=2026-03-01T11:00",
            reverse("activities:appointment_detail", args=[pid(self.appt)]),
            reverse("activities:appointment_edit", args=[pid(self.appt)]),
            reverse("activities:tasks"),
            reverse("activities:task_board"),
            reverse("activities:task_create"),
            reverse("activities:task_detail", args=[pid(self.task)]),
            reverse("activities:task_edit", args=[pid(self.task)]),
            reverse("activities:notes"),
            reverse("activities:notes") + "?box=sent",
            reverse("activities:note_create"),
            reverse("activities:note_detail", args=[pid(self.note)]),
            reverse("activities:note_edit", args=[pid(self.note)]),
            reverse("activities:news"),
            reverse("activities:news_create"),
            reverse("activities:news_detail", args=[pid(self.news)]),
            reverse("activities:news_edit", args=[pid(self.news)]),
            reverse("parties:detail", args=[pid(self.party)]) + "?tab=timeline",
        ]

    def test_it_renders_every_screen_in_three_languages(self):
        for language in ("en", "th", "fa"):
            self.owner.language = language
            self.owner.save(update_fields=["language"])
            self.login(self.owner)
            for url in self.urls():
                with self.subTest(url=url, language=language):
                    response = self.client.get(url)
                    self.assertEqual(response.status_code, 200, url)

    def test_it_renders_the_codes_screen_for_an_admin(self):
        self.login(self.admin)
        self.assertEqual(self.client.get(reverse("activities:lookups")).status_code, 200)
