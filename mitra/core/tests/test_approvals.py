"""The approval engine through its screens, with a kind of request of the tests' own."""

from unittest import mock

from django.urls import reverse

from mitra.core.approvals import engine
from mitra.core.approvals.models import ApprovalLevel, ApprovalRequest, ApprovalRule, ApprovalTask
from mitra.core.testing import PASSWORD, BaseTestCase
from mitra.core.workflow import TransitionLog
from mitra.mail.models import OutboxMessage
from mitra.parties.models import Party
from mitra.parties.tests.factories import make_party

KIND = "tests.rename"
applied = []


def _apply(request, acting_user):
    party = Party.objects.get(pk=request.object_id)
    party.name = request.payload["name"]
    party.save()
    applied.append(request.pk)


def _rows(request):
    return [("name", request.title, request.payload["name"])]


class ApprovalEngineTests(BaseTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        engine.register_kind(
            engine.ApprovalKind(
                key=KIND,
                label="Rename",
                model=Party,
                module="parties",
                conditions={"always": ("always", lambda *a: True)},
                apply=_apply,
                rows=_rows,
            )
        )

    @classmethod
    def tearDownClass(cls):
        engine._kinds.pop(KIND, None)
        super().tearDownClass()

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        from mitra.users.models import User

        cls.lead = User.objects.create_user(
            "lead", "lead@example.com", PASSWORD, role=cls.p.roles["teammate"]
        )
        cls.second = User.objects.create_user(
            "second", "second@example.com", PASSWORD, role=cls.p.roles["teammate"]
        )
        cls.p.alpha.members.add(cls.lead, cls.second)
        cls.rule = ApprovalRule.objects.create(kind=KIND, condition="always", name="Renames")
        cls.level = ApprovalLevel.objects.create(rule=cls.rule, order=1)
        cls.level.users.add(cls.lead)
        cls.party = make_party(cls.p.owner, "Acme Co")

    def setUp(self):
        applied.clear()

    def submit(self, name="Acme Renamed"):
        party = Party.objects.get(pk=self.party.pk)
        return engine.submit(KIND, party, acting_user=self.owner, payload={"name": name})

    def decide(self, user, req, decision="approve", **data):
        self.login(user)
        return self.client.post(
            reverse("approvals:decide", args=[req.public_id, decision]), data, follow=True
        )

    def name(self):
        return Party.objects.get(pk=self.party.pk).name

    # -- personas -----------------------------------------------------------------------------

    def test_the_approver_sees_and_decides_with_a_comment(self):
        req = self.submit()
        self.login(self.lead)
        r = self.client.get(reverse("approvals:list"))
        self.assertContains(r, "Acme Renamed")
        self.assertContains(r, reverse("approvals:decide", args=[req.public_id, "approve"]))
        r = self.decide(self.lead, req, note="fine by me")
        self.assertContains(r, "was applied")
        self.assertEqual(self.name(), "Acme Renamed")
        req.refresh_from_db()
        self.assertEqual(
            (req.status, req.decided_by, req.note), ("approved", self.lead, "fine by me")
        )
        log = TransitionLog.objects.get()
        self.assertEqual(
            (log.from_state, log.to_state, log.user), ("pending", "approved", self.lead)
        )

    def test_teammate_and_readonly_see_it_but_cannot_decide(self):
        req = self.submit()
        for user in (self.teammate, self.readonly):
            with self.subTest(user.username):
                self.login(user)
                r = self.client.get(reverse("approvals:detail", args=[req.public_id]))
                self.assertEqual(r.status_code, 200)
                self.assertNotContains(
                    r, reverse("approvals:decide", args=[req.public_id, "approve"])
                )
                r = self.client.post(reverse("approvals:decide", args=[req.public_id, "approve"]))
                self.assertEqual(r.status_code, 403)
        self.assertEqual(self.name(), "Acme Co")
        self.assertEqual(ApprovalRequest.objects.get().status, "pending")

    def test_an_outsider_gets_404_on_every_request_url(self):
        req = self.submit()
        task = req.tasks.get()
        self.login(self.outsider)
        urls = [
            ("get", reverse("approvals:detail", args=[req.public_id])),
            ("post", reverse("approvals:decide", args=[req.public_id, "approve"])),
            ("post", reverse("approvals:cancel", args=[req.public_id])),
            ("get", reverse("approvals:link", args=[engine.link_token(task, "approve")])),
            ("post", reverse("approvals:link", args=[engine.link_token(task, "approve")])),
        ]
        for method, url in urls:
            with self.subTest(url):
                self.assertEqual(getattr(self.client, method)(url).status_code, 404)
        self.assertEqual(self.name(), "Acme Co")

    def test_the_requester_sees_it_under_my_requests_and_may_withdraw_it(self):
        req = self.submit()
        self.login(self.owner)
        r = self.client.get(reverse("approvals:list"), {"show": "mine"})
        self.assertContains(r, "Acme Renamed")
        self.client.post(reverse("approvals:cancel", args=[req.public_id]))
        req.refresh_from_db()
        self.assertEqual(req.status, "cancelled")
        self.assertFalse(req.tasks.filter(status="pending").exists())

    # -- stale, twice, parallel, sequential, delegation ----------------------------------------

    def test_an_approval_refused_after_the_record_changed(self):
        req = self.submit()
        party = Party.objects.get(pk=self.party.pk)
        party.comments = "changed meanwhile"
        party.save()
        r = self.decide(self.lead, req)
        self.assertContains(r, "was changed after this request was made")
        self.assertEqual(self.name(), "Acme Co")
        req.refresh_from_db()
        self.assertEqual(req.status, "pending")
        self.assertEqual(applied, [])
        # Rejecting it still works.
        self.decide(self.lead, req, "reject")
        req.refresh_from_db()
        self.assertEqual(req.status, "rejected")

    def test_deciding_twice_changes_nothing(self):
        req = self.submit()
        self.decide(self.lead, req)
        r = self.decide(self.lead, req)
        self.assertContains(r, "already decided")
        r = self.decide(self.lead, req, "reject")
        self.assertContains(r, "already decided")
        req.refresh_from_db()
        self.assertEqual(req.status, "approved")
        self.assertEqual(applied, [req.pk])
        self.assertEqual(TransitionLog.objects.count(), 1)

    def test_parallel_all_needs_every_approver(self):
        self.level.mode = ApprovalLevel.Mode.ALL
        self.level.save()
        self.level.users.add(self.second)
        req = self.submit()
        r = self.decide(self.lead, req)
        self.assertContains(r, "waits for the other approvers")
        req.refresh_from_db()
        self.assertEqual(req.status, "pending")
        self.assertEqual(self.name(), "Acme Co")
        self.decide(self.second, req)
        req.refresh_from_db()
        self.assertEqual(req.status, "approved")
        self.assertEqual(self.name(), "Acme Renamed")

    def test_parallel_any_needs_one_and_the_others_are_not_needed(self):
        self.level.users.add(self.second)
        req = self.submit()
        self.decide(self.second, req)
        req.refresh_from_db()
        self.assertEqual(req.status, "approved")
        self.assertEqual(req.tasks.get(user=self.lead).status, "skipped")

    def test_levels_are_decided_in_order(self):
        second_level = ApprovalLevel.objects.create(rule=self.rule, order=2)
        second_level.users.add(self.second)
        req = self.submit()
        self.assertFalse(ApprovalTask.objects.filter(user=self.second).exists())
        self.assertEqual(self.decide(self.second, req).status_code, 403)
        self.decide(self.lead, req)
        req.refresh_from_db()
        self.assertEqual((req.status, req.level), ("pending", 2))
        self.decide(self.second, req)
        req.refresh_from_db()
        self.assertEqual(req.status, "approved")

    def test_a_delegate_decides_while_the_delegation_runs(self):
        self.login(self.lead)
        today = engine.today_plus(0)
        r = self.client.post(
            reverse("approvals:delegations"),
            {
                "to_user": self.second.pk,
                "starts": today.isoformat(),
                "ends": engine.today_plus(3).isoformat(),
            },
        )
        self.assertEqual(r.status_code, 302)
        req = self.submit()
        self.login(self.second)
        self.assertContains(self.client.get(reverse("approvals:list")), "Acme Renamed")
        self.decide(self.second, req)
        req.refresh_from_db()
        self.assertEqual(req.status, "approved")
        task = req.tasks.get()
        self.assertEqual((task.user, task.decided_by), (self.lead, self.second))

    def test_a_past_delegation_gives_nothing(self):
        engine.delegate(
            acting_user=self.lead,
            to_user=self.second,
            starts=engine.today_plus(-5),
            ends=engine.today_plus(-1),
        )
        req = self.submit()
        self.assertEqual(self.decide(self.second, req).status_code, 403)

    # -- the emailed link -----------------------------------------------------------------------

    def test_the_approver_is_emailed_signed_links(self):
        with self.captureOnCommitCallbacks(execute=True):
            req = self.submit()
        message = OutboxMessage.objects.get()
        self.assertEqual(message.to, "lead@example.com")
        token = engine.link_token(req.tasks.get(), "approve")
        self.assertIn(reverse("approvals:link", args=[token]).split("/link/")[0], message.text)
        self.assertIn("/approvals/link/", message.text)

    def test_a_link_opens_a_confirm_page_and_only_the_post_decides(self):
        req = self.submit()
        url = reverse("approvals:link", args=[engine.link_token(req.tasks.get(), "approve")])
        r = self.client.get(url)
        self.assertEqual(r.status_code, 302)  # sign in first
        self.login(self.lead)
        r = self.client.get(url)
        self.assertContains(r, "Approve this change?")
        self.assertEqual(self.name(), "Acme Co")
        r = self.client.post(url, {"note": "from my phone"})
        self.assertEqual(r.status_code, 302)
        req.refresh_from_db()
        self.assertEqual((req.status, req.note), ("approved", "from my phone"))
        self.assertContains(self.client.get(url), "already decided")

    def test_a_link_for_someone_else_cannot_decide(self):
        req = self.submit()
        url = reverse("approvals:link", args=[engine.link_token(req.tasks.get(), "approve")])
        self.login(self.teammate)
        self.assertEqual(self.client.post(url).status_code, 403)
        self.assertEqual(ApprovalRequest.objects.get().status, "pending")

    def test_a_tampered_link_is_refused_and_changes_nothing(self):
        req = self.submit()
        token = engine.link_token(req.tasks.get(), "reject")
        self.login(self.lead)
        for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "nonsense"):
            with self.subTest(bad):
                r = self.client.post(reverse("approvals:link", args=[bad]))
                self.assertContains(r, "This link is not valid", status_code=400)
        self.assertEqual(ApprovalRequest.objects.get().status, "pending")

    def test_an_expired_link_is_refused_and_changes_nothing(self):
        req = self.submit()
        url = reverse("approvals:link", args=[engine.link_token(req.tasks.get(), "approve")])
        self.login(self.lead)
        with mock.patch.object(engine, "LINK_MAX_AGE", -1):
            r = self.client.post(url)
        self.assertContains(r, "This link has expired", status_code=400)
        self.assertEqual(ApprovalRequest.objects.get().status, "pending")

    # -- lists --------------------------------------------------------------------------------

    def test_the_lists_cost_a_fixed_number_of_queries(self):
        for _i in range(3):
            self.submit()
        self.decide(self.lead, ApprovalRequest.objects.first())
        for user, show, rows in (
            (self.lead, "waiting", 2),
            (self.owner, "mine", 3),
            (self.lead, "decided", 1),
        ):
            with self.subTest(show):
                self.login(user)
                self.client.get(reverse("approvals:list"), {"show": show})  # warm caches
                # session, user + role, the page (its total rides along), messages' nothing
                with self.assertNumQueries(3):
                    r = self.client.get(reverse("approvals:list"), {"show": show})
                self.assertEqual(len(r.context["page"].object_list), rows)

    def test_the_list_query_count_per_persona(self):
        self.submit()
        url = reverse("approvals:list")
        counts = {"owner": 3, "teammate": 3, "readonly": 3, "admin": 3, "outsider": 3}
        for show in ("waiting", "mine", "decided"):
            with self.subTest(show):
                self.assertListQueries(url, counts, params={"show": show})
        self.assertListQueries(url, {"lead": 3}, params={"q": "Acme", "sort": "-created"})

    def test_an_empty_tab_says_so_and_filters_keep_the_tab(self):
        self.login(self.owner)
        r = self.client.get(reverse("approvals:list"), {"show": "mine"})
        self.assertContains(r, "You have not asked for any approval.")
        self.submit()
        r = self.client.get(reverse("approvals:list"), {"show": "mine", "q": "nomatch"})
        self.assertContains(r, 'data-list-empty="filtered"')
        r = self.client.get(reverse("approvals:list"), {"show": "mine", "q": "Acme"})
        self.assertContains(r, "Acme Renamed")


