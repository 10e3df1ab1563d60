"""Who may reach what: every URL of the portal × every role, own and foreign OPD, in one table.

One row per (method, URL): the URL is built from a world made once for the module (one open case of DINKES, one
answered case with an objection, a published and a draft document, a holiday, an answer attachment), and the row
says what each role gets. A new endpoint is one row; `test_every_url_pattern_has_a_row` fails until it has one.

Roles: anonymous; a citizen account (registered, no PPID role, not the requester); the PPID Pelaksana officer of
DINKES (the cases' OPD); an officer of DPUPR (another OPD); the Atasan PPID of DINKES; a PPID Utama admin. Two more
columns default to a neighbour unless a row says otherwise: `requester` (an anonymous browser holding the
tracking session of the cases, as after entering the tracking code; defaults to anonymous) and `foreign_atasan`
(the Atasan PPID of DPUPR; defaults to the DPUPR officer).

The rules the rows spell out: anonymous on the staff API is 401 (token first), on staff pages a redirect to the login
page; an object of the OPD (case, objection, document) is 404 to a citizen and to another OPD's officer; admin-only
endpoints are 403 to everyone else signed in (the officer accounts 404: which accounts exist is not advertised); the
requester-only acts (withdraw, object, report a dispute) refuse everyone without the requester's tracking session,
staff included, and change nothing.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.http import urlsafe_base64_encode
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from compliance_app.models import ReportPublication
from documents_app.models import Document, DocumentStatus, ScanState
from opd_app.models import OPD, Membership, Role
from opd_app.services import officer_create
from ppid_portal.clock import WITA, now, today_wita
from requests_app.models import (
    Case,
    CaseAttachment,
    CaseEvent,
    DikEntry,
    DikRevision,
    EventKind,
    Holiday,
    IssuedLetter,
    LetterDelivery,
    Objection,
    ObjectionStatus,
    Status,
)
from requests_app.permissions import TRACKED_CASES_SESSION_KEY as SESSION_KEY
from requests_app.permissions import tracked_entry
from requests_app.services.intake import request_record, request_submit
from tests.conftest import dik_entry_make, pdf_bytes, png_bytes, request_data
from tests.module_data import directory_and_calendar_seed, officers_create, rolled_back_at_end

ROLES = ("anonymous", "citizen", "officer", "foreign", "atasan", "utama", "requester", "foreign_atasan")
DEFAULTS = {"requester": "anonymous", "foreign_atasan": "foreign"}

# Expectations besides a plain status code.
LOGIN = "redirect to the login page"
TRACK = "redirect to the tracking page"
DONE = "redirect after doing it"
REFUSED = "404 or redirect to the tracking page"


def E(anonymous, citizen, officer, foreign, atasan, utama, **more) -> dict:  # noqa: N802 - a table's column header
    expected = {"anonymous": anonymous, "citizen": citizen, "officer": officer, "foreign": foreign,
                "atasan": atasan, "utama": utama, **more}
    for role, neighbour in DEFAULTS.items():
        expected.setdefault(role, expected[neighbour])
    return expected


PUBLIC = E(200, 200, 200, 200, 200, 200)
# Pages.
STAFF_PAGE = E(LOGIN, 404, 200, 200, 200, 200)  # an officer's own view of its OPDs (a list, a form)
CASE_PAGE = E(LOGIN, 404, 200, 404, 200, 200)  # one object of DINKES
CASE_ACT_PAGE = E(LOGIN, 404, DONE, 404, DONE, DONE)
ADMIN_PAGE = E(LOGIN, 403, 403, 403, 403, 200)
ADMIN_ACT_PAGE = E(LOGIN, 403, 403, 403, 403, DONE)
# Officer accounts: 404 to everyone signed in but PPID Utama (which accounts exist is not advertised).
ACCOUNTS_PAGE = E(LOGIN, 404, 404, 404, 404, 200)
ACCOUNTS_ACT = E(LOGIN, 404, 404, 404, 404, DONE)
ATASAN_PAGE = E(LOGIN, 404, 404, 404, 200, 200, foreign_atasan=200)  # the objection queue, scoped to own OPDs
OBJECTION_PAGE = E(LOGIN, 404, 404, 404, 200, 200, foreign_atasan=404)
# Requester-side views: the requester, and the staff who handle the case, see them.
REQUESTER_VIEW = E(TRACK, TRACK, 200, TRACK, 200, 200, requester=200)
REQUESTER_FILE = E(404, 404, 200, 404, 200, 200, requester=200)
# Requester-only acts: staff rights never stand in for the requester's proof.
REQUESTER_ACT = E(REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, requester=DONE)
# API.
STAFF_API = E(401, 403, 200, 200, 200, 200)
CASE_API = E(401, 404, 200, 404, 200, 200)
ADMIN_API = E(401, 403, 403, 403, 403, 200)


@dataclass(frozen=True)
class Row:
    name: str  # the URL pattern's name
    method: str
    url: object  # world -> path
    expected: dict
    body: object = None  # world -> dict
    unchanged: object = None  # world -> None, asserts the row's object was not changed
    json: bool = True
    note: str = field(default="", compare=False)

    @property
    def id(self) -> str:
        return f"{self.method} {self.name}{' ' + self.note if self.note else ''}"


def _case_unchanged(w):
    case = Case.objects.get(pk=w.case.pk)
    assert case.status == Status.SUBMITTED, "a requester-only act was done without the requester's proof"


def _nothing_sent(w):
    case = Case.objects.get(pk=w.case.pk)
    assert case.status == Status.SUBMITTED and not case.attachments.filter(kind=CaseAttachment.Kind.NOTICE).exists(), \
        "the review step of an answer sent or kept something"


def _code_unchanged(w):
    assert Case.objects.get(pk=w.case.pk).tracking_code_hash == w.case.tracking_code_hash, \
        "a new tracking code was made for a contact that is not on record"


def _no_new_objection(w):
    assert not Objection.objects.filter(case=w.objectable).exists(), \
        "an objection was filed without the requester's proof"


def _no_message(w):
    assert not CaseEvent.objects.filter(case=w.case, kind=EventKind.MESSAGE).exists(), \
        "a message was written without the requester's proof or the officer's rights"
def _identity_still_owed(w):
    assert Case.objects.get(pk=w.desk_case.pk).identity_owed, "an identity scan was attached without the rights"


def _nothing_recorded(w):
    assert not Case.objects.filter(name="Recorded At The Desk").exists(), "a request was recorded without the rights"


def _dik_entry_body() -> dict:
    return {"opd": "DINKES", "information": "Data pasien per puskesmas", "exemption": "h",
            "legal_basis": "UU No. 17 Tahun 2023 tentang Kesehatan, Pasal 4", "valid_until": "2045-12-31",
            "consequence": "Membukanya mengungkap rahasia pribadi pasien; menutupnya melindungi hak pasien."}


def _no_new_dik_entry(w):
    assert not DikEntry.objects.filter(information="Data pasien per puskesmas").exists(), \
        "a DIK entry was added without the rights"


def _dik_unrevised(w):
    assert not DikRevision.objects.filter(entry=w.dik).exists(), "a DIK entry was revised without the rights"


def _request_fields() -> dict:
    return {**request_data(), "name": "Recorded At The Desk"}


def _desk_form() -> dict:
    from ppid_portal.clock import WITA

    return {**_request_fields(), "publish_consent": "on", "channel": "desk",
            "received_at": now().astimezone(WITA).strftime("%Y-%m-%dT%H:%M")}


def _objection_unchanged(w):
    objection = Objection.objects.get(pk=w.objection.pk)
    assert objection.status == ObjectionStatus.ANSWERED and objection.referred_at is None, \
        "a dispute was reported without the requester's proof"


n = "registration_number"
MATRIX = [
    # --- public pages
    Row("home", "GET", lambda w: "/", PUBLIC),
    Row("opd-directory", "GET", lambda w: "/opd/", PUBLIC),
    Row("service-notice", "GET", lambda w: "/maklumat-pelayanan/", PUBLIC),
    Row("login", "GET", lambda w: "/masuk/", PUBLIC),
    Row("logout", "POST", lambda w: "/keluar/", E(302, 302, 302, 302, 302, 302)),
    Row("signup", "GET", lambda w: "/daftar/", PUBLIC),
    Row("after-login", "GET", lambda w: "/masuk/lanjut/", E(302, 302, 302, 302, 302, 302)),
    Row("password-reset", "GET", lambda w: "/akun/lupa-sandi/", PUBLIC),
    # The same answer (a redirect to the same words) whether or not the address has an account.
    Row("password-reset", "POST", lambda w: "/akun/lupa-sandi/", E(302, 302, 302, 302, 302, 302),
        body=lambda w: {"email": "tidak.terdaftar@example.org"}, note="unknown address"),
    Row("password-reset-done", "GET", lambda w: "/akun/lupa-sandi/terkirim/", PUBLIC),
    # A link with a token that is not one: the "link no longer works" page, for everyone.
    Row("password-reset-confirm", "GET", lambda w: f"/akun/sandi/{w.uid}/bukan-token/", PUBLIC),
    Row("password-reset-complete", "GET", lambda w: "/akun/sandi/selesai/", PUBLIC),
    Row("set_language", "POST", lambda w: "/i18n/setlang/", E(302, 302, 302, 302, 302, 302),
        body=lambda w: {"language": "en", "next": "/"}),
    Row("healthz", "GET", lambda w: "/healthz", E(*[(200, 503)] * 6)),
    Row("stats", "GET", lambda w: "/statistik/", PUBLIC),
    Row("request-create", "GET", lambda w: "/permohonan/baru/", PUBLIC),
    Row("track", "GET", lambda w: "/lacak/", PUBLIC),
    Row("track-forgot", "GET", lambda w: "/lacak/lupa-kode/", PUBLIC),
    # The same neutral answer (a redirect to it) for everyone: a wrong contact changes nothing.
    Row("track-forgot", "POST", lambda w: "/lacak/lupa-kode/", E(302, 302, 302, 302, 302, 302),
        body=lambda w: {"registration_number": w.case.registration_number, "contact": "orang.lain@example.org"},
        unchanged=_code_unchanged, note="wrong contact"),
    Row("my-requests", "GET", lambda w: "/permohonan-saya/", E(LOGIN, 200, 200, 200, 200, 200)),
    Row("documents-library", "GET", lambda w: "/dokumen/", PUBLIC),
    Row("document-detail", "GET", lambda w: f"/dokumen/{w.published.pk}/", PUBLIC),
    Row("document-detail", "GET", lambda w: f"/dokumen/{w.draft.pk}/", E(404, 404, 404, 404, 404, 404), note="draft"),
    Row("document-download", "GET", lambda w: f"/dokumen/{w.published.pk}/unduh/", PUBLIC),
    Row("document-download", "GET", lambda w: f"/dokumen/{w.draft.pk}/unduh/", E(404, 404, 404, 404, 404, 404),
        note="draft"),
    Row("dip", "GET", lambda w: "/dip/", PUBLIC),
    Row("dip-csv", "GET", lambda w: "/dip/dip.csv", PUBLIC),
    Row("dip-pdf", "GET", lambda w: "/dip/dip.pdf", PUBLIC),
    Row("dip-opd", "GET", lambda w: "/dip/DINKES/", PUBLIC),
    Row("dik-public", "GET", lambda w: "/dik/?opd=DINKES", PUBLIC),

    # --- the requester's side of a case
    Row("request-done", "GET", lambda w: f"/permohonan/{w.case.registration_number}/terkirim/", REQUESTER_FILE),
    Row("request-receipt", "GET", lambda w: f"/permohonan/{w.case.registration_number}/tanda-bukti.pdf",
        REQUESTER_FILE),
    Row("track-case", "GET", lambda w: f"/lacak/{w.case.registration_number}/", REQUESTER_VIEW),
    # A letter's verification page is public: it shows no personal data, and anyone may check a file against it.
    Row("letter-verify", "GET", lambda w: f"/verifikasi/{w.letter.token}/", PUBLIC),
    Row("letter-verify", "POST", lambda w: f"/verifikasi/{w.letter.token}/", PUBLIC,
        body=lambda w: {"file": SimpleUploadedFile("surat.pdf", w.letter_pdf, content_type="application/pdf")}),
    Row("attachment-download", "GET",
        lambda w: f"/lacak/{w.case.registration_number}/lampiran/{w.attachment.pk}/", REQUESTER_FILE),
    Row("track-withdraw", "GET", lambda w: f"/lacak/{w.case.registration_number}/cabut/",
        E(404, 404, 404, 404, 404, 404, requester=200), note="(the confirmation page)"),
    Row("track-withdraw", "POST", lambda w: f"/lacak/{w.case.registration_number}/cabut/", REQUESTER_ACT,
        body=lambda w: {"note": "Tidak jadi", "confirm": "1"}, unchanged=_case_unchanged),
    Row("track-message", "POST", lambda w: f"/lacak/{w.case.registration_number}/pesan/", REQUESTER_ACT,
        body=lambda w: {"text": "Apakah data tahun 2024 juga ada?"}, unchanged=_no_message),
    Row("objection-create", "GET", lambda w: f"/lacak/{w.objectable.registration_number}/keberatan/",
        E(TRACK, TRACK, (200, 302, 404), TRACK, (200, 302, 404), (200, 302, 404), requester=200),
        note="(the form; staff may see it or not, they may not file)"),
    Row("objection-create", "POST", lambda w: f"/lacak/{w.objectable.registration_number}/keberatan/", REQUESTER_ACT,
        body=lambda w: {"ground": "a", "reason": "Permohonan saya ditolak tanpa alasan"},
        unchanged=_no_new_objection),
    Row("objection-refer", "POST",
        lambda w: f"/lacak/{w.answered.registration_number}/keberatan/{w.objection.objection_number}/sengketa/",
        REQUESTER_ACT, body=lambda w: {"note": "Diajukan ke Komisi Informasi"}, unchanged=_objection_unchanged),

    # --- officers' pages
    Row("queue", "GET", lambda w: "/petugas/", STAFF_PAGE),
    Row("case-detail", "GET", lambda w: f"/petugas/kasus/{w.case.registration_number}/", CASE_PAGE),
    Row("case-action", "POST", lambda w: f"/petugas/kasus/{w.case.registration_number}/aksi/", CASE_ACT_PAGE,
        body=lambda w: {"action": "acknowledge", "note": "Diproses"}),
    # The answer's review step and its letter as PDF: shown to those who handle the case, nothing sent or kept.
    Row("case-action", "POST", lambda w: f"/petugas/kasus/{w.case.registration_number}/aksi/", CASE_PAGE,
        body=lambda w: {"action": "answer", "decision": "not_held", "fields_for": "not_held",
                        "holder": "Dinas Pendidikan"}, unchanged=_nothing_sent, note="answer review"),
    Row("case-action", "POST", lambda w: f"/petugas/kasus/{w.case.registration_number}/aksi/", CASE_PAGE,
        body=lambda w: {"action": "answer", "decision": "not_held", "fields_for": "not_held",
                        "holder": "Dinas Pendidikan", "preview": "pdf"}, unchanged=_nothing_sent,
        note="answer letter preview"),
    Row("case-action", "POST", lambda w: f"/petugas/kasus/{w.case.registration_number}/aksi/", CASE_ACT_PAGE,
        body=lambda w: {"action": "forward", "to_opd": "DPUPR", "note": "Bukan kewenangan kami", "confirm": "1"},
        note="forward confirmed"),
    Row("case-action", "POST", lambda w: f"/petugas/kasus/{w.case.registration_number}/aksi/", CASE_ACT_PAGE,
        body=lambda w: {"action": "message", "note": "Mohon jelaskan kecamatan yang dimaksud."},
        unchanged=_no_message, note="message to the requester"),
    Row("case-identity", "GET", lambda w: f"/petugas/kasus/{w.case.registration_number}/identitas/", CASE_PAGE),
    # A request recorded at the desk: its identity scan handed over later, its surat kuasa, its receipt.
    Row("case-identity-upload", "POST",
        lambda w: f"/petugas/kasus/{w.desk_case.registration_number}/identitas/unggah/", CASE_ACT_PAGE,
        body=lambda w: {"identity_document": SimpleUploadedFile("ktp.png", png_bytes(), content_type="image/png")},
        unchanged=_identity_still_owed),
    Row("case-authority", "GET", lambda w: f"/petugas/kasus/{w.desk_case.registration_number}/kewenangan/",
        CASE_PAGE),
    Row("desk-intake", "GET", lambda w: "/petugas/permohonan/baru/", STAFF_PAGE),
    # For DINKES: another OPD's officer gets 404 (the OPD is out of scope, as any object of DINKES).
    Row("desk-intake", "POST", lambda w: "/petugas/permohonan/baru/", E(LOGIN, 404, DONE, 404, DONE, DONE),
        body=lambda w: _desk_form(), unchanged=_nothing_recorded, note="for DINKES"),
    Row("desk-receipt", "GET", lambda w: f"/petugas/permohonan/{w.desk_case.registration_number}/tanda-bukti/",
        CASE_PAGE),
    Row("desk-receipt-pdf", "GET",
        lambda w: f"/petugas/permohonan/{w.desk_case.registration_number}/tanda-bukti.pdf", CASE_PAGE),
    # A case DINKES forwarded to DPUPR: read-only for the forwarding OPD's officer and Atasan; DPUPR (now holding it)
    # and PPID Utama use the case page.
    Row("case-forwarded", "GET", lambda w: f"/petugas/kasus/{w.forwarded.registration_number}/diteruskan/",
        E(LOGIN, 404, 200, 404, 200, 404, foreign_atasan=404)),
    Row("case-attachment-publish", "POST",
        lambda w: f"/petugas/kasus/{w.case.registration_number}/lampiran/{w.attachment.pk}/publikasi/",
        CASE_ACT_PAGE),
    # Letters to deliver: the issuing OPD's officers and Atasan PPID, and PPID Utama; another OPD gets 404.
    Row("delivery-list", "GET", lambda w: "/petugas/surat/", STAFF_PAGE),
    Row("delivery-detail", "GET", lambda w: f"/petugas/surat/{w.delivery.pk}/", CASE_PAGE),
    Row("delivery-detail", "POST", lambda w: f"/petugas/surat/{w.delivery.pk}/", CASE_ACT_PAGE,
        body=lambda w: {"delivered_at": now().astimezone(WITA).strftime("%Y-%m-%dT%H:%M"), "method": "in_person",
                        "recipient_name": "Siti Rahmawati"}, note="handover"),
    Row("delivery-letter", "GET", lambda w: f"/petugas/surat/{w.delivery.pk}/surat.pdf", CASE_PAGE),
    Row("delivery-receipt", "GET", lambda w: f"/petugas/surat/{w.delivered.pk}/tanda-bukti-penyerahan.pdf",
        CASE_PAGE),
    # The registers: each officer and Atasan PPID their OPDs' rows, PPID Utama every OPD; asking for another OPD's
    # register is 404, as for any object of that OPD.
    Row("register", "GET", lambda w: "/petugas/register/", STAFF_PAGE),
    Row("register", "GET", lambda w: "/petugas/register/?kind=objections&opd=DINKES", CASE_PAGE, note="of DINKES"),
    Row("register", "GET", lambda w: "/petugas/register/?opd=DINKES&format=csv", CASE_PAGE, note="of DINKES, CSV"),
    # The DIK on the officers' side: every officer reads its OPDs' entries; adding and revising is for the OPD's
    # Atasan PPID and PPID Utama (403 to its PPID Pelaksana, 404 for another OPD's entry or OPD).
    Row("dik-officer-list", "GET", lambda w: "/petugas/dik/", STAFF_PAGE),
    Row("dik-new", "GET", lambda w: "/petugas/dik/baru/", E(LOGIN, 404, 403, 403, 200, 200, foreign_atasan=200)),
    Row("dik-new", "POST", lambda w: "/petugas/dik/baru/", E(LOGIN, 404, 403, 403, DONE, DONE, foreign_atasan=404),
        body=lambda w: {**_dik_entry_body(), "decided_on": today_wita().isoformat()}, unchanged=_no_new_dik_entry,
        note="for DINKES"),
    Row("dik-detail", "GET", lambda w: f"/petugas/dik/{w.dik.pk}/", CASE_PAGE),
    Row("dik-detail", "POST", lambda w: f"/petugas/dik/{w.dik.pk}/", E(LOGIN, 404, 403, 404, DONE, DONE),
        body=lambda w: {**_dik_entry_body(), "decided_on": w.dik.decided_on.isoformat()}, unchanged=_dik_unrevised,
        note="revise"),
    Row("objection-queue", "GET", lambda w: "/petugas/keberatan/", ATASAN_PAGE),
    Row("objection-detail", "GET", lambda w: f"/petugas/keberatan/{w.objection.objection_number}/", OBJECTION_PAGE),
    Row("objection-material", "GET",
        lambda w: f"/petugas/keberatan/{w.objection.objection_number}/lampiran/{w.notice.pk}/", OBJECTION_PAGE),
    Row("objection-detail", "POST", lambda w: f"/petugas/keberatan/{w.filed.objection_number}/",
        E(LOGIN, 404, 404, 404, DONE, DONE, foreign_atasan=404),
        body=lambda w: {"outcome": "dismissed", "answer": "Penolakan sudah sesuai Pasal 17"}, note="answer"),
    # Who signs DINKES's letters: its Atasan PPID and PPID Utama; an officer of DINKES or another OPD's Atasan not.
    Row("opd-signatory", "GET", lambda w: "/petugas/opd/DINKES/penanda-tangan/", OBJECTION_PAGE),
    Row("opd-signatory", "POST", lambda w: "/petugas/opd/DINKES/penanda-tangan/",
        E(LOGIN, 404, 404, 404, DONE, DONE, foreign_atasan=404),
        body=lambda w: {"title": "PPID Pelaksana Dinas Kesehatan", "name": "dr. Sri Wahyuni", "nip": ""}),
    Row("documents-officer", "GET", lambda w: "/petugas/dokumen/", STAFF_PAGE),
    Row("document-upload", "GET", lambda w: "/petugas/dokumen/unggah/", STAFF_PAGE),
    Row("document-review", "GET", lambda w: f"/petugas/dokumen/{w.draft.pk}/", CASE_PAGE),
    Row("document-action", "POST", lambda w: f"/petugas/dokumen/{w.draft.pk}/aksi/", CASE_ACT_PAGE,
        body=lambda w: {"action": "publish"}),
    Row("document-officer-download", "GET", lambda w: f"/petugas/dokumen/{w.draft.pk}/berkas/", CASE_PAGE),

    # --- PPID Utama's pages
    Row("dashboard", "GET", lambda w: "/dasbor/", ADMIN_PAGE),
    Row("dashboard-export", "GET", lambda w: "/dasbor/ekspor.csv", ADMIN_PAGE),
    Row("dashboard-cases", "GET", lambda w: "/dasbor/kasus/", ADMIN_PAGE),
    Row("dashboard-cases-export", "GET", lambda w: "/dasbor/kasus/ekspor.csv", ADMIN_PAGE),
    Row("dashboard-report", "GET", lambda w: "/dasbor/laporan.pdf", ADMIN_PAGE),
    Row("dashboard-report-build", "POST", lambda w: "/dasbor/laporan/buat/", ADMIN_ACT_PAGE,
        body=lambda w: {"year": str(today_wita().year)}),
    # No report has been built: the admin's answer is the 404 of a missing file, everyone else's the role's.
    Row("dashboard-report-download", "GET", lambda w: "/dasbor/laporan/unduh/", E(LOGIN, 403, 403, 403, 403, 404)),
    Row("dashboard-report-narrative", "GET", lambda w: "/dasbor/laporan/narasi/", ADMIN_PAGE),
    # Publishing asks first (the GET); the confirmed POST answers with a redirect to the dashboard (nothing built in
    # this world: the refusal is told there).
    Row("dashboard-report-publish", "GET", lambda w: "/dasbor/laporan/terbitkan/", ADMIN_PAGE),
    Row("dashboard-report-publish", "POST", lambda w: "/dasbor/laporan/terbitkan/", ADMIN_ACT_PAGE,
        body=lambda w: {"year": str(today_wita().year), "confirm": "1"}),
    Row("holiday-list", "GET", lambda w: "/petugas/libur/", ADMIN_PAGE),
    Row("holiday-edit", "GET", lambda w: f"/petugas/libur/{w.holiday.pk}/", ADMIN_PAGE),
    # Deleting asks first: the GET and an unconfirmed POST show the confirmation; only confirm=1 deletes.
    Row("holiday-delete", "GET", lambda w: f"/petugas/libur/{w.holiday.pk}/hapus/", ADMIN_PAGE),
    Row("holiday-delete", "POST", lambda w: f"/petugas/libur/{w.holiday.pk}/hapus/", ADMIN_PAGE,
        note="unconfirmed"),
    Row("holiday-delete", "POST", lambda w: f"/petugas/libur/{w.holiday.pk}/hapus/", ADMIN_ACT_PAGE,
        body=lambda w: {"confirm": "1"}),

    # --- PPID Utama's officer accounts (on `w.spare`, an officer of DINKES with a second role at DPUPR)
    Row("officer-list", "GET", lambda w: "/petugas/pengguna/", ACCOUNTS_PAGE),
    Row("officer-new", "GET", lambda w: "/petugas/pengguna/baru/", ACCOUNTS_PAGE),
    Row("officer-new", "POST", lambda w: "/petugas/pengguna/baru/", ACCOUNTS_ACT,
        body=lambda w: {"username": "baru.dinkes", "full_name": "Petugas Baru", "email": "baru@example.org",
                        "opd": "DINKES", "role": "pelaksana"}),
    Row("officer-detail", "GET", lambda w: f"/petugas/pengguna/{w.spare.pk}/", ACCOUNTS_PAGE),
    Row("officer-role-add", "POST", lambda w: f"/petugas/pengguna/{w.spare.pk}/peran/", ACCOUNTS_ACT,
        body=lambda w: {"opd": "DPUPR", "role": "atasan"}),
    # Removing a role, deactivating and sending a password link ask first: the GET and an unconfirmed POST show
    # the confirmation; only confirm=1 does it.
    Row("officer-role-remove", "GET", lambda w: f"/petugas/pengguna/{w.spare.pk}/peran/{w.spare_role.pk}/cabut/",
        ACCOUNTS_PAGE),
    Row("officer-role-remove", "POST", lambda w: f"/petugas/pengguna/{w.spare.pk}/peran/{w.spare_role.pk}/cabut/",
        ACCOUNTS_ACT, body=lambda w: {"confirm": "1"}),
    Row("officer-deactivate", "GET", lambda w: f"/petugas/pengguna/{w.spare.pk}/nonaktifkan/", ACCOUNTS_PAGE),
    Row("officer-deactivate", "POST", lambda w: f"/petugas/pengguna/{w.spare.pk}/nonaktifkan/", ACCOUNTS_PAGE,
        note="unconfirmed"),
    Row("officer-deactivate", "POST", lambda w: f"/petugas/pengguna/{w.spare.pk}/nonaktifkan/", ACCOUNTS_ACT,
        body=lambda w: {"confirm": "1"}),
    Row("officer-reactivate", "GET", lambda w: f"/petugas/pengguna/{w.spare.pk}/aktifkan/", ACCOUNTS_PAGE),
    Row("officer-reactivate", "POST", lambda w: f"/petugas/pengguna/{w.spare.pk}/aktifkan/", ACCOUNTS_ACT,
        body=lambda w: {"confirm": "1"}),
    Row("officer-password", "GET", lambda w: f"/petugas/pengguna/{w.spare.pk}/kata-sandi/", ACCOUNTS_PAGE),
    Row("officer-password", "POST", lambda w: f"/petugas/pengguna/{w.spare.pk}/kata-sandi/", ACCOUNTS_ACT,
        body=lambda w: {"confirm": "1"}),

    # --- API: public
    Row("api-opd-list", "GET", lambda w: "/api/v1/opd/", PUBLIC),
    Row("api-token", "POST", lambda w: "/api/v1/auth/token/", E(400, 400, 400, 400, 400, 400),
        body=lambda w: {"username": "petugas.dinkes", "password": "wrong"}, note="wrong password"),
    Row("api-request-create", "POST", lambda w: "/api/v1/requests/", E(400, 400, 400, 400, 400, 400),
        body=lambda w: {"opd": "DINKES"}, json=False, note="incomplete"),
    Row("api-request-track", "GET",
        lambda w: f"/api/v1/requests/track/?registration_number={w.case.registration_number}&tracking_code=X",
        E(404, 404, 404, 404, 404, 404), note="wrong code (staff rights do not stand in for it)"),
    Row("api-objection-create", "POST", lambda w: "/api/v1/requests/objections/",
        E(404, 404, 404, 404, 404, 404),
        body=lambda w: {"registration_number": w.objectable.registration_number, "tracking_code": "ABCDEFGHJKLM",
                        "ground": "a", "reason": "Ditolak"},
        unchanged=_no_new_objection, note="wrong code (staff rights do not stand in for it)"),
    # The tracking code is the proof (the API is public): a wrong one is 404 to everyone, staff included; the right
    # one writes the requester's message whoever sends it.
    Row("api-request-message", "POST", lambda w: "/api/v1/requests/messages/", E(404, 404, 404, 404, 404, 404),
        body=lambda w: {"registration_number": w.case.registration_number, "tracking_code": "ABCDEFGHJKMN",
                        "text": "Halo"},
        unchanged=_no_message, note="wrong code (staff rights do not stand in for it)"),
    Row("api-request-message", "POST", lambda w: "/api/v1/requests/messages/", E(201, 201, 201, 201, 201, 201),
        body=lambda w: {"registration_number": w.case.registration_number, "tracking_code": w.case_code,
                        "text": "Halo"}, note="right code"),
    Row("api-stats", "GET", lambda w: "/api/v1/stats/", PUBLIC),
    # The yearly report, once PPID Utama published it: public; a year not published is 404 to everyone.
    Row("api-stats-report", "GET", lambda w: f"/api/v1/stats/report/?year={w.publication.year}", PUBLIC),
    Row("api-stats-report", "GET", lambda w: f"/api/v1/stats/report/?year={w.publication.year - 1}",
        E(404, 404, 404, 404, 404, 404), note="not published"),
    Row("api-holiday-list", "GET", lambda w: "/api/v1/holidays/", PUBLIC),
    Row("api-holiday-detail", "GET", lambda w: f"/api/v1/holidays/{w.holiday.date}/", PUBLIC),
    Row("api-document-list", "GET", lambda w: "/api/v1/documents/", PUBLIC),
    Row("api-dik-list", "GET", lambda w: "/api/v1/dik/?opd=DINKES", PUBLIC),
    Row("api-dik-detail", "GET", lambda w: f"/api/v1/dik/{w.dik.pk}/", PUBLIC),
    Row("api-document-detail", "GET", lambda w: f"/api/v1/documents/{w.published.pk}/", PUBLIC),
    Row("api-document-detail", "GET", lambda w: f"/api/v1/documents/{w.draft.pk}/",
        E(404, 404, 200, 404, 200, 200), note="draft"),

    # --- API: officers
    Row("api-case-list", "GET", lambda w: "/api/v1/cases/", STAFF_API),
    # A request received at the desk for DINKES: another OPD's officer gets 404, as for any object of DINKES.
    Row("api-case-list", "POST", lambda w: "/api/v1/cases/", E(401, 403, 201, 404, 201, 201),
        body=lambda w: {**_request_fields(), "channel": "phone"}, note="desk intake"),
    Row("api-case-detail", "GET", lambda w: f"/api/v1/cases/{w.case.registration_number}/", CASE_API),
    Row("api-case-letter", "GET",
        lambda w: f"/api/v1/cases/{w.case.registration_number}/letters/{w.letter.token}/", CASE_API),
    Row("api-case-actions", "POST", lambda w: f"/api/v1/cases/{w.case.registration_number}/actions/", CASE_API,
        body=lambda w: {"action": "acknowledge", "note": "Diproses"}),
    Row("api-case-actions", "POST", lambda w: f"/api/v1/cases/{w.case.registration_number}/actions/", CASE_API,
        body=lambda w: {"action": "message", "note": "Mohon jelaskan."}, note="message to the requester"),
    Row("api-delivery-list", "GET", lambda w: "/api/v1/deliveries/", STAFF_API),
    Row("api-register-requests", "GET", lambda w: "/api/v1/registers/requests/", STAFF_API),
    Row("api-register-requests", "GET", lambda w: "/api/v1/registers/requests/?opd=DINKES&format=xlsx",
        E(401, 403, 200, 404, 200, 200), note="of DINKES, XLSX"),
    Row("api-register-objections", "GET", lambda w: "/api/v1/registers/objections/", STAFF_API),
    Row("api-register-objections", "GET", lambda w: "/api/v1/registers/objections/?opd=DINKES",
        E(401, 403, 200, 404, 200, 200), note="of DINKES"),
    Row("api-delivery-handover", "POST", lambda w: f"/api/v1/deliveries/{w.delivery.pk}/handover/", CASE_API,
        body=lambda w: {"delivered_at": now().isoformat(), "method": "post", "recipient_name": "Kantor Pos Tenggarong",
                        "note": "Resi RR123456789ID"}),
    Row("api-document-list", "POST", lambda w: "/api/v1/documents/", E(401, 403, 201, 400, 201, 201),
        body=lambda w: {"file": SimpleUploadedFile("a.pdf", pdf_bytes("Laporan"), content_type="application/pdf"),
                        "title": "Laporan", "category": "berkala", "opd": "DINKES"},
        json=False, note="upload for DINKES (another OPD's officer: 400, the OPD is not theirs)"),
    Row("api-document-publish", "POST", lambda w: f"/api/v1/documents/{w.draft.pk}/publish/", CASE_API),
    Row("api-document-unpublish", "POST", lambda w: f"/api/v1/documents/{w.published.pk}/unpublish/", CASE_API,
        body=lambda w: {"reason": "Salah unggah"}),

    # The DIK of DINKES: its Atasan PPID and PPID Utama add and revise entries; its PPID Pelaksana 403; another OPD's
    # officers and Atasan 404 (the OPD is not theirs); a citizen 403 on the list, 404 on an entry (as every object
    # the staff API names).
    Row("api-dik-list", "POST", lambda w: "/api/v1/dik/", E(401, 403, 403, 404, 201, 201, foreign_atasan=404),
        body=lambda w: {**_dik_entry_body(), "opd": "DINKES"}, note="for DINKES"),
    Row("api-dik-detail", "PATCH", lambda w: f"/api/v1/dik/{w.dik.pk}/",
        E(401, 404, 403, 404, 200, 200, foreign_atasan=404), body=lambda w: {"valid_until": "2046-01-31"}),

    # --- API: PPID Utama
    Row("api-holiday-list", "POST", lambda w: "/api/v1/holidays/", E(401, 403, 403, 403, 403, 201),
        body=lambda w: {"date": f"{today_wita().year}-09-09", "name": "Hari jadi", "kind": "local"}),
    Row("api-holiday-detail", "PATCH", lambda w: f"/api/v1/holidays/{w.holiday.date}/",
        E(401, 403, 403, 403, 403, 200), body=lambda w: {"name": "Hari jadi Kutai Kartanegara"}),
    Row("api-holiday-detail", "DELETE", lambda w: f"/api/v1/holidays/{w.holiday.date}/",
        E(401, 403, 403, 403, 403, 204)),
    Row("api-compliance", "GET", lambda w: "/api/v1/compliance/", ADMIN_API),
    Row("api-compliance-report", "GET", lambda w: "/api/v1/compliance/report/", ADMIN_API),
]
del n


# URL patterns that are not the portal's to test here: Django's admin (its own staff login), the schema and its UI.
EXCLUDED_PREFIXES = ("django-admin/", "api/schema/", "api/docs/", "static/", "media/")


class World:
    pass


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The module's data, made once inside a transaction that is rolled back at the end; each test runs in a
    savepoint inside it (pytest-django's `db`), so what one row changes the next never sees."""
    with rolled_back_at_end(django_db_blocker):
        yield _build_world()


