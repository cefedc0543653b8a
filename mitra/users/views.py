import base64
import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from mitra.core.lists import back_url
from mitra.core.policy import (
    Action,
    can,
    get_for_user,
    has_module_perm,
    require_module,
)

from . import actions
from .forms import ApiKeyForm, PreferencesForm, RoleForm, TeamForm, TotpConfirmForm, UserForm
from .lists import API_KEYS, ROLES, TEAMS, USERS
from .middleware import forget_device_flag
from .models import ApiKey, Role, Team, User


def _edit_or_new(request, model, module, public_id):
    """The record an edit screen works on: the user's own to edit (404 otherwise), or a new
    one where the user may create in `module` (403 otherwise)."""
    if public_id:
        return get_for_user(request.user, model, Action.EDIT, public_id=public_id)
    require_module(request.user, module, Action.CREATE)
    return model()


def _create_link(request, module, url_name):
    """A list's "new" button and empty-state link, for a user who may create in `module`."""
    create = has_module_perm(request.user, module, Action.CREATE)
    return {"can_create": create, "empty_create_url": reverse(url_name) if create else ""}


@login_required
def user_list(request):
    require_module(request.user, "users", Action.VIEW)
    listing = USERS.bind(request, User.objects.visible_to(request.user).select_related("role"))
    listing.paginate(numbered=True)
    context = {
        "q": listing.applied.get("q", ""),
        "roles": Role.objects.all(),
        "teams": Team.objects.visible_to(request.user),
        **_create_link(request, "users", "users:create"),
    }
    return listing.render("users/user_list.html", context)


@login_required
def user_detail(request, public_id):
    target = get_for_user(request.user, User.objects.select_related("role"), public_id=public_id)
    return render(
        request,
        "users/user_detail.html",
        {
            "target": target,
            "teams": target.teams.all(),
            "can_edit": can(request.user, Action.EDIT, target),
            "can_activate": can(request.user, Action.ACTIVATE, target)
            and target.pk != request.user.pk,
        },
    )


@login_required
def user_edit(request, public_id=None):
    target = _edit_or_new(request, User, "users", public_id)
    form = UserForm(request.POST or None, instance=target)
    if request.method == "POST" and form.is_valid():
        user = actions.save_user(form, acting_user=request.user)
        messages.success(request, _("User %(name)s saved.") % {"name": user})
        return redirect("users:detail", public_id=user.public_id)
    return render(request, "users/user_form.html", {"form": form, "target": target})


@login_required
@require_POST
def user_set_active(request, public_id):
    target = get_for_user(request.user, User, Action.ACTIVATE, public_id=public_id)
    active = request.POST.get("active") == "1"
    actions.set_user_active(target, active, acting_user=request.user)
    if active:
        messages.success(request, _("%(name)s can sign in again.") % {"name": target})
    else:
        messages.success(
            request, _("%(name)s is deactivated and can no longer sign in.") % {"name": target}
        )
    return redirect("users:detail", public_id=target.public_id)


# -- teams ---------------------------------------------------------------------------


@login_required
def team_list(request):
    require_module(request.user, "teams", Action.VIEW)
    listing = TEAMS.bind(request, Team.objects.visible_to(request.user).select_related("lead"))
    page = listing.paginate(numbered=True)
    # One query for all member counts instead of one per row.
    counts = dict(
        Team.objects.filter(pk__in=[t.pk for t in page.object_list])
        .annotate(n=Count("members"))
        .values_list("pk", "n")
    )
    for team in page.object_list:
        team.member_count = counts.get(team.pk, 0)
    context = {
        "q": listing.applied.get("q", ""),
        **_create_link(request, "teams", "users:team_create"),
    }
    return listing.render("users/team_list.html", context)


@login_required
def team_edit(request, public_id=None):
    team = _edit_or_new(request, Team, "teams", public_id)
    form = TeamForm(request.POST or None, instance=team)
    form.fields["lead"].queryset = User.objects.filter(is_active=True)
    form.fields["members"].queryset = User.objects.filter(is_active=True)
    if request.method == "POST" and form.is_valid():
        team = actions.save_team(form, acting_user=request.user)
        messages.success(request, _("Team %(name)s saved.") % {"name": team})
        return redirect("users:team_detail", public_id=team.public_id)
    return render(request, "users/team_form.html", {"form": form, "team": team})


@login_required
def team_detail(request, public_id):
    team = get_for_user(request.user, Team.objects.select_related("lead"), public_id=public_id)
    return render(
        request,
        "users/team_detail.html",
        {
            "team": team,
            "members": team.members.select_related("role"),
            "can_edit": can(request.user, Action.EDIT, team),
            "can_delete": can(request.user, Action.DELETE, team),
        },
    )