class ApprovalRuleScreenTests(BaseTestCase):
    def test_configuration_creates_a_rule_with_a_level(self):
        self.login(self.admin)
        r = self.client.post(
            reverse("approvals:rule_create"),
            {
                "name": "Every edit",
                "kind": "parties.change",
                "condition": "not_approver",
                "active": "on",
                "order": "1",
            },
        )
        rule = ApprovalRule.objects.get()
        self.assertRedirects(r, reverse("approvals:rule_edit", args=[rule.public_id]))
        r = self.client.post(
            reverse("approvals:level_create", args=[rule.public_id]),
            {"order": "1", "mode": "all", "users": [self.teammate.pk]},
        )
        self.assertEqual(r.status_code, 302)
        self.assertEqual(list(rule.levels.get().users.all()), [self.teammate])
        self.assertContains(self.client.get(reverse("approvals:rules")), "Every edit")

    def test_a_level_without_approvers_or_a_foreign_condition_is_refused(self):
        self.login(self.admin)
        r = self.client.post(
            reverse("approvals:rule_create"),
            {"name": "Odd", "kind": "parties.change", "condition": "nonsense", "order": "1"},
        )
        self.assertEqual(r.status_code, 200)
        self.assertFalse(ApprovalRule.objects.exists())
        rule = ApprovalRule.objects.create(kind="parties.change", condition="role", name="R")
        r = self.client.post(
            reverse("approvals:level_create", args=[rule.public_id]), {"order": "1", "mode": "any"}
        )
        self.assertContains(r, "Choose at least one approver.")
        self.assertFalse(rule.levels.exists())

    def test_without_the_configuration_right_the_rules_are_403(self):
        rule = ApprovalRule.objects.create(kind="parties.change", condition="role", name="R")
        for user in (self.owner, self.teammate, self.readonly):
            self.login(user)
            for url in (
                reverse("approvals:rules"),
                reverse("approvals:rule_create"),
                reverse("approvals:rule_edit", args=[rule.public_id]),
            ):
                with self.subTest(user=user.username, url=url):
                    self.assertEqual(self.client.get(url).status_code, 403)
            self.assertEqual(
                self.client.post(
                    reverse("approvals:rule_delete", args=[rule.public_id])
                ).status_code,
                403,
            )
        self.assertTrue(ApprovalRule.objects.exists())

    def test_a_configured_rule_replaces_the_built_in_one_for_party_edits(self):
        """`not_approver`: even an owner whose role has no approval switch must ask."""
        rule = ApprovalRule.objects.create(
            kind="parties.change", condition="not_approver", name="R"
        )
        ApprovalLevel.objects.create(rule=rule, order=1, team_lead=True)
        party = make_party(self.owner, "Acme Co")
        self.login(self.owner)
        from mitra.parties.tests.test_edit import edit_data

        self.client.post(
            reverse("parties:edit", args=[party.public_id]), edit_data(party, name="Acme X")
        )
        self.assertEqual(Party.objects.get(pk=party.pk).name, "Acme Co")
        req = ApprovalRequest.objects.get()
        self.assertEqual([t.user for t in req.tasks.all()], [self.teammate])  # Alpha's lead
        self.decide_as(self.teammate, req)
        self.assertEqual(Party.objects.get(pk=party.pk).name, "Acme X")

    def decide_as(self, user, req):
        self.login(user)
        self.client.post(reverse("approvals:decide", args=[req.public_id, "approve"]))


