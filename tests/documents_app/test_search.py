"""The public search (documents_app/search.py): the library page and the API answer alike (the same documents in
the same order with the same headline and count, page by page to the last, with and without filters, with full
text and with the fallback used without it); the API's one-statement fast path equals its generic list; the
statement is prepared once per connection."""

from unittest import mock

import pytest
from rest_framework.pagination import PageNumberPagination
from rest_framework.test import APIClient

from tests.documents_app.helpers import api_upload, publish

PAGE_SIZE = 2


class Small(PageNumberPagination):
    page_size = PAGE_SIZE


@pytest.fixture
def library(officer_api, other_officer):
    """Five published DINKES documents and one DPUPR document about "anggaran" (two of them under another
    category), one that does not match, and a draft that never shows."""
    foreign = APIClient()
    foreign.force_authenticate(other_officer)
    ids = []
    for i in range(5):
        response = api_upload(officer_api, title=f"Anggaran puskesmas {i}",
                              category="berkala" if i % 2 else "setiap_saat",
                              text=f"Rincian anggaran puskesmas nomor {i} tahun 2026.")
        assert publish(officer_api, response.json()["id"]).status_code == 200
        ids.append(response.json()["id"])
    response = api_upload(foreign, opd="DPUPR", title="Jalan kabupaten", text="Anggaran jalan dan jembatan.")
    assert publish(foreign, response.json()["id"]).status_code == 200
    response = api_upload(officer_api, title="Jadwal imunisasi", text="Jadwal imunisasi anak 2026.")
    assert publish(officer_api, response.json()["id"]).status_code == 200
    api_upload(officer_api, title="Draf anggaran", text="Anggaran rahasia.")
    return ids


QUERIES = [
    {"q": "anggaran"}, {"q": "anggaran", "opd": "DINKES"}, {"q": "anggaran", "opd": "DPUPR"},
    {"q": "anggaran", "category": "berkala"}, {"q": "anggaran puskesmas"}, {"q": "imunisasi"},
    {"q": "zzzyyyxxx"}, {},
]


def _page_answer(client, params, number):
    response = client.get("/dokumen/", {**params, "page": number})
    assert response.status_code == 200
    page = response.context["page"]
    return page.paginator.count, page.paginator.num_pages, [
        (d.pk, getattr(d, "headline", "") or "") for d in page.object_list]


def _api_answer(api, params, number):
    response = api.get("/api/v1/documents/", {**params, "page": number})
    assert response.status_code == 200, response.content
    body = response.json()
    return body["count"], [(row["id"], row["headline"]) for row in body["results"]]


def _assert_page_equals_api(client, api, params):
    with mock.patch("documents_app.views.LIBRARY_PAGE_SIZE", PAGE_SIZE), \
            mock.patch("documents_app.api.DocumentListCreateView.pagination_class", Small):
        count, pages, _rows = _page_answer(client, params, 1)
        for number in range(1, pages + 1):  # the last page included
            page_count, _pages, page_rows = _page_answer(client, params, number)
            assert (page_count, page_rows) == _api_answer(api, params, number), (params, number)
        return count


@pytest.mark.postgres
def test_library_page_and_api_search_answer_alike_with_full_text(library, client, api):
    counts = {str(params): _assert_page_equals_api(client, api, params) for params in QUERIES}
    assert counts[str({"q": "anggaran"})] == 6 and counts[str({"q": "anggaran", "opd": "DINKES"})] == 5
    assert counts[str({"q": "zzzyyyxxx"})] == 0 and counts[str({})] == 7
    first = api.get("/api/v1/documents/", {"q": "anggaran"}).json()["results"][0]
    assert "«anggaran»" in first["headline"].lower()


def test_library_page_and_api_search_answer_alike_without_full_text(library, client, api):
    """The fallback (SQLite in development) is the one search both use when full text is not available."""
    with mock.patch("documents_app.search.full_text_available", return_value=False):
        counts = {str(params): _assert_page_equals_api(client, api, params) for params in QUERIES}
        first = api.get("/api/v1/documents/", {"q": "anggaran"}).json()["results"][0]
    assert counts[str({"q": "anggaran"})] == 6 and counts[str({"q": "anggaran", "opd": "DPUPR"})] == 1
    assert counts[str({"q": "zzzyyyxxx"})] == 0 and counts[str({})] == 7
    assert first["headline"] == ""  # no highlighting without full text


