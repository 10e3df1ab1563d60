"""The public search of published documents, in one place: the index (what is weighted how), the ranking, the
headline, the filters, and the two ways of running them, which must answer alike.

- `document_search`: a queryset, for the library page and the API's generic list (paginated by Django/DRF).
- `document_search_page`: one page of the same results in ONE prepared statement, rows as dicts without ORM
  instances, for the API's full-text list (it is benchmarked against the raw full-text query in bench/).
The statement is written out from the definitions below (configuration, weights, order, headline options, table
names), not restated; tests/documents_app/test_search.py holds the two to the same answers.

PostgreSQL: full text with the `ppid_indonesian` configuration (migration 0002: Snowball Indonesian stemming,
accents folded), websearch syntax ("frasa", -kata, atau). Elsewhere (SQLite in development): `icontains` on each
word with a crude title-first order and no headline; `document_search_page` then declines and callers use
`document_search`.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When, Window
from django.db.models.functions import Left

from documents_app.models import Category, Document, DocumentStatus
from opd_app.models import OPD
from ppid_portal.prepared import execute_prepared

SEARCH_CONFIG = "ppid_indonesian"
# What the index holds, by weight: a title match outranks a summary match, which outranks one in the text.
INDEXED_FIELDS = (("title", "A"), ("summary", "B"), ("extracted_text", "C"))
# ts_rank's weights, in its order {D, C, B, A}.
RANK_WEIGHTS = (0.1, 0.2, 0.4, 1.0)
HEADLINE_OPTIONS = {"start_sel": "«", "stop_sel": "»", "max_words": 35, "min_words": 15, "max_fragments": 2,
                    "fragment_delimiter": " … "}
# ts_headline re-parses the text on every row: bound it (the first 200,000 characters hold enough context).
HEADLINE_CHARS = 200_000
# How many (id, rank) pairs the count query also returns: the first pages (API 50 a page, library 20) then
# need no second ranking pass.
RANKS_WITH_COUNT = 100
SEARCH_ORDER = ("-rank", "-published_at", "-id")
QUERY_MAX_CHARS = 200  # longer input is cut, never refused here (the API refuses it before, with a message)
FALLBACK_MAX_WORDS = 8


def full_text_available() -> bool:
    """PostgreSQL full text; anything else searches with the icontains fallback."""
    return connection.vendor == "postgresql"


def clean_query(q: str) -> str:
    return (q or "").strip()[:QUERY_MAX_CHARS]


def clean_opd(opd: str) -> str:
    return (opd or "").strip().upper()


def clean_category(category: str) -> str:
    """An unknown category matches nothing (it is not ignored)."""
    return category if category in Category.values else "-"


def filter_documents(qs: QuerySet, *, opd: str = "", category: str = "") -> QuerySet:
    """The search's and the DIP's filters: an OPD by code, a category."""
    if opd:
        qs = qs.filter(opd__code=clean_opd(opd))
    if category:
        qs = qs.filter(category=clean_category(category))
    return qs


def search_vector(document: Document):
    """The value the index holds for `document` (written by document_index): each field of INDEXED_FIELDS at its
    weight, in SEARCH_CONFIG."""
    from django.contrib.postgres.search import SearchVector

    vector = None
    for name, weight in INDEXED_FIELDS:
        part = SearchVector(Value(getattr(document, name)), weight=weight, config=SEARCH_CONFIG)
        vector = part if vector is None else vector + part
    return vector


# ------------------------------------------------------------------------------------------ the queryset
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


def document_search(*, q: str = "", opd: str = "", category: str = "") -> QuerySet:
    """Published documents matching `q`, best first; without `q`, newest first. PostgreSQL: ranked with ts_rank
    over RANK_WEIGHTS and highlighted with ts_headline into `headline`. Elsewhere: `fallback_search`."""
    qs = filter_documents(Document.objects.published().select_related("opd", "case"), opd=opd, category=category)
    q = clean_query(q)
    if not q:
        return qs.order_by("-published_at", "-id")
    if not full_text_available():
        return fallback_search(qs, q)
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank

    query = SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG)
    rank = SearchRank(F("search_vector"), query, weights=list(RANK_WEIGHTS))
    headline = SearchHeadline(Left("extracted_text", HEADLINE_CHARS), query, config=SEARCH_CONFIG,
                              **HEADLINE_OPTIONS)
    full = qs.annotate(rank=rank).filter(search_vector=query).annotate(headline=headline).order_by(*SEARCH_ORDER)
    result = RankedSearchQuerySet(model=Document, query=full.query, using=full.db)
    narrow = filter_documents(Document.objects.published(), opd=opd, category=category)
    result._ranking = narrow.annotate(rank=rank).filter(search_vector=query).order_by(*SEARCH_ORDER)
    # The page's rows: never sorted, extracted_text and search_vector read by ts_headline only, not loaded.
    result._page_rows = qs.annotate(headline=headline).defer("extracted_text", "search_vector").order_by()
    return result


def fallback_search(qs: QuerySet, q: str) -> QuerySet:
    """Without full text (SQLite): every word (the first few) in the title, summary or text; documents whose
    title holds the first word first, then newest first."""
    words = q.split()[:FALLBACK_MAX_WORDS]
    for word in words:
        qs = qs.filter(Q(title__icontains=word) | Q(summary__icontains=word) | Q(extracted_text__icontains=word))
    title_hit = Case(When(title__icontains=words[0], then=Value(1)), default=Value(0), output_field=IntegerField())
    return qs.annotate(title_hit=title_hit).order_by("-title_hit", "-published_at", "-id")


# ------------------------------------------------------------------------------------------ the one statement
@dataclass
class SearchPage:
    """One page of full-text results: the total number of matches and the page's rows (dicts with the list
    columns, the OPD's code and name, the case's registration number, `rank` and `headline`)."""

    total: int
    rows: list[dict]


SEARCH_PAGE_COLUMNS = ("total", "rank", "id", "title", "summary", "opd", "opd_name", "category", "published_at",
                       "original_filename", "content_type", "size", "registration_number", "headline")


def headline_options_text() -> str:
    """HEADLINE_OPTIONS as ts_headline's options string."""
    names = {"start_sel": "StartSel", "stop_sel": "StopSel", "max_words": "MaxWords", "min_words": "MinWords",
             "max_fragments": "MaxFragments", "fragment_delimiter": "FragmentDelimiter"}
    return ", ".join(f"{names[k]}=\"{v}\"" if isinstance(v, str) else f"{names[k]}={v}"
                     for k, v in HEADLINE_OPTIONS.items())


