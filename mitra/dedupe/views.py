"""Screens for duplicates (A14): the review queue, the finder button, the merge screen and
the rules an administrator sets. Mounted under /parties/ in the parties URL namespace
(`DedupeConfig.ready` extends it), with the parties chrome."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mitra.core.forms import StyledFormMixin
from mitra.core.lists import back_url
from mitra.core.policy import (
    Action,
    can,
    can_configure,
    get_for_user,
    has_module_perm,
    require_configure,
    require_module,
)
from mitra.parties.chrome import render_list
from mitra.parties.chrome import render_page as _render
from mitra.parties.duplicates import Field, duplicates_of
from mitra.parties.models import Party

from . import finder
from . import merge as merging
from .lists import DUPLICATE_RULES, DUPLICATES
from .models import DuplicatePair, DuplicateRule, DuplicateScan, Merge

MODULE = "parties"
RULES = "duplicate_rules"


# -- review queue -----------------------------------------------------------------------------


@login_required
def queue(request):
    """Pairs of parties that look like one customer, best score first."""
    require_module(request.user, MODULE, Action.EDIT)
    pairs = DuplicatePair.objects.visible_to(request.user).select_related(
        "party_a", "party_b", "resolved_by"
    )
    listing = DUPLICATES.bind(request, pairs)
    status = listing.applied.get("status")
    if status is None:  # the open pairs unless another status is asked for
        status = DuplicatePair.Status.OPEN
        listing.queryset = listing.queryset.filter(status=status)
    listing.paginate(numbered=True)
    context = {
        "status": status,
        "statuses": DuplicatePair.Status.choices,
        "scan": DuplicateScan.objects.select_related("requested_by").first(),
        "can_scan": has_module_perm(request.user, RULES, Action.EDIT),
        "can_rules": has_module_perm(request.user, RULES, Action.VIEW),
    }
    here = request.get_full_path()
    return render_list(request, listing, "dedupe/queue.html", context, row_context={"here": here})


@login_required
@require_POST
def scan(request):
    """Queue the duplicate finder over the whole database (a worker runs it)."""
    found = finder.start_scan(acting_user=request.user)
    if found.status == DuplicateScan.Status.DONE:
        messages.success(
            request, _("Duplicate search finished: %(n)s pairs to review.") % {"n": found.found}
        )
    else:
        messages.info(
            request,
            _(
                "The duplicate search is running in the background; new pairs appear here as it finishes."
            ),
        )
    return redirect("parties:duplicates")


def _pair_for(request, public_id):
    pairs = DuplicatePair.objects.select_related("party_a", "party_b")
    return get_for_user(request.user, pairs, public_id=public_id)


@login_required
@require_POST
def dismiss(request, public_id):
    pair = _pair_for(request, public_id)
    finder.dismiss_pair(pair, acting_user=request.user)
    messages.success(
        request,
        _("%(a)s and %(b)s are marked as different.") % {"a": pair.party_a, "b": pair.party_b},
    )
    return redirect(_back(request))


@login_required
@require_POST
def reopen(request, public_id):
    pair = _pair_for(request, public_id)
    finder.reopen_pair(pair, acting_user=request.user)
    return redirect(_back(request))


def _back(request):
    return back_url(request, reverse("parties:duplicates"))


# -- duplicates of one party ------------------------------------------------------------------


@login_required
def party_duplicates(request, public_id):
    """Parties the rules call duplicates of this one, each with a merge link."""
    party = get_for_user(request.user, Party, public_id=public_id)
    found = duplicates_of(request.user, party)
    return _render(
        request,
        "dedupe/party_duplicates.html",
        {"party": party, "found": found, "can_merge": can(request.user, Action.EDIT, party)},
    )


# -- merge ------------------------------------------------------------------------------------


@login_required
def merge(request, public_id, other_id):
    """Compare two parties field by field, pick each value, and merge the second into the
    first. The first is kept; "swap" exchanges the two."""
    survivor = get_for_user(request.user, Party, Action.EDIT, public_id=public_id)
    loser = get_for_user(request.user, Party, Action.DELETE, public_id=other_id)
    if survivor.pk == loser.pk:
        raise PermissionDenied
    rows = merging.merge_rows(survivor, loser)
    can_purge = can(request.user, Action.PURGE, loser)
    error = ""
    if request.method == "POST":
        take = [r["name"] for r in rows if request.POST.get(f"field_{r['name']}") == "loser"]
        delete_loser = can_purge and request.POST.get("delete_loser") == "1"
        try:
            merging.merge_parties(
                survivor, loser, acting_user=request.user, take=take, delete_loser=delete_loser
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _("%(loser)s was merged into %(survivor)s.")
                % {"loser": loser.full_name, "survivor": survivor.full_name},
            )
            return redirect("parties:detail", public_id=survivor.public_id)
        chosen = set(take)
    else:
        # Defaults: the kept party's values, and the other's where the kept one is blank.
        chosen = {r["name"] for r in rows if r["empty"]}
    for row in rows:
        row["take_loser"] = row["name"] in chosen
    pair = (
        DuplicatePair.objects.filter(
            party_a_id=min(survivor.pk, loser.pk), party_b_id=max(survivor.pk, loser.pk)
        )
        .only("score", "reasons")
        .first()
    )
    return _render(
        request,
        "dedupe/merge.html",
        {
            "survivor": survivor,
            "loser": loser,
            "rows": rows,
            "show_all": request.GET.get("all") == "1",
            "moving": merging.related_counts(loser),
            "can_purge": can_purge,
            "pair": pair,
            "error": error,
        },
    )


# -- rules ------------------------------------------------------------------------------------


class RuleForm(StyledFormMixin, forms.ModelForm):
    fields = forms.MultipleChoiceField(
        label=gettext_lazy("Fields that must all match"),
        choices=Field.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = DuplicateRule
        fields = ["name", "fields", "name_similarity", "is_active"]


@login_required
def rules(request, public_id=None):
    """The duplicate rules: list, add, edit (administrators)."""
    require_module(request.user, RULES, Action.VIEW)
    rule = None
    if public_id:
        rule = get_for_user(request.user, DuplicateRule, public_id=public_id)
    form = RuleForm(instance=rule)
    if request.method == "POST":
        require_configure(request.user)
        form = RuleForm(request.POST, instance=rule)
        if form.is_valid():
            form.save()
            messages.success(request, _("The duplicate rule was saved."))
            return redirect("parties:duplicate_rules")
    can_edit = can_configure(request.user)
    listing = DUPLICATE_RULES.bind(request, DuplicateRule.objects.all())
    listing.paginate(numbered=True)
    context = {
        "form": form,
        "rule": rule,
        "can_edit": can_edit,
        "merges": Merge.objects.select_related("survivor", "merged_by")[:10],
    }
    return render_list(
        request, listing, "dedupe/rules.html", context, row_context={"can_edit": can_edit}
    )


@login_required
@require_POST
def rule_delete(request, public_id):
    require_configure(request.user)
    rule = get_for_user(request.user, DuplicateRule, public_id=public_id)
    rule.delete()
    messages.success(request, _("The duplicate rule was deleted."))
    return redirect("parties:duplicate_rules")
