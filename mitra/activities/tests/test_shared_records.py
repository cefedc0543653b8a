"""Shared records: a person a task, appointment or note is shared with sees the linked
party's name (never its details), cannot open the party, and can edit and save the record
without losing the link — in the pages and in the API."""

from html.parser import HTMLParser

from django.urls import reverse

from mitra.core.testing import BaseTestCase

from ..models import Task
from .factories import make_appointment, make_note, make_party, make_task

API = "/api/v1"


class _Forms(HTMLParser):
    """The fields of each <form> as a browser would submit them unchanged."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {}
            self.forms.append(self._form)
        if self._form is None or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            check = a.get("type") in ("checkbox", "radio")
            if check and "checked" not in a:
                return
            self._form.setdefault(name, []).append(a.get("value", "on" if check else ""))
        elif tag == "select" and name:
            self._select = name
            self._form.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self._form[self._select].append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self._form[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._form = None

    def handle_data(self, data):
        if self._textarea:
            self._form[self._textarea][0] += (
                data.lstrip("\n") if not self._form[self._textarea][0] else data
            )


def unchanged_form(response, field):
    parser = _Forms()
    parser.feed(response.content.decode())
    form = next(f for f in parser.forms if field in f)
    return {k: v if len(v) != 1 else v[0] for k, v in form.items()}


class SharedRecordTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # The owner's customer: the outsider (team Beta) may not see it.
        cls.party = make_party(cls.owner, "Siam Pumps", email="buy@siampumps.example")
        cls.task = make_task(cls.owner, cls.party, "Install the pump", assignee=cls.outsider)
        cls.appt = make_appointment(
            cls.owner, party=cls.party, participants=[cls.owner, cls.outsider], subject="Site visit"
        )
        cls.note = make_note(
            cls.owner, "Bring the manual", recipients=[cls.outsider], party=cls.party
        )

    def party_url(self):
        return reverse("parties:detail", args=[self.party.public_id])

    def test_the_shared_person_sees_the_name_but_cannot_open_the_party(self):
        self.login(self.outsider)
        self.assertEqual(self.client.get(self.party_url()).status_code, 404)
        for name, obj in (
            ("task_detail", self.task),
            ("appointment_detail", self.appt),
            ("note_detail", self.note),
        ):
            r = self.client.get(reverse(f"activities:{name}", args=[obj.public_id]))
            self.assertContains(r, "Siam Pumps", msg_prefix=name)
            self.assertNotContains(r, self.party_url(), msg_prefix=name)
            self.assertNotContains(r, "buy@siampumps.example", msg_prefix=name)
        r = self.client.get(reverse("activities:tasks"))
        self.assertContains(r, "Siam Pumps")
        self.assertNotContains(r, self.party_url())

    def test_the_owner_still_gets_a_link(self):
        self.login(self.owner)
        r = self.client.get(reverse("activities:task_detail", args=[self.task.public_id]))
        self.assertContains(r, self.party_url())
        r = self.client.get(reverse("activities:tasks"), {"show": "created"})
        self.assertContains(r, self.party_url())

    def test_the_assignee_saves_an_unchanged_task_form_and_keeps_the_link(self):
        self.login(self.outsider)
        url = reverse("activities:task_edit", args=[self.task.public_id])
        r = self.client.get(url)
        self.assertContains(r, "Siam Pumps")  # named on the form, not a mystery code
        data = unchanged_form(r, "title")
        self.assertEqual(data["parties"], self.party.code)
        r = self.client.post(url, data)
        self.assertEqual(r.status_code, 302, r.context and r.context["form"].errors)
        # Opened again (the save moved the task to its next version), then changed.
        data = unchanged_form(self.client.get(url), "title")
        data["title"] = "Install the pump (2 units)"
        r = self.client.post(url, data)
        self.assertEqual(r.status_code, 302)
        task = Task.objects.get(pk=self.task.pk)
        self.assertEqual(task.title, "Install the pump (2 units)")
        self.assertEqual([t.party for t in task.targets.all()], [self.party])

    def test_the_attendee_saves_an_unchanged_appointment_form_and_keeps_the_link(self):
        self.login(self.outsider)
        url = reverse("activities:appointment_edit", args=[self.appt.public_id])
        data = unchanged_form(self.client.get(url), "subject")
        data["subject"] = "Site visit (moved)"
        r = self.client.post(url, data)
        self.assertEqual(r.status_code, 302, r.context and r.context["form"].errors)
        self.appt.refresh_from_db()
        self.assertEqual(self.appt.subject, "Site visit (moved)")
        self.assertEqual([t.party for t in self.appt.targets.all()], [self.party])

    def test_the_hidden_partys_name_on_the_form_is_escaped(self):
        self.party.name = "<b>Siam</b> Pumps"
        self.party.save()
        self.login(self.outsider)
        r = self.client.get(reverse("activities:task_edit", args=[self.task.public_id]))
        self.assertContains(r, "&lt;b&gt;Siam&lt;/b&gt; Pumps")
        self.assertNotContains(r, "<b>Siam</b>")

    def test_the_shared_person_cannot_add_another_hidden_party(self):
        other = make_party(self.owner, "Hidden Traders")
        self.login(self.outsider)
        url = reverse("activities:task_edit", args=[self.task.public_id])
        data = unchanged_form(self.client.get(url), "title")
        data["parties"] = f"{self.party.code}, {other.code}"
        r = self.client.post(url, data)
        self.assertEqual(r.status_code, 200)
        self.assertIn("parties", r.context["form"].errors)
        self.assertEqual([t.party for t in self.task.targets.all()], [self.party])

    def test_the_api_names_the_party_and_keeps_the_link_on_a_full_update(self):
        self.login(self.outsider)
        r = self.client.get(f"{API}/tasks/{self.task.public_id}/")
        self.assertEqual(r.status_code, 200)
        body = r.json()
        self.assertEqual(body["parties"], [str(self.party.public_id)])
        self.assertEqual(
            body["party_names"],
            [{"id": str(self.party.public_id), "code": self.party.code, "name": "Siam Pumps"}],
        )
        self.assertNotIn("buy@siampumps.example", r.content.decode())
        self.assertEqual(self.client.get(f"{API}/parties/{self.party.public_id}/").status_code, 404)
        body["title"] = "Install the pump (API)"
        keep = {k: body[k] for k in ("title", "description", "parties", "priority", "status")}
        r = self.client.put(
            f"{API}/tasks/{self.task.public_id}/", keep, content_type="application/json"
        )
        self.assertEqual(r.status_code, 200, r.content)
        self.assertEqual([t.party for t in self.task.targets.all()], [self.party])
        for path, obj in (("appointments", self.appt), ("notes", self.note)):
            r = self.client.get(f"{API}/{path}/{obj.public_id}/")
            self.assertEqual(r.json()["party_names"][0]["name"], "Siam Pumps", path)

    def test_the_api_refuses_a_hidden_party_that_was_not_linked(self):
        other = make_party(self.owner, "Hidden Traders")
        self.login(self.outsider)
        r = self.client.patch(
            f"{API}/tasks/{self.task.public_id}/",
            {"parties": [str(self.party.public_id), str(other.public_id)]},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 400)
        self.assertEqual([t.party for t in self.task.targets.all()], [self.party])
