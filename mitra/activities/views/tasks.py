"""Tasks (C5): list, board, create, detail, edit, close, steps, delete."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mitra.core.exports import FORMATS, ExportSpec
from mitra.core.idempotency import create_once
from mitra.core.lists import back_url as _safe_next
from mitra.core.policy import (
    Action,
    get_for_user,
    has_module_perm,
    require_module,
)
from mitra.core.versioning import StaleEdit, check_version

from .. import actions
from ..forms import (
    CloseTaskForm,
    StepForm,
    TaskFilterForm,
    TaskForm,
    TaskStatusForm,
)
from ..lists import TASKS
from ..models import (
    Task,
    TaskStatus,
    TaskTarget,
)
from .common import (
    _attachments_context,
    _parties_of,
    _party_from_query,
    _party_targets,
    _render,
    _rights,
    save_edit,
    save_new_from_party,
)

# -- tasks (C5) -----------------------------------------------------------------------------


def _task_queryset(request, view):
    qs = Task.objects.visible_to(request.user)
    if view == "created":
        return qs.filter(owner=request.user)
    if view == "team":
        return qs
    return qs.filter(assignee=request.user)


def _task_rows(qs, user=None):
    return qs.select_related("assignee", "team").prefetch_related(_party_targets(TaskTarget, user))


@login_required
def task_list(request):
    """ "My tasks": assigned to me (or created by me, or my team's), open first by due date."""
    require_module(request.user, "tasks", Action.VIEW)
    if request.GET.get("view") in ("mine", "created", "team"):
        # Before the list had saved views (`?view=<id>`), "show" was called "view".
        params = request.GET.copy()
        params["show"] = params.pop("view")[0]
        return redirect(f"{reverse('activities:tasks')}?{params.urlencode()}")
    form = TaskFilterForm(request.GET or None)
    form.is_valid()
    listing = _task_listing(request)
    listing.paginate(_task_rows(listing.queryset, request.user), numbered=True)
    return listing.render(
        "activities/task_list.html",
        {
            "form": form,
            "view": listing.values.get("show", "mine"),
            "now": timezone.now(),
            "can_create": has_module_perm(request.user, "tasks", Action.CREATE),
            "can_export": has_module_perm(request.user, "tasks", Action.EXPORT),
        },
    )


def _task_listing(request):
    """The task list with the screen's defaults, which the API does not have: my tasks,
    the open ones."""
    listing = TASKS.bind(request, Task.objects.visible_to(request.user))
    if "show" not in listing.values:
        listing.queryset = listing.queryset.filter(assignee=request.user)
    if "status" not in listing.values:
        listing.queryset = listing.queryset.open()
    return listing


@login_required
def task_export(request, fmt):
    """The filtered tasks as CSV or Excel, in the list's order."""
    require_module(request.user, "tasks", Action.EXPORT)
    if fmt not in FORMATS:
        raise Http404
    listing = _task_listing(request)
    spec = ExportSpec(
        TASKS.export_columns(),
        select_related=["assignee", "team"],
        prefetch_related=[_party_targets(TaskTarget)],
    )
    return listing.export(fmt, "tasks", spec)


BOARD_LIMIT = 100


@login_required
def task_board(request):
    """Columns by status; drag a card to change its status (htmx POST), or use its menu."""
    require_module(request.user, "tasks", Action.VIEW)
    view = (
        request.GET.get("view")
        if request.GET.get("view") in ("mine", "created", "team")
        else "mine"
    )
    since = timezone.now() - dt.timedelta(days=14)
    qs = _task_queryset(request, view).filter(
        Q(status__in=[s for s in TaskStatus.values if s not in ("done", "cancelled")])
        | Q(closed_at__gte=since)
    )
    tasks = list(
        _task_rows(qs).order_by(F("due_at").asc(nulls_last=True), "-priority", "pk")[
            : BOARD_LIMIT + 1
        ]
    )
    truncated = len(tasks) > BOARD_LIMIT
    columns = [{"status": s, "label": label, "tasks": []} for s, label in TaskStatus.choices]
    by_status = {c["status"]: c for c in columns}
    for task in tasks[:BOARD_LIMIT]:
        by_status[task.status]["tasks"].append(task)
    return _render(
        request,
        "activities/task_board.html",
        {
            "columns": columns,
            "view": view,
            "truncated": truncated,
            "statuses": TaskStatus.choices,
            "now": timezone.now(),
            "can_edit": has_module_perm(request.user, "tasks", Action.EDIT),
            "can_create": has_module_perm(request.user, "tasks", Action.CREATE),
        },
    )


@login_required
@require_POST
def task_status(request, public_id):
    """Change a task's status: the board's drag (htmx) or the card's small form."""
    task = get_for_user(request.user, Task, Action.EDIT, public_id=public_id)
    form = TaskStatusForm(request.POST)
    if not form.is_valid():
        if request.htmx:
            return HttpResponse(_("Unknown status."), status=400)
        messages.error(request, _("Unknown status."))
        return redirect(_safe_next(request, reverse("activities:task_board")))
    stale = None
    try:
        check_version(task, form.cleaned_data["version"])
        actions.set_task_status(task, form.cleaned_data["status"], acting_user=request.user)
    except StaleEdit as exc:
        stale = _("%(summary)s The task is shown as it is now.") % {"summary": exc.summary()}
        if not request.htmx:
            messages.error(request, stale)
    except ValidationError as exc:
        if request.htmx:
            return HttpResponse(" ".join(exc.messages), status=400)
        messages.error(request, " ".join(exc.messages))
    if request.htmx:
        task.refresh_from_db()
        response = _render(
            request,
            "activities/task_board.html#card",
            {
                "task": task,
                "statuses": TaskStatus.choices,
                "now": timezone.now(),
                "can_edit": True,
                "stale": stale,
            },
        )
        if stale:
            response.status_code = 409  # the card as it is now; board.js puts it back
        return response
    return redirect(_safe_next(request, reverse("activities:task_board")))


@login_required
@create_once
def task_create(request):
    require_module(request.user, "tasks", Action.CREATE)
    party = _party_from_query(request)
    form = TaskForm(request.POST or None, user=request.user, parties=[party] if party else None)

    def save(data):
        parties = data.pop("parties")
        steps = data.pop("steps")
        return actions.create_task(acting_user=request.user, parties=parties, steps=steps, **data)

    return save_new_from_party(
        request, form, save, kind="task", plural="tasks", party=party,
        message=_("The task was created."), title=_("New task"),
    )  # fmt: skip


@login_required
def task_detail(request, public_id):
    task = get_for_user(
        request.user,
        Task.objects.select_related("assignee", "team", "owner", "rework_of"),
        public_id=public_id,
    )
    rights = _rights(request.user, task)
    reworks = list(Task.objects.visible_to(request.user).filter(rework_of=task))
    return _render(
        request,
        "activities/task_detail.html",
        {
            "obj": task,
            "steps": list(task.steps.select_related("done_by")),
            "parties": _parties_of(task, TaskTarget, "task", request.user),
            "reworks": reworks,
            "rights": rights,
            "close_form": CloseTaskForm() if rights[Action.EDIT] and task.is_open else None,
            "step_form": StepForm() if rights[Action.EDIT] else None,
            "statuses": TaskStatus.choices,
            **_attachments_context(request, "task", task),
        },
    )


@login_required
def task_edit(request, public_id):
    task = get_for_user(request.user, Task, Action.EDIT, public_id=public_id)
    parties = _parties_of(task, TaskTarget, "task")
    form = TaskForm(request.POST or None, instance=task, user=request.user, parties=parties)

    def save(data):
        new_parties = data.pop("parties")
        if not task.is_open:
            data.pop("status", None)
        actions.update_task(task, acting_user=request.user, parties=new_parties, **data)
        return task

    return save_edit(
        request, form, save, kind="task", obj=task,
        message=_("The task was saved."), title=_("Edit task"),
        context={"party_picker": True},
    )  # fmt: skip


@login_required
@require_POST
def task_close(request, public_id):
    task = get_for_user(request.user, Task, Action.EDIT, public_id=public_id)
    cancel = request.POST.get("cancel") == "1"
    form = CloseTaskForm(request.POST)
    if not cancel and not form.is_valid():
        messages.error(request, _("Choose whether the task succeeded or failed."))
        return redirect("activities:task_detail", public_id=task.public_id)
    try:
        actions.close_task(
            task,
            acting_user=request.user,
            result=form.cleaned_data.get("result", "") if not cancel else "",
            note=form.cleaned_data.get("note", "") if form.is_valid() else "",
            cancel=cancel,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("activities:task_detail", public_id=task.public_id)
    if task.rework is not None:
        messages.warning(
            request,
            _("The task failed; a rework task was opened: %(title)s") % {"title": task.rework},
        )
        return redirect("activities:task_detail", public_id=task.rework.public_id)
    messages.success(request, _("The task was closed."))
    return redirect("activities:task_detail", public_id=task.public_id)


@login_required
@require_POST
def task_step_add(request, public_id):
    task = get_for_user(request.user, Task, Action.EDIT, public_id=public_id)
    form = StepForm(request.POST)
    if form.is_valid():
        actions.add_step(task, form.cleaned_data["title"], acting_user=request.user)
    else:
        messages.error(request, _("Write what the step is."))
    return _steps_response(request, task)


@login_required
@require_POST
def task_step_toggle(request, public_id, step_id):
    return _step_action(request, public_id, step_id, actions.toggle_step)


@login_required
@require_POST
def task_step_delete(request, public_id, step_id):
    return _step_action(request, public_id, step_id, actions.delete_step)


def _step_action(request, public_id, step_id, action):
    """Run `action` on one step of a task the user may edit; 404 for a step not of it."""
    task = get_for_user(request.user, Task, Action.EDIT, public_id=public_id)
    step = task.steps.filter(pk=step_id).first()
    if step is None:
        raise Http404
    step.task = task
    action(step, acting_user=request.user)
    return _steps_response(request, task)


def _steps_response(request, task):
    if request.htmx:
        return _render(
            request,
            "activities/task_detail.html#steps",
            {
                "obj": task,
                "steps": list(task.steps.select_related("done_by")),
                "rights": {Action.EDIT: True},
                "step_form": StepForm(),
            },
        )
    return redirect("activities:task_detail", public_id=task.public_id)


@login_required
@require_POST
def task_delete(request, public_id):
    task = get_for_user(request.user, Task, Action.DELETE, public_id=public_id)
    actions.delete_task(task, acting_user=request.user)
    messages.success(request, _("The task was deleted."))
    return redirect(_safe_next(request, reverse("activities:tasks")))
