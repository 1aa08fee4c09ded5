"""Consultation reminders, run by the task queue at the time each round's reminder is due."""

from __future__ import annotations

from django_tasks import task

from .services.invitations import send_due_reminders


@task()
def remind_round(round_id: int) -> None:
    """Does nothing if the round has closed, moved its dates or was already reminded."""
    send_due_reminders(round_ids=[round_id])
