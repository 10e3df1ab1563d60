"""Reads of the library: the public search, the DIP, one document for the public or for an officer."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When, Window
from django.db.models.functions import Left
from django.http import Http404

from documents_app.models import Category, Document, DocumentStatus
from opd_app.models import Role
from opd_app.permissions import scope_to_user
from ppid_portal.prepared import execute_prepared

SEARCH_CONFIG = "ppid_indonesian"
HEADLINE_OPTIONS = {"start_sel": "«", "stop_sel": "»", "max_words": 35, "min_words": 15, "max_fragments": 2,
                    "fragment_delimiter": " … "}
# ts_headline re-parses the text on every row: bound it (the first 200,000 characters hold enough context).
HEADLINE_CHARS = 200_000
# How many (id, rank) pairs the count query also returns: the first pages (API 50 a page, library 20) then
# need no second ranking pass.
RANKS_WITH_COUNT = 100
SEARCH_ORDER = ("-rank", "-published_at", "-id")


class RankedSearchQuerySet(QuerySet):
    """The PostgreSQL search result: a plain queryset (its SQL defines the results) whose `count()` and slices,
    the two things a paginator asks, are answered without sorting full-width rows.

    The full query sorts every matching row with all its columns (extracted_text for the headline, the OPD and
    case joins) before the LIMIT; at 100,000 documents that sort spills to disk, and the paginator's COUNT
    scans the matches a second time. Here one narrow query ranks (id, rank) only, ordered and limited in
    PostgreSQL, and returns the total with a window count in the same scan; a second query loads the page's
    rows (wide columns, joins) and computes ts_headline for those rows only, by primary key.
    Any other use (filter, iteration, an index) falls back to the ordinary queryset.
    """

    _ranking = None  # set by document_search on the instance it returns; clones are ordinary querysets
    _page_rows = None

    def _ranked(self, start: int, stop: int | None, *, with_count: bool) -> list[tuple]:
        ranking = self._ranking
        if with_count:
            ranking = ranking.annotate(total=Window(Count("pk")))
            rows = list(ranking.values_list("pk", "rank", "total")[start:stop])
            self._total = rows[0][2] if rows else 0
            return [row[:2] for row in rows]
        return list(ranking.values_list("pk", "rank")[start:stop])

    def count(self) -> int:
        if self._ranking is None or self._result_cache is not None:
            return super().count()
        if getattr(self, "_total", None) is None:
            self._head = self._ranked(0, RANKS_WITH_COUNT, with_count=True)
        return self._total

    def __getitem__(self, k):
        if self._ranking is None or self._result_cache is not None or not isinstance(k, slice) or k.step:
            return super().__getitem__(k)
        start, stop = k.start or 0, k.stop
        if start < 0 or (stop is not None and stop < 0):
            return super().__getitem__(k)
        head = getattr(self, "_head", None)
        head_is_all = head is not None and len(head) < RANKS_WITH_COUNT
        if head is not None and (head_is_all or (stop is not None and stop <= len(head))):
            ranked = head[start:stop]
        else:
            ranked = self._ranked(start, stop, with_count=False)
        if not ranked:
            return []
        rows = self._page_rows.in_bulk([pk for pk, _rank in ranked])
        page = []
        for pk, rank in ranked:
            document = rows.get(pk)
            if document is not None:  # unpublished between the two queries
                document.rank = rank
                page.append(document)
        return page


def _filters(qs: QuerySet, *, opd: str = "", category: str = "") -> QuerySet:
    if opd:
        qs = qs.filter(opd__code=opd.strip().upper())
    if category:
        qs = qs.filter(category=category if category in Category.values else "-")
    return qs


def document_search(*, q: str = "", opd: str = "", category: str = "") -> QuerySet:
    """Published documents matching `q`, best first (a title match outranks a summary or body match).

    PostgreSQL: full text with the `ppid_indonesian` configuration (Snowball Indonesian stemming, accents
    folded), websearch syntax ("frasa", -kata, atau), ranked with ts_rank over weights A/B/C and highlighted
    with ts_headline into `headline`. Elsewhere (SQLite in development): icontains on each word, no headline.
    """
    qs = _filters(Document.objects.published().select_related("opd", "case"), opd=opd, category=category)
    q = (q or "").strip()[:200]
    if not q:
        return qs.order_by("-published_at", "-id")
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank

        query = SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG)
        rank = SearchRank(F("search_vector"), query, weights=[0.1, 0.2, 0.4, 1.0])
        headline = SearchHeadline(Left("extracted_text", HEADLINE_CHARS), query, config=SEARCH_CONFIG,
                                  **HEADLINE_OPTIONS)
        full = qs.annotate(rank=rank).filter(search_vector=query).annotate(headline=headline).order_by(*SEARCH_ORDER)
        result = RankedSearchQuerySet(model=Document, query=full.query, using=full.db)
        narrow = _filters(Document.objects.published(), opd=opd, category=category)
        result._ranking = narrow.annotate(rank=rank).filter(search_vector=query).order_by(*SEARCH_ORDER)
        # The page's rows: never sorted, extracted_text and search_vector read by ts_headline only, not loaded.
        result._page_rows = qs.annotate(headline=headline).defer("extracted_text", "search_vector").order_by()
        return result
    words = q.split()[:8]
    for word in words:
        qs = qs.filter(Q(title__icontains=word) | Q(summary__icontains=word) | Q(extracted_text__icontains=word))
    # A crude rank: documents whose title holds the first word come first.
    title_hit = Case(When(title__icontains=words[0], then=Value(1)), default=Value(0), output_field=IntegerField())
    return qs.annotate(title_hit=title_hit).order_by("-title_hit", "-published_at", "-id")


@dataclass
class SearchPage:
    """One page of full-text results: the total number of matches and the page's rows (dicts with the list
    columns, the OPD's code and name, the case's registration number, `rank` and `headline`)."""

    total: int
    rows: list[dict]


_SEARCH_PAGE_SQL = """
WITH ranked AS (
  SELECT d.id, d.published_at, ts_rank('{{0.1,0.2,0.4,1.0}}'::float4[], d.search_vector, query) AS rank,
         count(*) OVER () AS total
  FROM documents_app_document d, websearch_to_tsquery(%(config)s::regconfig, %(q)s::text) query
  WHERE d.status = %(published)s::text AND d.search_vector @@ query {filters}
  ORDER BY rank DESC, d.published_at DESC, d.id DESC
  LIMIT %(limit)s::bigint OFFSET %(offset)s::bigint)
