"""Plain factory functions for activity tests (records written directly, no permission checks)."""

import datetime as dt

from django.utils import timezone

from mitra.parties.models import ContactPoint, Kind, Party

from ..models import (
    Appointment,
    AppointmentTarget,
    FollowUp,
    Interaction,
    InteractionTarget,
    Lookup,
    News,
    Note,
    NoteRecipient,
    NoteTarget,
    Task,
    TaskTarget,
)


def make_party(owner, name="Acme Co", team=None, email="", **fields):
    party = Party.objects.create(
        owner=owner, team=team, kind=fields.pop("kind", Kind.ORGANISATION), name=name, **fields
    )
    if email:
        ContactPoint.objects.create(
            party=party, kind=ContactPoint.Kind.EMAIL, value=email, is_primary=True
        )
    return party


def make_lookup(kind, name, **fields):
    return Lookup.objects.get_or_create(
        module="interactions", kind=kind, name=name, defaults=fields
    )[0]


def make_interaction(owner, party=None, subject="Called about prices", **fields):
    fields.setdefault("user", owner)
    interaction = Interaction.objects.create(owner=owner, subject=subject, **fields)
    if party is not None:
        InteractionTarget.objects.create(
            interaction=interaction, party=party, at=interaction.occurred_at
        )
    return interaction


def make_appointment(owner, start=None, minutes=60, party=None, participants=None, **fields):
    start = start or timezone.now() + dt.timedelta(days=1)
    appt = Appointment.objects.create(
        owner=owner, start=start, end=start + dt.timedelta(minutes=minutes),
        subject=fields.pop("subject", "Meeting"), **fields,
    )  # fmt: skip
    appt.participants.set(participants if participants is not None else [owner])
    if party is not None:
        AppointmentTarget.objects.create(appointment=appt, party=party, at=appt.start)
    return appt


def make_task(owner, party=None, title="Install the pump", **fields):
    task = Task.objects.create(owner=owner, title=title, **fields)
    if party is not None:
        TaskTarget.objects.create(task=task, party=party, at=task.created_at)
    return task


def make_note(owner, body="Remember the invoice", recipients=(), party=None, **fields):
    note = Note.objects.create(owner=owner, body=body, **fields)
    for user in recipients:
        NoteRecipient.objects.create(note=note, user=user)
    if party is not None:
        NoteTarget.objects.create(note=note, party=party, at=note.created_at)
    return note


def make_followup(owner, party, result="Interested", **fields):
    FollowUp.objects.filter(party=party, is_current=True).update(is_current=False)
    return FollowUp.objects.create(owner=owner, party=party, result=result, **fields)


def make_news(owner, title="Sales meeting", **fields):
    return News.objects.create(
        owner=owner, title=title, body=fields.pop("body", "Monday 10:00"), **fields
    )