class ApprovalPagesRenderTests(BaseTestCase):
    def test_every_screen_renders_in_each_language(self):
        rule = ApprovalRule.objects.create(kind="parties.change", condition="role", name="R")
        level = ApprovalLevel.objects.create(rule=rule, order=1, team_lead=True)
        engine.delegate(
            acting_user=self.admin,
            to_user=self.teammate,
            starts=engine.today_plus(0),
            ends=engine.today_plus(1),
        )
        self.login(self.admin)
        urls = [
            reverse("approvals:delegations"),
            reverse("approvals:rules"),
            reverse("approvals:rule_create"),
            reverse("approvals:rule_edit", args=[rule.public_id]),
            reverse("approvals:level_create", args=[rule.public_id]),
            reverse("approvals:level_edit", args=[level.public_id]),
        ]
        for lang in ("en", "th", "fa"):
            self.admin.language = lang
            self.admin.save(update_fields=["language"])
            for url in urls:
                with self.subTest(lang=lang, url=url):
                    self.assertEqual(self.client.get(url).status_code, 200)
        self.assertContains(self.client.get(reverse("approvals:rules")), "قواعد تأیید")


class ApprovalRuleListTests(BaseTestCase):
    def test_the_rules_list_per_persona_and_filtered(self):
        rule = ApprovalRule.objects.create(kind="parties.change", condition="role", name="Edits")
        ApprovalLevel.objects.create(rule=rule, order=1)
        ApprovalRule.objects.create(
            kind="parties.change", condition="role", name="Old", active=False
        )
        url = reverse("approvals:rules")
        counts = {"admin": 4, "owner": None, "teammate": None, "readonly": None}
        self.assertListQueries(url, counts)
        self.login(self.admin)
        r = self.client.get(url, {"active": "1"})
        self.assertContains(r, "Edits")
        self.assertContains(r, "A change to a party")
        self.assertNotContains(r, ">Old<")
        r = self.client.get(url, {"kind": "nothing.such"}, headers={"HX-Request": "true"})
        self.assertContains(r, 'data-list-empty="filtered"')