def _build_world() -> World:
    w = World()
    directory_and_calendar_seed()
    year = today_wita().year
    opds = {o.code: o for o in OPD.objects.all()}
    password = "pw-Secret-1"
    w.users = {
        **officers_create(password),
        "citizen": get_user_model().objects.create_user(username="warga", email="warga@example.org",
                                                        password=password),
    }
    w.tokens = {role: Token.objects.create(user=user).key for role, user in w.users.items()}
    w.uid = urlsafe_base64_encode(str(w.users["citizen"].pk).encode())
    w.spare = officer_create(username="cadangan.dinkes", opd_code="DINKES", role=Role.PELAKSANA, password=None,
                             email="cadangan@example.org")
    w.spare_role = Membership.objects.create(user=w.spare, opd=opds["DPUPR"], role=Role.PELAKSANA)

    def submission():
        data = request_data()
        data.pop("opd")
        upload = SimpleUploadedFile("ktp.png", png_bytes(), content_type="image/png")
        return request_submit(opd=opds["DINKES"], data=data, identity_document=upload)

    def submit():
        return submission().case

    first = submission()
    w.case, w.case_code = first.case, first.tracking_code  # open, submitted (the code for the message API)
    w.answered = submit()  # answered, with an answered objection (to report as a dispute) and a filed one
    w.objectable = submit()  # answered, no objection yet
    Case.objects.filter(pk__in=[w.answered.pk, w.objectable.pk]).update(
        status=Status.ANSWERED, decision="rejected_exempt", exemption="a", answered_at=now())
    today = today_wita()
    w.objection = Objection.objects.create(
        objection_number=f"KEB-DINKES-{year}-90001", case=w.answered, opd=opds["DINKES"], ground="a",
        reason="Ditolak", status=ObjectionStatus.ANSWERED, outcome="dismissed", filed_at=now(), received_on=today,
        due_date=today + dt.timedelta(days=40), answered_at=now(), answer="Sesuai Pasal 17",
        commission_deadline=today + dt.timedelta(days=20))
    w.filed = Objection.objects.create(
        objection_number=f"KEB-DINKES-{year}-90002", case=w.answered, opd=opds["DINKES"], ground="b",
        reason="Tidak ditanggapi", filed_at=now(), received_on=today, due_date=today + dt.timedelta(days=40))
    w.notice = CaseAttachment.objects.create(
        case=w.answered, kind=CaseAttachment.Kind.NOTICE, file=ContentFile(pdf_bytes("Surat"), name="surat.pdf"),
        filename="surat.pdf", content_type="application/pdf", size=100, public=True, created_at=now())
    data = request_data(on_behalf_of="Hj. Aminah")
    data.pop("opd")
    w.desk_case = request_record(  # identity scan still owed, a surat kuasa
        opd=opds["DINKES"], data=data, recorded_by=w.users["officer"], channel="letter",
        authority_document=SimpleUploadedFile("kuasa.pdf", pdf_bytes("Surat kuasa"), content_type="application/pdf")
    ).case
    w.forwarded = submit()
    Case.objects.filter(pk=w.forwarded.pk).update(opd=opds["DPUPR"], status=Status.FORWARDED, forward_count=1)
    CaseEvent.objects.create(case=w.forwarded, at=now(), kind=EventKind.FORWARDED, from_status=Status.SUBMITTED,
                             to_status=Status.FORWARDED, actor=w.users["officer"],
                             data={"from_opd": "DINKES", "to_opd": "DPUPR"})
    w.attachment = CaseAttachment.objects.create(
        case=w.case, kind=CaseAttachment.Kind.MATERIAL, file=ContentFile(pdf_bytes("Data"), name="data.pdf"),
        filename="data.pdf", content_type="application/pdf", size=100, public=True, uploaded_by=w.users["officer"],
        created_at=now())
    w.letter_pdf = pdf_bytes("Tanda bukti")
    w.letter = IssuedLetter.objects.create(
        kind="receipt", case=w.case, reference=w.case.registration_number, opd=opds["DINKES"], issued_at=now(),
        sha256=hashlib.sha256(w.letter_pdf).hexdigest(), file=ContentFile(w.letter_pdf, name="surat.pdf"),
        filename="tanda-bukti.pdf")

    def document(status, title):
        return Document.objects.create(
            title=title, summary="Ringkasan", category="berkala", opd=opds["DINKES"],
            file=ContentFile(pdf_bytes(title), name="doc.pdf"), original_filename="doc.pdf",
            content_type="application/pdf", size=100, sha256="0" * 64, status=status, scan_state=ScanState.DONE,
            personal_data_findings=[], published_at=now() if status == DocumentStatus.PUBLISHED else None,
            created_by=w.users["officer"], created_at=now(), updated_at=now())

    # A receipt waiting to be handed over (issued an hour ago), and a written notice handed over with its receipt.
    w.delivery = LetterDelivery.objects.create(case=w.case, opd=opds["DINKES"], letter="receipt",
                                               issued_at=now() - dt.timedelta(hours=1), due_on=today)
    w.delivered = LetterDelivery.objects.create(
        case=w.answered, opd=opds["DINKES"], letter="notice", attachment=w.notice, issued_at=now(), due_on=today,
        delivered_at=now(), method="in_person", recipient_name="Siti Rahmawati", delivered_by=w.users["officer"],
        receipt_file=ContentFile(pdf_bytes("Tanda bukti penyerahan"), name="penyerahan.pdf"))

    w.published = document(DocumentStatus.PUBLISHED, "Laporan keuangan")
    w.draft = document(DocumentStatus.DRAFT, "Rencana kerja")
    w.holiday = Holiday.objects.create(date=dt.date(year, 8, 20), name="Hari jadi", kind="local")
    w.publication = ReportPublication(year=year - 1, built_at=now(), size=100, sha256="0" * 64,
                                      published_by=w.users["utama"], published_at=now())
    w.publication.file.save("laporan.pdf", ContentFile(pdf_bytes("Laporan tahunan")), save=True)
    w.dik = dik_entry_make(opds["DINKES"])
    return w


