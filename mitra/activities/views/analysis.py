"""Interaction analysis (C2): counts per dimension and month."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mitra.core import calendars
from mitra.core.charts import bar_spec as _bar_spec
from mitra.core.labels import localized
from mitra.core.policy import (
    Action,
    require_module,
)

from ..forms import (
    PeriodForm,
)
from ..models import (
    LOOKUP_MODULE,
    Channel,
    Interaction,
    Lookup,
)
from .common import (
    _day_range,
    _render,
)

# -- analysis (C2) --------------------------------------------------------------------------

DIMENSIONS = {
    "medium": ("medium__name", lambda: _("Advertising medium")),
    "result": ("result__name", lambda: _("Result")),
    "reason": ("reason__name", lambda: _("Reason / problem")),
    "user": ("user", lambda: _("Made by")),
    "channel": ("channel", lambda: _("Channel")),
    "products": ("products", lambda: _("Products discussed")),
}


MAX_TREND_MONTHS = 36


def _trend_periods(start, end):
    """(first day, label) of each month of [start, end] in the user's calendar, oldest first.

    The first month starts on `start` itself (a period may begin mid-month). Past
    MAX_TREND_MONTHS months the bars are years of the user's calendar instead.
    """
    y, m, _d = calendars.to_calendar(start)
    last_y, last_m, _d = calendars.to_calendar(end)
    if (last_y - y) * 12 + last_m - m + 1 > MAX_TREND_MONTHS:
        years = range(y, last_y + 1)
        firsts = [start] + [calendars.from_calendar(year, 1, 1) for year in years[1:]]
        labels = [calendars.localize_digits(str(year)) for year in years]
        return list(zip(firsts, labels, strict=True)), True
    periods = []
    while (y, m) <= (last_y, last_m):
        first = max(start, calendars.from_calendar(y, m, 1))
        periods.append((first, calendars.format_date(first, "month")))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return periods, False


@login_required
def interaction_analysis(request):
    """Counts by medium, result, reason, user, channel and product over a period (C2)."""
    require_module(request.user, "interactions", Action.VIEW)
    form = PeriodForm(request.GET or None)
    today = timezone.localdate()
    start, end = today - dt.timedelta(days=89), today
    channel = ""
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
        channel = form.cleaned_data["channel"]
    if end < start:
        start, end = end, start
    begin, finish = _day_range(start, end)
    qs = Interaction.objects.visible_to(request.user).between(begin, finish)
    if channel:
        qs = qs.filter(channel=channel)
    dim = request.GET.get("by") if request.GET.get("by") in DIMENSIONS else "medium"
    tables = []
    labels = {
        "channel": dict(Channel.choices),
    }
    # Codes are counted by their default name and shown by their label in this language.
    for kind, name, names in Lookup.objects.filter(module=LOOKUP_MODULE).values_list(
        "kind", "name", "labels"
    ):
        labels.setdefault(kind, {})[name] = localized(name, names)
    for key, (column, title) in DIMENSIONS.items():
        rows = list(
            qs.order_by().values(column).annotate(n=Count("id")).order_by("-n", column)[:20]
        )
        if key == "user":
            from mitra.users.models import User

            names = {u.pk: str(u) for u in User.objects.filter(pk__in=[r[column] for r in rows])}
            for r in rows:
                r["label"] = names.get(r[column], "—")
        else:
            for r in rows:
                value = r[column]
                r["label"] = labels.get(key, {}).get(value, value) or _("(none)")
        total = sum(r["n"] for r in rows)
        for r in rows:
            r["share"] = round(100 * r["n"] / total, 1) if total else 0
        tables.append({"key": key, "title": title(), "rows": rows, "total": total})
    current = next(t for t in tables if t["key"] == dim)
    chart = _bar_spec(current["title"], [(r["label"], r["n"]) for r in current["rows"]])
    # Month by month over the chosen period, in the user's calendar: one query with a
    # conditional count per month.
    periods, yearly = _trend_periods(start, end)
    tz = timezone.get_current_timezone()
    bounds = [dt.datetime.combine(first, dt.time(0), tzinfo=tz) for first, _label in periods]
    bounds.append(finish)
    agg = qs.aggregate(
        **{
            f"m{i}": Count(
                "id", filter=Q(occurred_at__gte=bounds[i], occurred_at__lt=bounds[i + 1])
            )
            for i in range(len(periods))
        }
    )
    trend = [(label, agg[f"m{i}"]) for i, (_first, label) in enumerate(periods)]
    trend_title = _("Interactions per year") if yearly else _("Interactions per month")
    trend_chart = _bar_spec(trend_title, trend, line=True)
    return _render(
        request,
        "activities/interaction_analysis.html",
        {
            "form": form,
            "tables": tables,
            "current": current,
            "dim": dim,
            "chart": chart,
            "trend": trend,
            "trend_chart": trend_chart,
            "trend_title": trend_title,
            "start": start,
            "end": end,
            "total": qs.count(),
        },
    )
