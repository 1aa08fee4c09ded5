"""Background work through django-tasks (the Django 6 tasks API).

Production and `make run` use the database queue (django-tasks-db, run by `manage.py db_worker`);
tests use the immediate backend. Tasks are enqueued once the transaction that asked for them
commits, so a worker never looks for a row that is not there yet."""

from __future__ import annotations

import datetime as dt
import logging
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend

logger = logging.getLogger(__name__)
_quiet = ContextVar("quiet", default=False)


@contextmanager
def quietly():
    """Queue no tasks and send no notifications (loading demo data: nobody should get email
    about votes that closed months ago)."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def is_quiet() -> bool:
    return _quiet.get()


def enqueue_on_commit(task, *args, run_after: dt.datetime | None = None, **kwargs) -> None:
    """Enqueue `task(*args, **kwargs)` after commit, at `run_after` if given.

    A backend that cannot defer (the immediate one) runs a task that is already due and skips
    one that is not: work that must happen later also has a sweep command for such set-ups."""
    if is_quiet():
        return

    def enqueue():
        if run_after is None or run_after <= timezone.now():
            task.enqueue(*args, **kwargs)
        elif default_task_backend.supports_defer:
            task.using(run_after=run_after).enqueue(*args, **kwargs)
        else:
            logger.debug("%s not deferred: the task backend cannot defer", task.name)

    # robust: the change is committed; a queue that cannot take the task must not make it a 500.
    transaction.on_commit(enqueue, robust=True)
