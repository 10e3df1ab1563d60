"""A page of a list answered from hand-written SQL, shaped exactly like DRF's PageNumberPagination output.

The hottest lists (the public search, the officer queue's default view) read their page with one or two
hand-written statements instead of ORM querysets (measured in bench/). `page_response` keeps the contract the
same: `count`, `next`, `previous` (absolute URLs, page 2's `previous` without the parameter), `results`, 404 for a
page that is not a number or lies past the end. `fetch(offset, limit)` returns (total, rows) or None, and None
sends the request down the generic path (so does `page=last`).
"""

from collections.abc import Callable

from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

# Far below where the OFFSET (page × size) would overflow PostgreSQL's bigint, and past the end of any list here:
# a bigger number is a 404 like any other page past the end.
MAX_PAGE = 10**9


def page_number(raw: str) -> int | None:
    """The page number a query parameter names: ASCII digits only (str.isdigit also takes "²" and other digits
    int() refuses), 1 to MAX_PAGE; None for anything else."""
    if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(MAX_PAGE)):
        return None
    number = int(raw)
    return number if 1 <= number <= MAX_PAGE else None


def page_response(view, request, fetch: Callable[..., tuple[int, list] | None],
                  shape: Callable[[list], list]) -> Response | None:
    paginator = view.paginator
    raw = request.query_params.get(paginator.page_query_param) or "1"
    if raw in paginator.last_page_strings:
        return None
    number = page_number(raw)
    if number is None:
        raise NotFound(paginator.invalid_page_message)
    size = paginator.get_page_size(request)
    found = fetch(offset=(number - 1) * size, limit=size)
    if found is None:
        return None
    total, rows = found
    if number > 1 and not rows:
        raise NotFound(paginator.invalid_page_message)
    url = request.build_absolute_uri()
    key = paginator.page_query_param
    return Response({
        "count": total,
        "next": replace_query_param(url, key, number + 1) if number * size < total else None,
        "previous": (None if number == 1 else remove_query_param(url, key) if number == 2
                     else replace_query_param(url, key, number - 1)),
        "results": shape(rows),
    })