SELECT r.total, r.rank, d.id, d.title, d.summary,
       (SELECT o.code FROM opd_app_opd o WHERE o.id = d.opd_id),
       (SELECT o.name FROM opd_app_opd o WHERE o.id = d.opd_id),
       d.category, d.published_at, d.original_filename, d.content_type, d.size,
       (SELECT c.registration_number FROM requests_app_case c WHERE c.id = d.case_id),
       ts_headline(%(config)s::regconfig, left(d.extracted_text, %(headline_chars)s::integer),
                   websearch_to_tsquery(%(config)s::regconfig, %(q)s::text), %(headline_options)s::text)
FROM ranked r JOIN documents_app_document d ON d.id = r.id
ORDER BY r.rank DESC, r.published_at DESC, r.id DESC"""
_SEARCH_PAGE_COLUMNS = ("total", "rank", "id", "title", "summary", "opd", "opd_name", "category", "published_at",
                        "original_filename", "content_type", "size", "registration_number", "headline")


def _headline_options() -> str:
    """HEADLINE_OPTIONS as ts_headline's options string."""
    names = {"start_sel": "StartSel", "stop_sel": "StopSel", "max_words": "MaxWords", "min_words": "MinWords",
             "max_fragments": "MaxFragments", "fragment_delimiter": "FragmentDelimiter"}
    return ", ".join(f"{names[k]}=\"{v}\"" if isinstance(v, str) else f"{names[k]}={v}"
                     for k, v in HEADLINE_OPTIONS.items())