def _client(w, role: str, api: bool):
    if api:
        client = APIClient()
        if role in w.tokens:
            client.credentials(HTTP_AUTHORIZATION=f"Token {w.tokens[role]}")
        return client
    client = Client()
    if role in w.users:
        client.force_login(w.users[role])
    if role == "requester":
        session = client.session
        session[SESSION_KEY] = [tracked_entry(case) for case in (w.case, w.answered, w.objectable)]
        session.save()
    return client


def _send(client, row: Row, w):
    url = row.url(w)
    body = row.body(w) if row.body else {}
    method = getattr(client, row.method.lower())
    if isinstance(client, APIClient):
        if row.method == "GET":
            return method(url)
        return method(url, body, format="json" if row.json else "multipart")
    return method(url, body) if row.method != "GET" else method(url)


def _matches(response, expected) -> bool:
    status = response.status_code
    where = urlsplit(response.get("Location", "")).path if status in (301, 302) else ""
    if expected == LOGIN:
        return status == 302 and where == "/masuk/"
    if expected == TRACK:
        return status == 302 and where == "/lacak/"
    if expected == REFUSED:
        return status == 404 or (status == 302 and where == "/lacak/")
    if expected == DONE:
        return status == 302 and where not in ("/masuk/", "/lacak/")
    if isinstance(expected, tuple):
        return status in expected
    return status == expected


