"""Stored files whose fate follows the database rows that name them.

A file is written to storage before the row that names it is committed, and storage takes no part in the
transaction. So a file saved in a transaction that then fails, or a file whose row is deleted, would stay
on disk with nothing pointing at it (for an identity scan: personal data nobody can reach or purge).
These helpers tie the file to the outcome of the transaction."""

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse

log = logging.getLogger(__name__)


def files_delete(names: Iterable[str], storage=None) -> None:
    """Delete the stored files `names` (empty names skipped; a file already gone is no error)."""
    storage = storage or default_storage
    for name in names:
        if not name:
            continue
        try:
            storage.delete(name)
        except Exception:  # storage unreachable: log the name (a random path, no personal data) to clean later
            log.exception("stored file %s could not be deleted", name)


def files_delete_on_commit(names: Iterable[str], storage=None) -> None:
    """Delete the stored files `names` once the current transaction commits (at once outside one), so a
    rolled-back delete keeps the files its rows still name."""
    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: files_delete(names, storage), robust=True)


@contextmanager
def atomic_with_files() -> Iterator[list[str]]:
    """`transaction.atomic()` that yields a list: append the name of every file stored inside the block, and
    those files are deleted if the block does not commit (an exception inside it rolls it back).

    When the block runs inside an outer transaction, a later rollback of that outer transaction is not seen
    here: callers that store files (request intake) run as the outermost transaction of their request."""
    stored: list[str] = []
    try:
        with transaction.atomic():
            yield stored
    except BaseException:
        files_delete(stored)
        raise


def stored_file_response(file, *, filename: str, content_type: str, inline: bool = False) -> FileResponse:
    """A stored file as an HTTP answer that a browser can never run as a page of the portal: a download by
    default, sandboxed and never re-typed by the browser, whatever the file holds."""
    response = FileResponse(file, as_attachment=not inline, filename=filename, content_type=content_type)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response
