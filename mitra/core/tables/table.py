"""A list declared once: its columns, filters, sort orders, bulk actions and empty state.

    TEAMS = Table(
        "teams",
        columns=[Column(_("Name"), "name", sort="name"), Column(_("Lead"), "lead", optional=True)],
        filters=FilterSet(q=TextFilter("name__icontains")),
        sorts=[Sort("name", _("Name"), ["name", "id"])],
        empty=Empty("users-group", _("No teams yet."), _("No teams match these filters.")),
    )

    def team_list(request):
        listing = TEAMS.bind(request, Team.objects.visible_to(request.user))
        listing.paginate()  # keyset by the chosen sort; or listing.paginate(numbered=True)
        return listing.render("users/team_list.html", {...})

The template includes `core/_table.html` inside `{% partialdef rows %}` (the htmx
partial); an API viewset uses the same FilterSet (`filterset = TEAMS.filters`).
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.shortcuts import render
from django.utils.functional import cached_property

from . import paging, prefs
from .columns import Column
from .filters import FilterSet

# Query parameters that page, sort or lay out a list rather than filter it.
LAYOUT_PARAMS = {"page", "after", "before", "sort", "cols", paging.LAZY_TOTAL, "view"}
MAX_BULK = 500
TABLES = {}  # key -> Table: every declared list (saved views and columns find them here)


@dataclass
class Sort:
    """A sort order offered to the user: only indexed orderings, ending in a unique column
    (keyset pagination needs one)."""

    key: str
    label: str
    ordering: list


@dataclass
class BulkAction:
    """An action on the selected rows: `permission` is the module action it needs,
    `confirm` (a sentence) asks first on a page of its own."""

    key: str
    label: str
    permission: str = ""
    confirm: str = ""


@dataclass
class Empty:
    """The empty state (`core/_list_empty.html`): an icon, "nothing yet", "nothing matches"."""

    icon: str
    empty: str
    filtered: str
    create_label: str = ""
    hint: str = ""


@dataclass
class Table:
    key: str
    columns: list
    filters: FilterSet = field(default_factory=FilterSet)
    sorts: list = field(default_factory=list)
    default_sort: str = ""
    per_page: int = 50
    count: bool | str = True  # True: capped total in the page's query; "lazy": asked after
    bulk_actions: list = field(default_factory=list)
    module: str = ""  # the policy module: viewing it lets a user use the list's saved views
    empty: Empty | None = None
    url_name: str = ""  # the list's URL ("parties:list"): saved views and columns return there

    def __post_init__(self):
        if self.key in TABLES and TABLES[self.key] is not self:
            raise ValueError(f"Two lists are called {self.key!r}")
        TABLES[self.key] = self
        self.sort_map = {s.key: s for s in self.sorts}
        self.optional = [c for c in self.columns if c.optional]
        self.default_columns = [c.key for c in self.optional if c.default]

    def column(self, key):
        return next(c for c in self.columns if c.key == key)

    def bind(self, request, queryset):
        """This list for one request: filters parsed and applied to `queryset`."""
        return Listing(self, request, queryset)

    def read_bulk(self, request, *, back, choose, select):
        """(action, ids, None) of a POST from the list's bulk form, or (None, [], response)
        to return: `choose` / `select` as an error and back to `back` for an unknown action
        or no rows, the confirm page for an action declared with `confirm` (until the form
        comes back with confirmed=1). No right to the action: PermissionDenied (403)."""
        from django.contrib import messages
        from django.shortcuts import redirect

        from mitra.core.policy import is_public_id, require_module

        action = next((a for a in self.bulk_actions if a.key == request.POST.get("action")), None)
        if action is None:
            messages.error(request, choose)
            return None, [], redirect(back)
        if action.permission:
            require_module(request.user, self.module, action.permission)
        ids = [i for i in request.POST.getlist("ids") if is_public_id(i)][:MAX_BULK]
        if not ids:
            messages.error(request, select)
            return None, [], redirect(back)
        if action.confirm and request.POST.get("confirmed") != "1":
            fields = [
                (k, v)
                for k, values in request.POST.lists()
                if k not in ("csrfmiddlewaretoken", "confirmed", "ids")
                for v in values
            ]
            context = {"action": action, "ids": ids, "fields": fields, "back": back}
            return None, [], render(request, "core/tables/bulk_confirm.html", context)
        return action, ids, None

    def export_columns(self):
        return [c for c in self.columns if c.export]


class Listing:
    """A Table bound to a request (see Table.bind)."""

    def __init__(self, table, request, queryset):
        self.table = table
        self.request = request
        self.values = table.filters.parse(request, strict=False)
        self.applied = table.filters.applied(self.values)
        self.queryset = table.filters.apply(queryset, self.values, request)
        sort = request.GET.get("sort", "")
        if sort not in table.sort_map:
            sort = table.default_sort or (table.sorts[0].key if table.sorts else "")
        self.sort = sort
        self.page = None

    @property
    def ordering(self):
        return self.table.sort_map[self.sort].ordering if self.sort else ["-pk"]

    @property
    def sort_choices(self):
        return [(s.key, s.label) for s in self.table.sorts]

    @cached_property
    def saved_view(self):
        """The saved view picked (`?view=<id>`): one query, only when one is picked. A view
        the user may not see is a 404."""
        from django.http import Http404

        from mitra.core.policy import is_public_id

        from .models import SavedView

        view_id = self.request.GET.get("view", "")
        if not view_id:
            return None
        view = None
        if is_public_id(view_id):
            view = (
                SavedView.objects.visible_to(self.request.user)
                .filter(public_id=view_id, list_key=self.table.key)
                .first()
            )
        if view is None:
            raise Http404
        return view

    @cached_property
    def chosen(self):
        """The optional columns' keys the user sees (a picked view's, their preference,
        else the default)."""
        keys = [c.key for c in self.table.optional]
        view = self.saved_view
        chosen = view.columns if view and view.columns else None
        if chosen is None:
            chosen = prefs.columns_for(self.request, self.table.key)
        if chosen is None:
            chosen = self.table.default_columns
        return [k for k in keys if k in chosen]

    @cached_property
    def columns(self):
        """The columns shown, fixed and chosen, in the declaration's order."""
        chosen = set(self.chosen)
        return [c for c in self.table.columns if not c.optional or c.key in chosen]

    @property
    def column_choices(self):
        """(key, label, shown) of the optional columns, for the "Columns" menu."""
        chosen = set(self.chosen)
        return [(c.key, c.label, c.key in chosen) for c in self.table.optional]

    @cached_property
    def bulk_actions(self):
        """The declared bulk actions this user may run."""
        from mitra.core.policy import has_module_perm

        user = self.request.user
        return [
            a
            for a in self.table.bulk_actions
            if not a.permission or has_module_perm(user, self.table.module, a.permission)
        ]

    @property
    def can_bulk(self):
        return bool(self.bulk_actions)

    @property
    def filtered(self):
        return bool(self.values)

    def lazy_total(self):
        """The footer's `?list_total=1` answer for a lazily counted list, else None."""
        return paging.lazy_total(self.request, self.queryset)

    def paginate(self, queryset=None, *, numbered=False, per_page=None):
        """The page of `queryset` (default: the filtered rows) in the chosen order."""
        qs = self.queryset if queryset is None else queryset
        per_page = per_page or self.table.per_page
        if numbered:
            self.page = paging.paginate(self.request, qs.order_by(*self.ordering), per_page)
        else:
            self.page = paging.keyset_page_for(
                self.request, qs, self.ordering, per_page, count=self.table.count
            )
        return self.page

    def header_url(self, column):
        """The header's link: sort by the column, or the other way when it already is."""
        params = self.request.GET.copy()
        for name in ("after", "before", "page", paging.LAZY_TOTAL):
            params.pop(name, None)
        sort = column.sort
        if self.sort == sort:
            sort = sort[1:] if sort.startswith("-") else f"-{sort}"
        params["sort"] = sort
        return f"?{params.urlencode()}"

    @property
    def headers(self):
        return [(c, self.header_url(c) if c.sort else "") for c in self.columns]

    def rows(self):
        """(row, [cell HTML, …]) of the page, for `core/_table.html`."""
        columns = self.columns
        return [(obj, [(c, c.cell(obj)) for c in columns]) for obj in self.page.object_list]

    def query_string(self, **changes):
        params = self.request.GET.copy()
        for k, v in changes.items():
            params.pop(k, None)
            if v is not None:
                params[k] = v
        return params.urlencode()

    def filter_query(self):
        """The filters and sort as a query string (what a saved view keeps)."""
        params = [(k, v) for k, v in self.request.GET.lists() if k not in LAYOUT_PARAMS]
        flat = [(k, x) for k, vs in params for x in vs if x.strip()]
        if self.sort and self.sort != (self.table.default_sort or ""):
            flat.append(("sort", self.sort))
        return urlencode(flat)

    def context(self, **extra):
        return {
            "listing": self,
            "table": self.table,
            "page": self.page,
            "applied": self.applied,
            "sort": self.sort,
            "sort_choices": self.sort_choices,
            "columns": self.chosen,
            "column_choices": self.column_choices,
            "can_bulk": self.can_bulk,
            **extra,
        }

    def is_rows_request(self):
        htmx = getattr(self.request, "htmx", None)
        # A request for the rows names them as its target (an older caller names none).
        return bool(htmx) and htmx.target in (None, "", "rows")

    def render(self, template, context=None):
        """The page, or its `#rows` partial for htmx requests aimed at the rows."""
        self.saved_view  # noqa: B018 - a view the user may not see is a 404 before rendering
        name = f"{template}#rows" if self.is_rows_request() else template
        return render(self.request, name, self.context(**(context or {})))

    def export(self, fmt, basename, spec=None):
        """The filtered rows in the chosen order as CSV/XLSX, streamed, with the screen's
        columns (all of them, chosen or not) unless `spec` says otherwise."""
        from mitra.core.exports import ExportSpec, export_response

        spec = spec or ExportSpec(self.table.export_columns())
        return export_response(self.queryset.order_by(*self.ordering), spec, fmt, basename)


__all__ = ["BulkAction", "Column", "Empty", "Listing", "Sort", "Table"]
