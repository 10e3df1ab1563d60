"""Side effects go to Celery through here, by task name, so a service never imports a tasks module (the tasks
import the services they call; the reverse import would close a cycle).

A broker that is down never fails the caller's work: the enqueue is logged and `on_failure` runs, so the
caller can leave what it wanted done where its own re-send path finds it (the outbox, the deadline ledger,
a document scan left pending).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterable, Sequence

from django.db import transaction

log = logging.getLogger(__name__)


def task_named(name: str):
    """The registered Celery task `name` ("<module>.<function>"), importing its module if no one has yet (a web
    process imports no tasks module by itself)."""
    from ppid_portal.celery import app

    if name not in app.tasks:
        importlib.import_module(name.rpartition(".")[0])
    return app.tasks[name]


def enqueue(task_name: str, args: Sequence = (), kwargs: dict | None = None, *, options: dict | None = None,
            on_failure: Callable[[], object] | None = None) -> bool:
    """Send one task message now. False (logged, `on_failure` called) when the broker is unavailable."""
    task = task_named(task_name)
    try:
        if options:
            task.apply_async(tuple(args), kwargs or {}, **options)
        else:
            task.delay(*args, **(kwargs or {}))
        return True
    except Exception as exc:
        log.warning("broker unavailable (%s); %s not queued", exc.__class__.__name__, task_name)
        if on_failure is not None:
            on_failure()
        return False


def enqueue_many(task_name: str, arg_lists: Iterable[Sequence], *,
                 on_failure: Callable[[], object] | None = None) -> bool:
    """Send one message per argument list over one broker connection (a sweep's batches). Eagerly run tasks
    (development, tests) run one by one. False (logged, `on_failure` called) when the broker is unavailable."""
    task = task_named(task_name)
    arg_lists = [tuple(a) for a in arg_lists]
    if not arg_lists:
        return True
    try:
        if task.app.conf.task_always_eager:
            for args in arg_lists:
                task.delay(*args)
            return True
        with task.app.producer_or_acquire() as producer:
            for args in arg_lists:
                task.apply_async(args, producer=producer)
        return True
    except Exception as exc:
        log.warning("broker unavailable (%s); %d %s messages not queued", exc.__class__.__name__, len(arg_lists),
                    task_name)
        if on_failure is not None:
            on_failure()
        return False


def enqueue_on_commit(task_name: str, args: Sequence = (), kwargs: dict | None = None, *,
                      options: dict | None = None, on_failure: Callable[[], object] | None = None) -> None:
    """enqueue() once the current transaction commits (at once outside one), so a worker never reads rows that
    are not there yet, and a rolled-back action sends nothing."""
    transaction.on_commit(lambda: enqueue(task_name, args, kwargs, options=options, on_failure=on_failure))

