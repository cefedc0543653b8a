"""The number series screen (`/numbering/`): each registered series with its pattern,
calendar and the number it gives next; "Shared configuration" edits a pattern with a
preview. The series themselves are `core.numbering`."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .forms import StyledFormMixin
from .numbering import CodeSequence, NumberSeries, registry, series
from .policy import require_configure
from .tables import Column, Empty, Table


def peek(numbering, on=None):
    """The number `numbering` would give next for a document dated `on` (today), without
    taking it."""
    on = on or timezone.localdate()
    value = (
        CodeSequence.objects.filter(name=numbering.key, period=numbering.period(on))
        .values_list("value", flat=True)
        .first()
    )
    return numbering.format((value or 0) + 1, on)


class NumberSeriesForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = NumberSeries
        fields = ["pattern", "calendar"]
        help_texts = {
            "pattern": gettext_lazy(
                "{seq} is the counter ({seq:05} pads it to five digits); {year} and {yy} "
                "are the year in the chosen calendar, and the counter restarts each year."
            )
        }


@transaction.atomic
def save_series(numbering, *, acting_user):
    """Store an edited series (pattern checked again, version compared)."""
    require_configure(acting_user)
    numbering.full_clean(exclude=["key"])
    numbering._history_user = acting_user
    numbering.save()
    return numbering


def _link(row):
    return format_html(
        '<a href="{}">{}</a>', reverse("numbering:edit", args=[row["key"]]), row["label"]
    )


SERIES = Table(
    "number-series",
    columns=[
        Column(gettext_lazy("Document"), "label", render=_link),
        Column(gettext_lazy("Pattern"), "pattern",
               render=lambda r: format_html('<code class="ltr">{}</code>', r["pattern"])),
        Column(gettext_lazy("Calendar"), "calendar_label", key="calendar"),
        Column(gettext_lazy("Next number"), "next",
               render=lambda r: format_html('<bdi class="ltr">{}</bdi>', r["next"])),
    ],
    per_page=100,
    empty=Empty("numbers", gettext_lazy("No app numbers its documents yet."),
                gettext_lazy("No number series matches these filters.")),
    url_name="numbering:list",
)  # fmt: skip


@login_required
def series_list(request):
    require_configure(request.user)
    stored = {s.key: s for s in NumberSeries.objects.filter(key__in=list(registry))}
    today = timezone.localdate()
    counters = {
        (c.name, c.period): c.value
        for c in CodeSequence.objects.filter(name__in=list(registry))
    }  # fmt: skip
    rows = []
    for key, declared in sorted(registry.items(), key=lambda kv: str(kv[1].label)):
        numbering = stored.get(key) or NumberSeries(
            key=key, pattern=declared.pattern, calendar=declared.calendar
        )
        value = counters.get((key, numbering.period(today)), 0)
        rows.append({
            "key": key, "label": declared.label, "pattern": numbering.pattern,
            "calendar_label": numbering.get_calendar_display(),
            "next": numbering.format(value + 1, today),
        })  # fmt: skip
    listing = SERIES.bind(request, rows)
    listing.page = Paginator(rows, SERIES.per_page).get_page(request.GET.get("page"))
    return listing.render("core/numbering_list.html")


@login_required
def series_edit(request, key):
    require_configure(request.user)
    declared = registry.get(key)
    if declared is None:
        raise Http404
    numbering = series(key)
    form = NumberSeriesForm(request.POST or None, instance=numbering)
    preview = ""
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = peek(form.instance)
        else:
            try:
                save_series(form.instance, acting_user=request.user)
            except ValidationError as exc:
                for field, errors in exc.update_error_dict({}).items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request, _("Number series %(name)s saved.") % {"name": declared.label}
                )
                return redirect("numbering:list")
    # What is stored (a rejected or previewed form changed only its own copy).
    current = numbering if request.method == "GET" else NumberSeries.objects.get(key=key)
    context = {
        "form": form,
        "label": declared.label,
        "current": current,
        "next": peek(current),
        "preview": preview,
    }
    return render(request, "core/numbering_form.html", context)


app_name = "numbering"
urlpatterns = [
    path("", series_list, name="list"),
    path("<slug:key>/", series_edit, name="edit"),
]
