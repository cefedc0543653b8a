"""The screens every list shares: its columns menu and its saved views.

A saved view is its owner's, or shared with one of their teams; anyone else gets a 404 on
its URL. Picking a view opens the list with the view's filters and sort in the address and
`?view=<id>` for its columns.
"""

from urllib.parse import parse_qsl, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mitra.core.lists import back_url
from mitra.core.policy import Action, is_public_id, require_module
from mitra.core.versioning import parse_version

from . import actions, prefs
from .models import SavedView, Visibility
from .table import LAYOUT_PARAMS, TABLES


def _table(request, key):
    table = TABLES.get(key)
    if table is None or not table.url_name:
        raise Http404
    if table.module:
        require_module(request.user, table.module, Action.VIEW)
    return table


def _view(request, public_id):
    if not is_public_id(str(public_id)):
        raise Http404
    view = SavedView.objects.visible_to(request.user).filter(public_id=public_id).first()
    if view is None or view.list_key not in TABLES:
        raise Http404
    return view, _table(request, view.list_key)


def _teams(user):
    # The team model through the saved view's foreign key: core does not import users.
    Team = SavedView._meta.get_field("team").related_model
    return Team.objects.filter(pk__in=user.team_ids()).order_by("name")


def view_url(view, table):
    query = view.query
    if view.sort:
        query = urlencode([*parse_qsl(query), ("sort", view.sort)])
    sep = "&" if query else ""
    return f"{reverse(table.url_name)}?{query}{sep}view={view.public_id}"


@login_required
@require_POST
def list_columns(request, key):
    """The "Columns" menu of list `key`: the user's choice, kept (None resets it)."""
    table = _table(request, key)
    values = None if request.POST.get("reset") else request.POST.getlist("cols")
    prefs.save_columns(request, table, values)
    return redirect(back_url(request, reverse(table.url_name)))


@login_required
def saved_views(request, key):
    """The list's saved views (the user's and their teams'): pick, rename, delete; and
    "save the current view" (POST) from the list's own address in `next`."""
    table = _table(request, key)
    if request.method == "POST":
        return _save_view(request, table)
    views = list(SavedView.objects.visible_to(request.user).for_list(key).select_related("owner"))
    for v in views:
        v.url = view_url(v, table)
        v.mine = v.owner_id == request.user.pk
    template = "core/tables/saved_views.html"
    if request.htmx:
        template += "#menu"
    return render(
        request,
        template,
        {
            "table": table,
            "views": views,
            "list_url": reverse(table.url_name),
            "teams": _teams(request.user),
            "visibilities": Visibility.choices,
            "next": back_url(request, reverse(table.url_name)),
        },
    )


def _save_view(request, table):
    back = back_url(request, reverse(table.url_name))
    path, _q, query = back.partition("?")
    params = [(k, v) for k, v in parse_qsl(query) if k not in LAYOUT_PARAMS]
    sort = dict(parse_qsl(query)).get("sort", "")
    if sort not in table.sort_map:
        sort = ""
    columns = prefs.columns_for(request, table.key)
    if columns is None:
        columns = table.default_columns
    team_id = request.POST.get("team", "")
    team = _teams(request.user).filter(public_id=team_id).first() if is_public_id(team_id) else None
    try:
        view = actions.save_view(
            acting_user=request.user, list_key=table.key, name=request.POST.get("name", ""),
            query=urlencode(params), sort=sort, columns=columns,
            visibility=request.POST.get("visibility", Visibility.PRIVATE), team=team,
        )  # fmt: skip
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(back)
    messages.success(request, _("View “%(name)s” saved.") % {"name": view.name})
    return redirect(view_url(view, table))


@login_required
def view_open(request, public_id):
    view, table = _view(request, public_id)
    return redirect(view_url(view, table))


@login_required
def view_edit(request, public_id):
    view, table = _view(request, public_id)
    if view.owner_id != request.user.pk:
        raise PermissionDenied
    errors = []
    if request.method == "POST":
        team_id = request.POST.get("team", "")
        teams = _teams(request.user)
        team = teams.filter(public_id=team_id).first() if is_public_id(team_id) else None
        try:
            actions.rename_view(
                view, acting_user=request.user, name=request.POST.get("name", ""),
                visibility=request.POST.get("visibility") or None, team=team,
                version=parse_version(request.POST.get("version")),
            )  # fmt: skip
        except ValidationError as exc:
            errors = exc.messages
            view.refresh_from_db()
        else:
            messages.success(request, _("View “%(name)s” saved.") % {"name": view.name})
            return redirect("core_lists:views", key=table.key)
    return render(
        request,
        "core/tables/view_form.html",
        {
            "view": view,
            "table": table,
            "errors": errors,
            "teams": _teams(request.user),
            "visibilities": Visibility.choices,
        },
    )


@login_required
def view_delete(request, public_id):
    """GET asks to confirm; POST deletes."""
    view, table = _view(request, public_id)
    if view.owner_id != request.user.pk:
        raise PermissionDenied
    if request.method == "POST":
        actions.delete_view(view, acting_user=request.user)
        messages.success(request, _("View “%(name)s” deleted.") % {"name": view.name})
        return redirect("core_lists:views", key=table.key)
    return render(request, "core/tables/view_delete.html", {"view": view, "table": table})