def _order_sql(qualify) -> str:
    """SEARCH_ORDER as an ORDER BY list, each column named by `qualify(column)`."""
    return ", ".join(f"{qualify(field.lstrip('-'))}{' DESC' if field.startswith('-') else ''}"
                     for field in SEARCH_ORDER)


def search_page_sql(*, opd: bool, category: bool) -> str:
    """The statement of `document_search_page`, with or without each filter. The narrow ranking (id, rank and
    the window count) is ordered and limited first, then joined back for the page's columns and headline."""
    documents, opds = Document._meta.db_table, OPD._meta.db_table
    cases = Document._meta.get_field("case").related_model._meta.db_table
    weights = "{" + ",".join(str(w) for w in RANK_WEIGHTS) + "}"
    filters = []
    if opd:
        filters.append(f"AND d.opd_id = (SELECT id FROM {opds} WHERE code = %(opd)s::text)")
    if category:
        filters.append("AND d.category = %(category)s::text")
    return f"""
WITH ranked AS (
  SELECT d.id, d.published_at, ts_rank('{weights}'::float4[], d.search_vector, query) AS rank,
         count(*) OVER () AS total
  FROM {documents} d, websearch_to_tsquery(%(config)s::regconfig, %(q)s::text) query
  WHERE d.status = %(published)s::text AND d.search_vector @@ query {" ".join(filters)}
  ORDER BY {_order_sql(lambda column: column if column == "rank" else f"d.{column}")}
  LIMIT %(limit)s::bigint OFFSET %(offset)s::bigint)
SELECT r.total, r.rank, d.id, d.title, d.summary,
       (SELECT o.code FROM {opds} o WHERE o.id = d.opd_id),
       (SELECT o.name FROM {opds} o WHERE o.id = d.opd_id),
       d.category, d.published_at, d.original_filename, d.content_type, d.size,
       (SELECT c.registration_number FROM {cases} c WHERE c.id = d.case_id),
       ts_headline(%(config)s::regconfig, left(d.extracted_text, %(headline_chars)s::integer),
                   websearch_to_tsquery(%(config)s::regconfig, %(q)s::text), %(headline_options)s::text)
FROM ranked r JOIN {documents} d ON d.id = r.id
ORDER BY {_order_sql(lambda column: f"r.{column}")}"""


# Built once, not per search: the four statement texts and the options string.
_STATEMENTS = {(o, c): search_page_sql(opd=o, category=c) for o in (False, True) for c in (False, True)}
_HEADLINE_OPTIONS_TEXT = headline_options_text()


def document_search_page(*, q: str, opd: str = "", category: str = "", offset: int = 0,
                         limit: int = 50) -> SearchPage | None:
    """One page of `document_search(q=…)` (same results, order and headline) in ONE statement, at one round
    trip instead of two and without building ORM querysets and model instances per request (measured in bench/:
    the rare-word search sat at 9x its raw full-text query). None without full text or without `q`: callers fall
    back to `document_search`. A page past the last one has no rows; its total is then counted separately."""
    q = clean_query(q)
    if not q or not full_text_available():
        return None
    params = {"config": SEARCH_CONFIG, "q": q, "published": DocumentStatus.PUBLISHED, "limit": limit,
              "offset": offset, "headline_chars": HEADLINE_CHARS, "headline_options": _HEADLINE_OPTIONS_TEXT}
    if opd:
        params["opd"] = clean_opd(opd)
    if category:
        params["category"] = clean_category(category)
    # Four statement texts (with or without each filter), each prepared once per connection: planning this
    # statement cost more than running it for a rare word (measured in bench/).
    name = f"ppid_search_page_{int(bool(opd))}{int(bool(category))}"
    with connection.cursor() as cur:
        execute_prepared(cur, name, _STATEMENTS[bool(opd), bool(category)], params)
        rows = [dict(zip(SEARCH_PAGE_COLUMNS, row, strict=True)) for row in cur.fetchall()]
    if rows:
        return SearchPage(total=rows[0]["total"], rows=rows)
    total = 0 if offset == 0 else document_search(q=q, opd=opd, category=category).count()
    return SearchPage(total=total, rows=[])
