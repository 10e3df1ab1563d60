"""Reads of the library: the public search, the DIP, one document for the public or for an officer."""

from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Left
from django.http import Http404

from documents_app.models import Category, Document, DocumentStatus
from opd_app.models import Role
from opd_app.permissions import scope_to_user

SEARCH_CONFIG = "ppid_indonesian"
HEADLINE_OPTIONS = {"start_sel": "«", "stop_sel": "»", "max_words": 35, "min_words": 15, "max_fragments": 2,
                    "fragment_delimiter": " … "}
# ts_headline re-parses the text on every row: bound it (the first 200,000 characters hold enough context).
HEADLINE_CHARS = 200_000


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
        return (
            qs.annotate(rank=SearchRank(F("search_vector"), query, weights=[0.1, 0.2, 0.4, 1.0]))
            .filter(search_vector=query)
            .annotate(headline=SearchHeadline(Left("extracted_text", HEADLINE_CHARS), query, config=SEARCH_CONFIG,
                                              **HEADLINE_OPTIONS))
            .order_by("-rank", "-published_at", "-id")
        )
    words = q.split()[:8]
    for word in words:
        qs = qs.filter(Q(title__icontains=word) | Q(summary__icontains=word) | Q(extracted_text__icontains=word))
    # A crude rank: documents whose title holds the first word come first.
    title_hit = Case(When(title__icontains=words[0], then=Value(1)), default=Value(0), output_field=IntegerField())
    return qs.annotate(title_hit=title_hit).order_by("-title_hit", "-published_at", "-id")


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
