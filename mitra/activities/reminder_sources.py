"""What activities tell the reminders engine is due (C8).

Registered from ActivitiesConfig.ready() when mitra.reminders is installed. Each source is
`collect(*, now, until)` yielding `Due(user_id, key, object_ref, due_at, title, url)`;
the engine keeps one reminder per (user, key, object_ref, due_at), so yielding the same
item on every run never duplicates it.
"""

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import (
    OPEN_STATUSES,
    Appointment,
    FollowUp,
    News,
    Note,
    NoteRecipient,
    Task,
)

# How far back a source looks for things that were due and are not done yet.
NEWS_WINDOW = dt.timedelta(days=3)
NOTES_WINDOW = dt.timedelta(days=30)
APPOINTMENT_LOOKAHEAD = dt.timedelta(days=8)


def _due_class():
    from mitra.reminders.registry import Due

    return Due


def _in(language, func, *args):
    """`func(*args)` with `language` active, so titles read in the user's language."""
    with translation.override(language or "en"):
        return func(*args)


def overdue_tasks(*, now, until=None, **_kw):
    """Open tasks past (or within the lead time of) their due time, for the assignee."""
    Due = _due_class()
    limit = until or now
    qs = (
        Task.objects.filter(status__in=OPEN_STATUSES, due_at__lte=limit)
        .select_related("assignee", "owner")
        .only("id", "public_id", "title", "due_at", "assignee__language", "owner__language",
              "assignee_id", "owner_id")
    )  # fmt: skip
    for task in qs.iterator(chunk_size=2000):
        person = task.assignee or task.owner
        yield Due(
            person.pk,
            "activities.tasks",
            f"task:{task.pk}",
            task.due_at,
            _in(person.language, lambda t=task: _("Task due: %(title)s") % {"title": t.title}),
            reverse("activities:task_detail", args=[task.public_id]),
        )


def followups_due(*, now, until=None, **_kw):
    """The next date of each party's current follow-up, for its owner (a whole-day item)."""
    Due = _due_class()
    last_day = timezone.localdate(until or now)
    qs = (
        FollowUp.objects.due(last_day)
        .select_related("owner", "party")
        .only("id", "next_date", "owner__language", "owner_id", "party__name", "party__public_id")
    )
    for f in qs.iterator(chunk_size=2000):
        yield Due(
            f.owner_id,
            "activities.followups",
            f"followup:{f.pk}",
            f.next_date,
            _in(
                f.owner.language,
                lambda f=f: _("Follow up with %(party)s") % {"party": f.party.name},
            ),
            reverse("activities:followup_chain", args=[f.party.public_id]),
        )


def upcoming_appointments(*, now, until=None, **_kw):
    """Appointments whose reminder time (start − reminder minutes) has come, per participant."""
    Due = _due_class()
    qs = (
        Appointment.objects.active()
        .filter(
            reminder_minutes__isnull=False,
            start__gt=now,
            start__lte=now + APPOINTMENT_LOOKAHEAD,
        )
        .prefetch_related("participants")
        .select_related("owner")
    )
    for appt in qs:
        # The appointment's own reminder time decides, not the user's lead time in days.
        if appt.start - dt.timedelta(minutes=appt.reminder_minutes) > now:
            continue
        people = {p.pk: p for p in appt.participants.all()} or {appt.owner_id: appt.owner}
        for person in people.values():
            yield Due(
                person.pk,
                "activities.appointments",
                f"appointment:{appt.pk}",
                appt.start,
                _in(
                    person.language,
                    lambda a=appt: _("Appointment: %(subject)s") % {"subject": a.subject},
                ),
                reverse("activities:appointment_detail", args=[appt.public_id]),
            )


def news_posts(*, now, until=None, **_kw):
    """New posts, for everyone in their audience but the author."""
    Due = _due_class()
    from mitra.users.models import Team, User

    posts = list(
        News.objects.filter(published_at__lte=now, published_at__gte=now - NEWS_WINDOW).only(
            "id", "public_id", "title", "published_at", "audience_team_id", "owner_id"
        )
    )
    if not posts:
        return
    staff = list(
        User.objects.filter(is_active=True)
        .filter(Q(role__isnull=False) | Q(is_superuser=True))
        .only("id", "language")
    )
    members = {}
    team_ids = {p.audience_team_id for p in posts if p.audience_team_id}
    for team_id, user_id in Team.members.through.objects.filter(team_id__in=team_ids).values_list(
        "team_id", "user_id"
    ):
        members.setdefault(team_id, set()).add(user_id)
    for post in posts:
        audience = (
            staff
            if post.audience_team_id is None
            else [u for u in staff if u.pk in members.get(post.audience_team_id, ())]
        )
        url = reverse("activities:news_detail", args=[post.public_id])
        for user in audience:
            if user.pk == post.owner_id:
                continue
            yield Due(
                user.pk,
                "activities.news",
                f"news:{post.pk}",
                post.published_at,
                _in(user.language, lambda p=post: _("News: %(title)s") % {"title": p.title}),
                url,
            )


def unread_notes(*, now, until=None, **_kw):
    """Notes sent to a user and not read yet; and personal notes whose remind date came."""
    Due = _due_class()
    deliveries = (
        NoteRecipient.objects.filter(
            read_at__isnull=True,
            note__status=Note.Status.ACTIVE,
            note__created_at__gte=now - NOTES_WINDOW,
        )
        .select_related("note", "note__owner", "user")
        .only(
            "id", "user_id", "user__language", "note__id", "note__public_id", "note__title",
            "note__body", "note__created_at", "note__owner__first_name",
            "note__owner__last_name", "note__owner__username",
        )
    )  # fmt: skip
    for d in deliveries.iterator(chunk_size=2000):
        note = d.note
        yield Due(
            d.user_id,
            "activities.notes",
            f"note:{note.pk}",
            note.created_at,
            _in(
                d.user.language,
                lambda n=note: (
                    _("Note from %(user)s: %(title)s") % {"user": n.owner, "title": str(n)[:80]}
                ),
            ),
            reverse("activities:note_detail", args=[note.public_id]),
        )
    today = timezone.localdate(now)
    own = Note.objects.filter(
        status=Note.Status.ACTIVE, remind_on__isnull=False, remind_on__lte=today
    ).select_related("owner")
    for note in own.iterator(chunk_size=2000):
        yield Due(
            note.owner_id,
            "activities.notes",
            f"note-remind:{note.pk}",
            note.remind_on,
            _in(note.owner.language, lambda n=note: _("Note: %(title)s") % {"title": str(n)[:80]}),
            reverse("activities:note_detail", args=[note.public_id]),
        )


def register():
    from mitra.reminders.registry import register_source

    register_source(
        "activities.tasks", gettext_lazy("Overdue tasks"), overdue_tasks, auto_resolve=True
    )
    register_source(
        "activities.followups",
        gettext_lazy("Follow-ups due"),
        followups_due,
        auto_resolve=True,
    )
    register_source(
        "activities.appointments", gettext_lazy("Upcoming appointments"), upcoming_appointments
    )
    register_source("activities.news", gettext_lazy("Organisation news"), news_posts)
    register_source("activities.notes", gettext_lazy("Notes"), unread_notes, auto_resolve=True)
