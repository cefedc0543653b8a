"""The standard URL patterns of one record kind (not a URLconf: a helper URLconfs call).

`record_urls(views, "task", actions=("status",))` gives, for `<prefix>` = "tasks/":

    tasks/                           views.task_list     name "tasks"
    tasks/new/                       views.task_create   name "task_create"
    tasks/<uuid:public_id>/          views.task_detail   name "task_detail"
    tasks/<uuid:public_id>/edit/     views.task_edit     name "task_edit"
    tasks/<uuid:public_id>/delete/   views.task_delete   name "task_delete"
    tasks/<uuid:public_id>/status/   views.task_status   name "task_status"

`plural` names the list (and is the default prefix), `new="edit"` serves `new/` with the
edit view (one view that creates and edits), `detail=False` leaves the detail page out, `actions` adds a POST endpoint per record (`<kind>_<action>`), and `extra` adds the
kind's other patterns (as `(suffix, view, name)`) under the same prefix.
"""

from django.urls import path


def record_urls(
    views, kind, *, plural=None, prefix=None, new="create", detail=True, actions=(), extra=()
):
    plural = plural or f"{kind}s"
    prefix = f"{prefix or plural}/"
    one = f"{prefix}<uuid:public_id>/"

    def view(name):
        return getattr(views, f"{kind}_{name}")

    patterns = [
        path(prefix, view("list"), name=plural),
        path(f"{prefix}new/", view(new), name=f"{kind}_create"),
    ]
    patterns += [path(f"{prefix}{suffix}", func, name=name) for suffix, func, name in extra]
    if detail:
        patterns.append(path(one, view("detail"), name=f"{kind}_detail"))
    for action in ("edit", "delete", *actions):
        patterns.append(path(f"{one}{action}/", view(action), name=f"{kind}_{action}"))
    return patterns