_HEADLINE_OPTIONS_TEXT = _headline_options()  # built once, not per search


def document_search_page(*, q: str, opd: str = "", category: str = "", offset: int = 0,
                         limit: int = 50) -> SearchPage | None:
    """One page of the public full-text search in ONE statement (PostgreSQL): the narrow ranking of (id, rank)
    with its window count, limited in PostgreSQL, joined back to the page's rows for their columns and their
    ts_headline. The same results, order and headline as `document_search`, at one round trip instead of two
    and without building ORM querysets and model instances per request (measured in bench/: the rare-word search
    sat at 9x its raw full-text query). None when this is not PostgreSQL or `q` is empty: callers fall back
    to `document_search`. A page past the last one has no rows; its total is then counted separately."""
    q = (q or "").strip()[:200]
    if not q or connection.vendor != "postgresql":
        return None
    filters, params = [], {"config": SEARCH_CONFIG, "q": q, "published": DocumentStatus.PUBLISHED,
                           "limit": limit, "offset": offset, "headline_chars": HEADLINE_CHARS,
                           "headline_options": _HEADLINE_OPTIONS_TEXT}
    if opd:
        filters.append("AND d.opd_id = (SELECT id FROM opd_app_opd WHERE code = %(opd)s::text)")
        params["opd"] = opd.strip().upper()
    if category:
        filters.append("AND d.category = %(category)s::text")
        params["category"] = category if category in Category.values else "-"
    # Four statement texts (with or without each filter), each prepared once per connection: planning this
    # statement cost more than running it for a rare word (measured in bench/).
    name = f"ppid_search_page_{int(bool(opd))}{int(bool(category))}"
    with connection.cursor() as cur:
        execute_prepared(cur, name, _SEARCH_PAGE_SQL.format(filters=" ".join(filters)), params)
        rows = [dict(zip(_SEARCH_PAGE_COLUMNS, row, strict=True)) for row in cur.fetchall()]
    if rows:
        return SearchPage(total=rows[0]["total"], rows=rows)
    total = 0 if offset == 0 else document_search(q=q, opd=opd, category=category).count()
    return SearchPage(total=total, rows=[])


def document_get_public(document_id) -> Document:
    """A published document; drafts and withdrawn documents do not exist for the public (404)."""
    document = Document.objects.published().select_related("opd", "case").filter(pk=document_id).first()
    if document is None:
        raise Http404("No such document")
    return document


def documents_for(user) -> QuerySet:
    """Every document (any status) of the OPDs the officer works for; all of them for PPID Utama."""
    return scope_to_user(user, Document.objects.select_related("opd", "case"), roles=(Role.PELAKSANA, Role.ATASAN))


def document_get_for(user, document_id) -> Document:
    """One document an officer may manage; another OPD's document is 404, never 403."""
    document = documents_for(user).filter(pk=document_id).first()
    if document is None:
        raise Http404("No such document")
    return document


def document_get_visible(user, document_id) -> Document:
    """Published for everyone; drafts and withdrawn documents only for the officers who manage them."""
    document = Document.objects.select_related("opd", "case").filter(pk=document_id).first()
    if document is None:
        raise Http404("No such document")
    if document.status == DocumentStatus.PUBLISHED:
        return document
    return document_get_for(user, document_id)


def dip_rows(*, opd: str = "", category: str = "") -> QuerySet:
    """The Daftar Informasi Publik: published documents grouped by OPD, then category, then title."""
    return _filters(Document.objects.published().select_related("opd", "case"), opd=opd, category=category).order_by(
        "opd__name", "category", "title", "id"
    )
