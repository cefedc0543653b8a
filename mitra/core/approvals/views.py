"""The approvals screens: my queue, my requests, decided; one request; the emailed link's
confirm page; delegations; and the rules (Shared configuration)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..policy import can_configure, is_public_id, require_configure
from ..workflow import transition_history
from . import actions, engine
from .forms import DecisionForm, DelegationForm, LevelForm, RuleForm
from .lists import APPROVALS, EMPTY_TEXT, RULES, SHOW_SORT, SHOWS
from .models import ApprovalLevel, ApprovalRequest, ApprovalRule, ApprovalTask, Delegation

Status = ApprovalRequest.Status


def _next_url(request, default):
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return default


def _request_for(user, public_id):
    """The request `user` may open, else 404 (its existence is not revealed)."""
    if not is_public_id(public_id):
        raise Http404
    obj = (
        engine.requests_visible_to(user)
        .filter(public_id=public_id)
        .select_related("requested_by", "decided_by")
        .first()
    )
    if obj is None:
        raise Http404
    return obj


@login_required
def approval_list(request):
    user = request.user
    listing = APPROVALS.bind(request, ApprovalRequest.objects.none())
    show = listing.values.get("show", "waiting")
    if show == "waiting":
        mine = ApprovalTask.objects.filter(
            engine.delegators_q(user), status=ApprovalTask.Status.PENDING
        ).values("request")
        qs = ApprovalRequest.objects.filter(status=Status.PENDING, pk__in=mine)
    elif show == "mine":
        qs = ApprovalRequest.objects.filter(requested_by=user)
    else:
        qs = engine.requests_visible_to(user).exclude(status=Status.PENDING)
    qs = APPROVALS.filters.apply(qs, listing.values, request)
    listing.queryset = qs.select_related("requested_by", "decided_by")
    if request.GET.get("sort") not in APPROVALS.sort_map:
        listing.sort = SHOW_SORT[show]
    page = listing.paginate()
    rows = "".join(
        render_to_string("approvals/_row.html", {"req": req, "show": show}, request=request)
        for req in page.object_list
    )
    context = {
        "show": show,
        "shows": list(SHOWS.items()),
        "can_configure": can_configure(user),
        "rows_html": mark_safe(rows),  # noqa: S308 - rendered templates, escaped
        "empty_text": EMPTY_TEXT[show],
        "empty_keep": "show",
    }
    return listing.render("approvals/list.html", context)


@login_required
def approval_detail(request, public_id):
    obj = _request_for(request.user, public_id)
    tasks = list(obj.tasks.select_related("user", "decided_by").order_by("level", "pk"))
    return render(
        request,
        "approvals/detail.html",
        {
            "req": obj,
            "tasks": tasks,
            "history": [
                (h, ApprovalRequest.workflow.transitions.get(h.transition))
                for h in transition_history(obj)
            ],
            "can_decide": engine.can_decide(obj, request.user),
            "can_cancel": obj.status == Status.PENDING and obj.requested_by_id == request.user.pk,
            "form": DecisionForm(),
        },
    )


def _decide(request, obj, decision):
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        obj = engine.decide(
            obj, acting_user=request.user, approve=decision == "approve", comment=note
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    name = obj.title
    if obj.status == Status.APPROVED:
        messages.success(request, _("The change to %(name)s was applied.") % {"name": name})
    elif obj.status == Status.REJECTED:
        messages.success(request, _("The change to %(name)s was rejected.") % {"name": name})
    else:
        messages.success(
            request, _("Your approval was recorded; the request waits for the other approvers.")
        )
    return True


@login_required
@require_POST
def approval_decide(request, public_id, decision):
    obj = _request_for(request.user, public_id)
    if decision not in ("approve", "reject"):
        raise Http404
    _decide(request, obj, decision)
    return redirect(_next_url(request, "approvals:list"))


@login_required
@require_POST
def approval_cancel(request, public_id):
    obj = _request_for(request.user, public_id)
    try:
        engine.cancel(obj, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your request was withdrawn."))
    return redirect("approvals:detail", public_id=obj.public_id)


@login_required
def approval_link(request, token):
    """An emailed approve/reject link: a GET only shows what would be decided; the decision
    is the POST of the confirm page, by a signed-in approver."""
    try:
        task, decision = engine.read_link(token)
    except engine.BadLink as exc:
        return render(request, "approvals/link.html", {"error": exc.message}, status=400)
    obj = _request_for(request.user, task.request.public_id)
    if request.method == "POST":
        if _decide(request, obj, decision):
            return redirect("approvals:detail", public_id=obj.public_id)
        obj.refresh_from_db()
    can_decide = engine.can_decide(obj, request.user)
    if obj.status == Status.PENDING and not can_decide:
        raise PermissionDenied
    return render(
        request,
        "approvals/link.html",
        {"req": obj, "decision": decision, "can_decide": can_decide, "form": DecisionForm()},
    )


# -- delegation ------------------------------------------------------------------------------


@login_required
def delegations(request):
    form = DelegationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            engine.delegate(
                acting_user=request.user,
                to_user=form.cleaned_data["to_user"],
                starts=form.cleaned_data["starts"],
                ends=form.cleaned_data["ends"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Your approvals are delegated."))
            return redirect("approvals:delegations")
    rows = Delegation.objects.filter(from_user=request.user).select_related("to_user")
    received = Delegation.objects.filter(to_user=request.user).select_related("from_user")
    return render(
        request,
        "approvals/delegations.html",
        {"form": form, "given": rows, "received": received},
    )


@login_required
@require_POST
def delegation_end(request, public_id):
    delegation = get_object_or_404(Delegation, public_id=public_id, from_user=request.user)
    engine.end_delegation(delegation, acting_user=request.user)
    messages.success(request, _("The delegation ended."))
    return redirect("approvals:delegations")


# -- rules (Shared configuration) -------------------------------------------------------------


@login_required
def rule_list(request):
    require_configure(request.user)
    rules = ApprovalRule.objects.annotate(level_count=Count("levels"))
    listing = RULES.bind(request, rules)
    listing.paginate(numbered=True)
    return listing.render(
        "approvals/rules.html", {"empty_create_url": reverse("approvals:rule_create")}
    )


@login_required
def rule_edit(request, public_id=None):
    require_configure(request.user)
    rule = (
        ApprovalRule()
        if public_id is None
        else get_object_or_404(ApprovalRule, public_id=public_id)
    )
    form = RuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_rule(form.instance, acting_user=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Rule %(name)s saved.") % {"name": rule})
            return redirect("approvals:rule_edit", public_id=rule.public_id)
    levels = rule.levels.prefetch_related("users", "roles") if rule.pk else []
    return render(
        request, "approvals/rule_form.html", {"form": form, "rule": rule, "levels": levels}
    )


@login_required
@require_POST
def rule_delete(request, public_id):
    require_configure(request.user)
    rule = get_object_or_404(ApprovalRule, public_id=public_id)
    actions.delete_rule(rule, acting_user=request.user)
    messages.success(request, _("Rule %(name)s deleted.") % {"name": rule})
    return redirect("approvals:rules")


@login_required
def level_edit(request, public_id=None, rule_id=None):
    require_configure(request.user)
    if public_id is not None:
        level = get_object_or_404(ApprovalLevel.objects.select_related("rule"), public_id=public_id)
        rule = level.rule
    else:
        rule = get_object_or_404(ApprovalRule, public_id=rule_id)
        level = ApprovalLevel(rule=rule, order=rule.levels.count() + 1)
    form = LevelForm(request.POST or None, instance=level)
    if request.method == "POST" and form.is_valid():
        actions.save_level(form, acting_user=request.user)
        messages.success(request, _("Level saved."))
        return redirect("approvals:rule_edit", public_id=rule.public_id)
    return render(
        request, "approvals/level_form.html", {"form": form, "rule": rule, "level": level}
    )


@login_required
@require_POST
def level_delete(request, public_id):
    require_configure(request.user)
    level = get_object_or_404(ApprovalLevel.objects.select_related("rule"), public_id=public_id)
    actions.delete_level(level, acting_user=request.user)
    messages.success(request, _("Level deleted."))
    return redirect("approvals:rule_edit", public_id=level.rule.public_id)