CELLS = [(row, role) for row in MATRIX for role in ROLES]


@pytest.mark.parametrize(("row", "role"), CELLS, ids=[f"{row.id} as {role}" for row, role in CELLS])
def test_access(world, db, row, role):
    expected = row.expected[role]
    response = _send(_client(world, role, row.url(world).startswith("/api/")), row, world)
    assert _matches(response, expected), (
        f"{row.method} {row.url(world)} as {role}: got {response.status_code} "
        f"{response.get('Location', '')}, expected {expected}")
    if row.unchanged and expected != DONE:
        row.unchanged(world)


def _patterns(resolvers, prefix=""):
    for entry in resolvers:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route, entry.name


def test_every_url_pattern_has_a_row():
    covered = {row.name for row in MATRIX}
    patterns = [(route, name) for route, name in _patterns(get_resolver().url_patterns)
                if not route.startswith(EXCLUDED_PREFIXES)]
    missing = sorted(f"{route} ({name})" for route, name in patterns if name not in covered)
    assert not missing, f"URL patterns without a row in the access matrix: {missing}"
    assert len(patterns) > 60  # the walk found the portal's URLs, not an empty resolver


def test_every_row_names_a_real_pattern():
    names = {name for _route, name in _patterns(get_resolver().url_patterns)}
    assert {row.name for row in MATRIX} <= names