@pytest.mark.postgres
def test_one_statement_search_page_answers_exactly_like_the_generic_list(officer_api, api, django_assert_num_queries):
    """The full-text fast path (one SQL statement) and the generic serializer over document_search agree on every
    key, the order, the headline, the count and the page links, filters and the last page included."""
    from rest_framework.pagination import PageNumberPagination

    from documents_app import search
    from documents_app.serializers import DocumentListSerializer

    ids = []
    for i in range(5):
        doc_id = api_upload(officer_api, title=f"Anggaran puskesmas {i}",
                            text=f"Rincian anggaran puskesmas nomor {i} tahun 2026.").json()["id"]
        assert publish(officer_api, doc_id).status_code == 200
        ids.append(doc_id)
    api_upload(officer_api, title="Draf anggaran", text="Anggaran rahasia.")  # a draft never shows

    class Small(PageNumberPagination):
        page_size = 2

    with mock.patch("documents_app.api.DocumentListCreateView.pagination_class", Small):
        for url in ("/api/v1/documents/?q=anggaran", "/api/v1/documents/?q=anggaran&page=2",
                    "/api/v1/documents/?q=anggaran&page=3", "/api/v1/documents/?q=anggaran&opd=DINKES&page=2",
                    "/api/v1/documents/?q=anggaran&opd=DPUPR", "/api/v1/documents/?q=anggaran&category=berkala"):
            with django_assert_num_queries(1):
                fast = api.get(url)
            assert fast.status_code == 200, url
            body = fast.json()
            request = fast.wsgi_request
            p = request.GET
            generic = search.document_search(q=p["q"], opd=p.get("opd", ""), category=p.get("category", ""))
            number = int(p.get("page", 1))
            page = list(generic[(number - 1) * 2:number * 2])
            assert body["results"] == DocumentListSerializer(page, many=True, context={"request": request}).data, url
            assert body["count"] == generic.count()
        first = api.get("/api/v1/documents/?q=anggaran").json()
        assert first["count"] == 5 and first["previous"] is None
        assert first["next"] == "http://testserver/api/v1/documents/?page=2&q=anggaran"
        assert "«anggaran»" in first["results"][0]["headline"].lower()
        last = api.get("/api/v1/documents/?q=anggaran&page=3").json()
        assert last["next"] is None and last["previous"] == "http://testserver/api/v1/documents/?page=2&q=anggaran"
        assert api.get("/api/v1/documents/?q=anggaran&page=2").json()["previous"] == (
            "http://testserver/api/v1/documents/?q=anggaran")
        assert api.get("/api/v1/documents/?q=anggaran&page=4").status_code == 404
        assert api.get("/api/v1/documents/?q=anggaran&page=abc").status_code == 404
        assert api.get("/api/v1/documents/?q=anggaran&page=last").json()["results"][0]["id"] in ids
    assert sorted(r["id"] for r in api.get("/api/v1/documents/?q=anggaran").json()["results"]) == sorted(ids)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_search_page_is_prepared_once_per_connection_and_survives_a_reset(officer, opds, monkeypatch):
    """Outside a transaction the search page runs as a server-side prepared statement: PREPAREd on first use,
    only EXECUTEd after, re-prepared when the session lost it (a pooler's DISCARD ALL), same rows every time."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from documents_app import search

    client = APIClient()
    client.force_authenticate(officer)
    doc_id = api_upload(client, title="Anggaran puskesmas", text="Rincian anggaran puskesmas 2026.").json()["id"]
    assert publish(client, doc_id).status_code == 200
    connection.close()  # a fresh connection: nothing prepared yet
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 0)  # a connection per request: not prepared
    with CaptureQueriesContext(connection) as ctx:
        assert search.document_search_page(q="anggaran").total == 1
    assert [q["sql"].split()[0] for q in ctx.captured_queries] == ["WITH"]
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)  # persistent, as in production
    runs = []
    for reset in (False, False, True):
        if reset:
            with connection.cursor() as cur:
                cur.execute("DEALLOCATE ALL")
        with CaptureQueriesContext(connection) as ctx:
            page = search.document_search_page(q="anggaran", opd="DINKES")
        runs.append([q["sql"].split()[0] for q in ctx.captured_queries])
        assert page.total == 1 and page.rows[0]["id"] == doc_id and page.rows[0]["opd"] == "DINKES"
        assert "«anggaran»" in page.rows[0]["headline"].lower()
    assert runs[0] == ["PREPARE", "EXECUTE"]
    assert runs[1] == ["EXECUTE"]
    assert runs[2] == ["EXECUTE", "PREPARE", "EXECUTE"]  # vanished, re-prepared, retried
