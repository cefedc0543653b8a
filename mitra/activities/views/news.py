"""News (C7): list, publish, read, edit, delete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mitra.core.idempotency import create_once
from mitra.core.policy import (
    Action,
    can,
    get_for_user,
    has_module_perm,
    require_module,
)

from .. import actions
from ..forms import (
    NewsForm,
)
from ..lists import NEWS
from ..models import (
    News,
)
from .common import (
    _render,
    save_edit,
    save_form,
)

# -- news (C7) ------------------------------------------------------------------------------


@login_required
def news_list(request):
    require_module(request.user, "news", Action.VIEW)
    qs = News.objects.visible_to(request.user).for_audience(request.user).published()
    listing = NEWS.bind(request, qs)
    listing.paginate(listing.queryset.select_related("owner", "audience_team"), numbered=True)
    return listing.render(
        "activities/news_list.html",
        {
            "kind": listing.values.get("kind", ""),
            "kinds": News.Kind.choices,
            "can_create": has_module_perm(request.user, "news", Action.CREATE),
        },
    )


@login_required
@create_once
def news_create(request):
    require_module(request.user, "news", Action.CREATE)
    form = NewsForm(request.POST or None, user=request.user)
    return save_form(
        request, form, lambda data: actions.post_news(acting_user=request.user, **data),
        message=_("The news was posted."),
        success_url=lambda obj: reverse("activities:news_detail", args=[obj.public_id]),
        title=_("Post news"), back=reverse("activities:news"),
    )  # fmt: skip


@login_required
def news_detail(request, public_id):
    news = get_for_user(
        request.user, News.objects.select_related("owner", "audience_team"), public_id=public_id
    )
    is_author = news.owner_id == request.user.pk or request.user.is_superuser
    return _render(
        request,
        "activities/news_detail.html",
        {
            "obj": news,
            "can_edit": is_author and can(request.user, Action.EDIT, news),
            "can_delete": is_author and can(request.user, Action.DELETE, news),
        },
    )


@login_required
def news_edit(request, public_id):
    news = get_for_user(request.user, News, Action.EDIT, public_id=public_id)
    if news.owner_id != request.user.pk and not request.user.is_superuser:
        raise PermissionDenied

    def save(data):
        actions.update_news(news, acting_user=request.user, **data)
        return news

    return save_edit(
        request, NewsForm(request.POST or None, instance=news, user=request.user), save,
        kind="news", obj=news,
        message=_("The news was saved."), title=_("Edit news"),
    )  # fmt: skip


@login_required
@require_POST
def news_delete(request, public_id):
    news = get_for_user(request.user, News, Action.DELETE, public_id=public_id)
    actions.delete_news(news, acting_user=request.user)
    messages.success(request, _("The news was deleted."))
    return redirect("activities:news")