@login_required
@require_POST
def team_delete(request, public_id):
    team = get_for_user(request.user, Team, Action.DELETE, public_id=public_id)
    actions.delete_team(team, acting_user=request.user)
    messages.success(request, _("Team %(name)s deleted.") % {"name": team})
    return redirect("users:teams")


# -- roles ---------------------------------------------------------------------------


@login_required
def role_list(request):
    require_module(request.user, "roles", Action.VIEW)
    roles = Role.objects.visible_to(request.user).annotate(user_count=Count("users"))
    listing = ROLES.bind(request, roles)
    listing.paginate(numbered=True)
    context = {
        **_create_link(request, "roles", "users:role_create"),
    }
    return listing.render("users/role_list.html", context)


@login_required
def role_edit(request, public_id=None):
    role = _edit_or_new(request, Role, "roles", public_id)
    form = RoleForm(request.POST or None, instance=role)
    if request.method == "POST" and form.is_valid():
        role = actions.save_role(form, acting_user=request.user)
        messages.success(request, _("Role %(name)s saved.") % {"name": role})
        return redirect("users:role_edit", public_id=role.public_id)
    return render(
        request,
        "users/role_form.html",
        {
            "form": form,
            "role": role,
            "can_delete": bool(role.pk) and can(request.user, Action.DELETE, role),
        },
    )


@login_required
@require_POST
def role_delete(request, public_id):
    role = get_for_user(request.user, Role, Action.DELETE, public_id=public_id)
    try:
        actions.delete_role(role, acting_user=request.user)
    except ValueError:
        messages.error(request, _("This role is held by users. Give them another role first."))
        return redirect("users:role_edit", public_id=role.public_id)
    messages.success(request, _("Role %(name)s deleted.") % {"name": role})
    return redirect("users:roles")


# -- the signed-in user's own settings ----------------------------------------------------


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save(commit=False)
        user._history_user = request.user
        user.save()
        response = redirect("preferences")
        # Keep the cookie in step so the sign-in page speaks the same language.
        response.set_cookie(
            "mitra_language", user.language, max_age=365 * 24 * 3600, samesite="Lax"
        )
        messages.success(request, _("Preferences saved."))
        return response
    return render(request, "users/preferences.html", {"form": form, "today": timezone.localdate()})


@login_required
def api_keys(request):
    form = ApiKeyForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _key, new_key = actions.issue_api_key(form.cleaned_data["name"], acting_user=request.user)
        form = ApiKeyForm()
    listing = API_KEYS.bind(request, ApiKey.objects.filter(user=request.user))
    listing.paginate(numbered=True)
    return listing.render("users/api_keys.html", {"form": form, "new_key": new_key})


@login_required
@require_POST
def api_key_revoke(request, public_id):
    try:
        key = ApiKey.objects.get(public_id=public_id, user=request.user)
    except ApiKey.DoesNotExist:
        from django.http import Http404

        raise Http404 from None
    actions.revoke_api_key(key, acting_user=request.user)
    messages.success(request, _("API key revoked."))
    return redirect("api_keys")


# -- two-factor sign-in ----------------------------------------------------------------


def _qr_svg(uri):
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@login_required
def two_factor(request):
    """Set up (or remove) an authenticator app for the signed-in user."""
    confirmed = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if confirmed:
        return render(request, "users/two_factor.html", {"device": confirmed})
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "authenticator"}
    )
    form = TotpConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        from mitra.core.calendars import to_latin_digits

        if device.verify_token(to_latin_digits(form.cleaned_data["token"]).strip()):
            device.confirmed = True
            device.save()
            otp_login(request, device)
            forget_device_flag(request)
            messages.success(request, _("Two-factor sign-in is on."))
            return redirect("two_factor")
        form.add_error(
            "token", _("That code is not right. Check your phone's clock and try again.")
        )
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "users/two_factor.html",
        {
            "form": form,
            "qr": _qr_svg(device.config_url),
            "secret": secret,
            "required": request.user.two_factor_required,
        },
    )


@login_required
@require_POST
def two_factor_disable(request):
    if request.user.two_factor_required:
        raise PermissionDenied
    TOTPDevice.objects.filter(user=request.user).delete()
    forget_device_flag(request)
    messages.success(request, _("Two-factor sign-in is off."))
    return redirect("two_factor")


@login_required
def two_factor_verify(request):
    """Second step of sign-in for users with an authenticator."""
    next_url = back_url(request, reverse("home"))
    if request.user.is_verified() or not user_has_device(request.user):
        return redirect(next_url)
    form = TotpConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        from mitra.core.calendars import to_latin_digits

        token = to_latin_digits(form.cleaned_data["token"]).strip()
        for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
            if device.verify_token(token):
                otp_login(request, device)
                return redirect(next_url)
        form.add_error(
            "token", _("That code is not right. Check your phone's clock and try again.")
        )
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": next_url})


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True
