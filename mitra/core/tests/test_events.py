"""Domain events: recorded in the action's transaction, dispatched after commit, read
through the records' own policies (core/events.py, the feed API, the timeline source)."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mitra.activities import actions as activity_actions
from mitra.activities.models import TaskStatus
from mitra.core import events
from mitra.core.events import Event, record_event
from mitra.core.testing import BaseTestCase
from mitra.parties import actions as party_actions
from mitra.parties.models import Kind, Party

received = []


def background_handler(event):
    received.append(("background", event.type))


def new_party(user, name="Siam Pumps"):
    return party_actions.create_party(
        acting_user=user, values={"kind": Kind.ORGANISATION, "name": name}
    )


class EventTestCase(BaseTestCase):
    def setUp(self):
        received.clear()
        self.calls = []
        # Content types are cached per process: warm them so query counts do not depend on
        # which test ran first.
        ContentType.objects.get_for_models(*events.event_models(), for_concrete_models=False)

    def listen(self, pattern, background=False):
        handler = background_handler if background else (lambda e: self.calls.append(e.type))
        events.subscribe(pattern, handler, background=background)
        self.addCleanup(events.unsubscribe, handler)
        return handler


class RecordingTests(EventTestCase):
    def test_it_records_the_event_in_the_actions_transaction(self):
        with self.captureOnCommitCallbacks() as callbacks:
            party = new_party(self.owner)
            event = Event.objects.get(type="party.created")
        self.assertEqual(event.object_id, party.pk)
        self.assertEqual(event.object_public_id, party.public_id)
        self.assertEqual(event.party_pk, party.pk)
        self.assertEqual(event.actor, self.owner)
        self.assertEqual(event.label, "party.created")  # not described: the type itself
        self.assertEqual(callbacks, [])  # nobody subscribed: nothing to run after commit

    def test_a_rolled_back_action_records_and_emits_nothing(self):
        self.listen("*")
        with (
            self.captureOnCommitCallbacks(execute=True),
            self.assertRaises(RuntimeError),
            transaction.atomic(),
        ):
            new_party(self.owner)
            self.assertTrue(Event.objects.filter(type="party.created").exists())
            raise RuntimeError("the rest of the request failed")
        self.assertFalse(Event.objects.exists())
        self.assertFalse(Party.objects.exists())
        self.assertEqual(self.calls, [])

    def test_a_refused_action_records_nothing(self):
        party = new_party(self.owner)
        with self.assertRaises(PermissionDenied):
            party_actions.trash_party(party, acting_user=self.readonly)
        self.assertFalse(Event.objects.filter(type="party.trashed").exists())

    def test_subscribers_run_after_commit_never_inside(self):
        self.listen("party.created")
        with self.captureOnCommitCallbacks() as callbacks:
            new_party(self.owner)
            self.assertEqual(self.calls, [])  # still inside the transaction
        self.assertEqual(len(callbacks), 1)
        callbacks[0]()
        self.assertEqual(self.calls, ["party.created"])

    def test_wildcards_match_a_kind_or_a_verb(self):
        self.listen("party.*")
        self.listen("*.status_changed")
        with self.captureOnCommitCallbacks(execute=True):
            party = new_party(self.owner)
            task = activity_actions.create_task(
                acting_user=self.owner, parties=[party], title="Call"
            )
            activity_actions.set_task_status(task, TaskStatus.IN_PROGRESS, acting_user=self.owner)
        self.assertEqual(self.calls, ["party.created", "task.status_changed"])

    def test_a_background_subscriber_runs_as_a_task(self):
        self.listen("party.trashed", background=True)
        party = new_party(self.owner)
        with self.captureOnCommitCallbacks(execute=True):
            party_actions.trash_party(party, acting_user=self.owner)
        self.assertEqual(received, [("background", "party.trashed")])

    def test_a_failing_subscriber_does_not_stop_the_others(self):
        events.subscribe("party.*", lambda e: 1 / 0)
        self.addCleanup(lambda: events._subscribers.pop(0))
        self.listen("party.*")
        with self.assertLogs("mitra.core.events"), self.captureOnCommitCallbacks(execute=True):
            new_party(self.owner)
        self.assertEqual(self.calls, ["party.created"])

    def test_the_key_verbs_record_their_events(self):
        party = new_party(self.owner)
        party_actions.update_party(party, acting_user=self.owner, values={"name": "Siam Pumps Ltd"})
        party_actions.set_role(party, "customer", True, acting_user=self.owner)
        task = activity_actions.create_task(acting_user=self.owner, parties=[party], title="Call")
        activity_actions.close_task(task, acting_user=self.owner)
        party.refresh_from_db()  # the role bumped its version
        party_actions.trash_party(party, acting_user=self.owner)
        party_actions.restore_party(party, acting_user=self.owner)
        types = list(Event.objects.order_by("pk").values_list("type", flat=True))
        self.assertEqual(
            types,
            ["party.created", "party.updated", "party.role_changed", "task.created",
             "task.closed", "party.trashed", "party.restored"],
        )  # fmt: skip
        updated = Event.objects.get(type="party.updated")
        self.assertEqual(updated.payload, {"fields": ["name"]})
        self.assertEqual(Event.objects.get(type="task.closed").party_pk, party.pk)

    def test_a_new_assignee_is_an_event(self):
        party = new_party(self.owner)
        task = activity_actions.create_task(acting_user=self.owner, parties=[party], title="Call")
        activity_actions.update_task(task, acting_user=self.owner, title="Call back")
        self.assertFalse(Event.objects.filter(type="task.assigned").exists())
        activity_actions.update_task(task, acting_user=self.owner, assignee=self.teammate)
        event = Event.objects.get(type="task.assigned")
        self.assertEqual(event.payload, {"assignee": str(self.teammate)})
        self.assertEqual(event.label, "Task assigned")

    def test_a_merge_brings_the_merged_partys_events_along(self):
        from mitra.dedupe.merge import merge_parties

        survivor, loser = new_party(self.owner, "Siam Pumps"), new_party(self.owner, "Siam Pump")
        merge_parties(survivor, loser, acting_user=self.owner)
        merged = Event.objects.get(type="party.merged")
        self.assertEqual(merged.payload["merged"], str(loser.public_id))
        self.assertEqual(Event.objects.for_party(loser).count(), 0)
        self.assertEqual(
            set(Event.objects.for_party(survivor).values_list("type", flat=True)),
            {"party.created", "party.merged"},
        )

    def test_a_payload_stays_small(self):
        party = new_party(self.owner)
        with self.assertRaises(ValueError):
            record_event("party.note", party, acting_user=None, payload={"x": "y" * 5000})


class VisibilityTests(EventTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.party = new_party(cls.owner, "Alpha Pumps")
        cls.task = activity_actions.create_task(
            acting_user=cls.owner, parties=[cls.party], title="Install"
        )
        cls.beta_party = new_party(cls.outsider, "Beta Boats")

    def types_for(self, user, party=None):
        qs = Event.objects.visible_to(user)
        if party is not None:
            qs = qs.for_party(party)
        return sorted(qs.values_list("type", flat=True))

    def test_each_persona_sees_the_events_of_the_records_it_may_see(self):
        alpha = ["party.created", "party.created", "task.created"]
        self.assertEqual(self.types_for(self.admin), alpha)
        self.assertEqual(self.types_for(self.owner), alpha[1:])
        self.assertEqual(self.types_for(self.teammate), alpha[1:])
        self.assertEqual(self.types_for(self.readonly), alpha[1:])
        self.assertEqual(self.types_for(self.outsider), ["party.created"])  # its own only
        self.assertEqual(self.types_for(self.portal), [])

    def test_an_outsider_sees_nothing_of_another_teams_party(self):
        self.assertEqual(self.types_for(self.outsider, self.party), [])
        self.assertEqual(
            self.types_for(self.teammate, self.party), ["party.created", "task.created"]
        )

    def test_it_follows_the_record_when_it_is_shared(self):
        Party.objects.filter(pk=self.party.pk).update(team=self.p.beta)
        self.assertIn("party.created", self.types_for(self.outsider, self.party))

    def test_a_private_task_stays_private_in_the_feed(self):
        activity_actions.update_task(self.task, acting_user=self.owner, is_private=True)
        self.assertNotIn("task.created", self.types_for(self.teammate, self.party))
        self.assertIn("task.created", self.types_for(self.owner, self.party))


class FeedApiTests(EventTestCase):
    url = "/api/v1/events/"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.party = new_party(cls.owner, "Alpha Pumps")
        for i in range(3):
            task = activity_actions.create_task(
                acting_user=cls.owner, parties=[cls.party], title=f"Task {i}"
            )
            activity_actions.set_task_status(task, TaskStatus.WAITING, acting_user=cls.owner)
        cls.other = new_party(cls.owner, "Other Pumps")

    def test_it_lists_the_feed_newest_first_in_a_constant_number_of_queries(self):
        self.login(self.teammate)
        self.client.get(self.url)  # warm the session
        # session, user + role, the page (visibility and party ids are subqueries of it)
        with self.assertNumQueries(3):
            response = self.client.get(self.url)
        rows = response.json()["results"]
        self.assertEqual(len(rows), 8)
        self.assertEqual(rows[0]["type"], "party.created")
        self.assertEqual(rows[0]["record"]["id"], str(self.other.public_id))
        self.assertEqual(rows[0]["actor"]["name"], str(self.owner))
        activity_actions.create_task(acting_user=self.owner, parties=[self.party], title="More")
        with self.assertNumQueries(3):
            self.client.get(self.url)

    def test_it_filters_by_type_party_and_time(self):
        self.login(self.owner)
        rows = self.client.get(self.url, {"type": "task.*"}).json()["results"]
        self.assertEqual({r["type"] for r in rows}, {"task.created", "task.status_changed"})
        rows = self.client.get(self.url, {"type": "task.status_changed"}).json()["results"]
        self.assertEqual(len(rows), 3)
        self.assertEqual(rows[0]["payload"], {"status": "waiting"})
        rows = self.client.get(self.url, {"party": str(self.other.public_id)}).json()["results"]
        self.assertEqual([r["party"] for r in rows], [str(self.other.public_id)])
        later = (timezone.now() + dt.timedelta(hours=1)).isoformat()
        self.assertEqual(self.client.get(self.url, {"since": later}).json()["results"], [])

    def test_it_pages_by_keyset(self):
        self.login(self.owner)
        first = self.client.get(self.url, {"page_size": 5}).json()
        second = self.client.get(first["next"]).json()
        ids = [r["id"] for r in first["results"] + second["results"]]
        self.assertEqual(len(ids), 8)
        self.assertEqual(len(set(ids)), 8)

    def test_an_outsider_gets_nothing_of_other_teams(self):
        self.login(self.outsider)
        self.assertEqual(self.client.get(self.url).json()["results"], [])
        rows = self.client.get(self.url, {"party": str(self.party.public_id)}).json()["results"]
        self.assertEqual(rows, [])
        event = Event.objects.first()
        self.assertEqual(self.client.get(f"{self.url}{event.public_id}/").status_code, 404)

    def test_bad_filters_answer_400(self):
        self.login(self.owner)
        self.assertEqual(self.client.get(self.url, {"party": "nope"}).status_code, 400)
        self.assertEqual(self.client.get(self.url, {"since": "yesterday"}).status_code, 400)
        self.assertEqual(self.client.get(self.url, {"colour": "red"}).status_code, 400)

    def test_it_needs_a_sign_in(self):
        self.assertIn(self.client.get(self.url).status_code, (401, 403))


class TimelineSourceTests(EventTestCase):
    def test_status_changes_show_on_the_party_timeline_but_creations_do_not_repeat(self):
        from mitra.activities import timeline

        party = new_party(self.owner)
        task = activity_actions.create_task(acting_user=self.owner, parties=[party], title="Call")
        activity_actions.set_task_status(task, TaskStatus.WAITING, acting_user=self.owner)
        party_actions.set_role(party, "customer", True, acting_user=self.owner)
        items, _cursor = timeline.page(self.owner, party, kinds=["event"])
        self.assertEqual([i.obj.type for i in items], ["party.role_changed", "task.status_changed"])
        self.login(self.owner)
        url = reverse("parties:detail", args=[party.public_id])
        response = self.client.get(url, {"tab": "timeline"})
        self.assertContains(response, "Task status changed")
        self.assertContains(response, "Role changed")
        # The outsider never gets the party page at all.
        self.login(self.outsider)
        self.assertEqual(self.client.get(url, {"tab": "timeline"}).status_code, 404)
