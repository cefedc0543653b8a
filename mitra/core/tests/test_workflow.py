"""core.workflow: transitions with source states, permission, guard, version check, history."""

from unittest import mock

from django.core.exceptions import PermissionDenied, ValidationError

from mitra.core.approvals.models import ApprovalRequest
from mitra.core.policy import Action
from mitra.core.testing import BaseTestCase
from mitra.core.versioning import StaleEdit
from mitra.core.workflow import (
    Transition,
    TransitionLog,
    Workflow,
    available_transitions,
    transition,
    transition_history,
)
from mitra.parties.tests.factories import make_party

S = ApprovalRequest.Status

FLOW = Workflow(
    "status",
    [
        Transition(
            "approve",
            "Approve",
            (S.PENDING,),
            S.APPROVED,
            permission=("parties", Action.APPROVE),
            guard=lambda obj, user: obj.note != "blocked" or "It is blocked.",
        ),
        Transition("reject", "Reject", (S.PENDING,), S.REJECTED),
        Transition(
            "reopen",
            "Reopen",
            (S.REJECTED,),
            S.PENDING,
            permission=lambda user, obj: user.is_superuser,
        ),
    ],
)


class WorkflowTests(BaseTestCase):
    def setUp(self):
        patcher = mock.patch.object(ApprovalRequest, "workflow", FLOW)
        patcher.start()
        self.addCleanup(patcher.stop)
        party = make_party(self.owner, "Acme Co")
        self.obj = ApprovalRequest.objects.create(
            record=party, kind="tests", requested_by=self.owner
        )

    def fresh(self):
        return ApprovalRequest.objects.get(pk=self.obj.pk)

    def test_a_transition_changes_the_state_and_writes_history(self):
        log = transition(self.obj, "approve", acting_user=self.teammate, comment="ok")
        self.assertEqual(self.fresh().status, S.APPROVED)
        self.assertEqual(
            (log.from_state, log.to_state, log.user, log.comment, log.transition),
            ("pending", "approved", self.teammate, "ok", "approve"),
        )
        self.assertEqual(list(transition_history(self.obj)), [log])
        self.assertEqual(log.record, self.obj)

    def test_a_transition_from_the_wrong_state_is_refused(self):
        transition(self.obj, "reject", acting_user=self.owner)
        with self.assertRaisesMessage(ValidationError, "not possible from the status"):
            transition(self.fresh(), "approve", acting_user=self.teammate)
        self.assertEqual(self.fresh().status, S.REJECTED)
        self.assertEqual(TransitionLog.objects.count(), 1)

    def test_the_permission_is_checked(self):
        with self.assertRaises(PermissionDenied):
            transition(self.obj, "approve", acting_user=self.readonly)
        transition(self.obj, "reject", acting_user=self.readonly)
        with self.assertRaises(PermissionDenied):
            transition(self.fresh(), "reopen", acting_user=self.teammate)
        transition(self.fresh(), "reopen", acting_user=self.admin)
        self.assertEqual(self.fresh().status, S.PENDING)

    def test_a_guard_refuses_with_its_reason(self):
        self.obj.note = "blocked"
        self.obj.save()
        with self.assertRaisesMessage(ValidationError, "It is blocked."):
            transition(self.fresh(), "approve", acting_user=self.teammate)
        self.assertEqual(self.fresh().status, S.PENDING)
        self.assertFalse(TransitionLog.objects.exists())

    def test_a_record_changed_since_it_was_read_is_refused(self):
        stale = self.fresh()
        other = self.fresh()
        other.note = "someone else"
        other.save()
        with self.assertRaises(StaleEdit):
            transition(stale, "reject", acting_user=self.owner)
        self.assertEqual(self.fresh().status, S.PENDING)
        self.assertFalse(TransitionLog.objects.exists())

    def test_an_expected_version_that_is_not_current_is_refused(self):
        with self.assertRaises(StaleEdit):
            transition(self.fresh(), "reject", acting_user=self.owner, expected_version=99)
        transition(
            self.fresh(), "reject", acting_user=self.owner, expected_version=self.obj.version
        )
        self.assertEqual(self.fresh().status, S.REJECTED)

    def test_available_transitions_are_the_buttons_a_user_gets(self):
        names = lambda user: [t.name for t in available_transitions(self.fresh(), user)]  # noqa: E731
        self.assertEqual(names(self.teammate), ["approve", "reject"])
        self.assertEqual(names(self.readonly), ["reject"])
        transition(self.obj, "reject", acting_user=self.owner)
        self.assertEqual(names(self.teammate), [])
        self.assertEqual(names(self.admin), ["reopen"])

    def test_an_unknown_transition_is_a_clear_error(self):
        with self.assertRaisesMessage(ValidationError, "Unknown step"):
            transition(self.obj, "explode", acting_user=self.admin)
