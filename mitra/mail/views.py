from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models.functions import Left
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mitra.core.outbox import Channel
from mitra.core.policy import Action, can, get_for_user, has_module_perm, require_module

from . import actions
from .lists import OUTBOX
from .models import OutboxMessage


@login_required
def outbox_list(request):
    require_module(request.user, "mail", Action.VIEW)
    qs = (
        OutboxMessage.objects.visible_to(request.user)
        .select_related("party")
        .defer("text", "html", "attachments")
        .annotate(preview=Left("text", 100))  # an SMS has no subject: its text stands in
    )
    listing = OUTBOX.bind(request, qs)
    page = listing.paginate()
    can_retry = has_module_perm(request.user, "mail", Action.EDIT)
    for message in page.object_list:
        message.show_retry = can_retry and message.can_retry
    context = {
        "q": listing.applied.get("q", ""),
        "status": listing.applied.get("status", ""),
        "statuses": OutboxMessage.Status.choices,
        "channel": listing.applied.get("channel", ""),
        "channels": Channel.choices,
        "can_retry": can_retry,
    }
    return listing.render("mail/outbox_list.html", context)


@login_required
def outbox_detail(request, public_id):
    message = get_for_user(
        request.user,
        OutboxMessage.objects.select_related("party", "created_by"),
        public_id=public_id,
    )
    return render(
        request,
        "mail/outbox_detail.html",
        {
            "message": message,
            "log": message.log.select_related("user")[:100],
            "can_retry": message.can_retry and can(request.user, Action.EDIT, message),
        },
    )


@login_required
@require_POST
def outbox_retry(request, public_id):
    message = get_for_user(request.user, OutboxMessage, Action.EDIT, public_id=public_id)
    if actions.retry_message(message, acting_user=request.user):
        messages.success(request, _("The message is queued again."))
    else:
        messages.info(request, _("Only a failed message can be sent again."))
    nxt = request.POST.get("next", "")
    if nxt == "list":
        return redirect("mail:list")
    return redirect("mail:detail", public_id=message.public_id)
