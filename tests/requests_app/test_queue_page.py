"""The officer queue page for a day's work: subject and requester, working days left, search, who is signed in,
the empty states, the OPD column, and the cases an OPD forwarded away (with their read-only page)."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from opd_app.models import Membership, Role
from ppid_portal.clock import WITA
from ppid_portal.limits import SEARCH_QUERY_MAX_LENGTH
from requests_app import rules, workdays
from requests_app.permissions import case_forwarded_by_or_404
from requests_app.selectors.queue import SUBJECT_CHARS, case_search_for, subject_of
from requests_app.services.actions import case_act, case_answer, case_forward


def at(y, m, d, h=10):
    return time_machine.travel(dt.datetime(y, m, d, h, 0, tzinfo=WITA), tick=False)


def page(user, url="/petugas/", **params):
    client = Client()
    client.force_login(user)
    response = client.get(url, params)
    return response, response.content.decode()


def row_of(html, number):
    start = html.index(f">{number}<")
    return html[html.rindex("<tr", 0, start):html.index("</tr>", start)]


# ---------------------------------------------------------------------------------------------------- rules


def test_working_days_left_counts_on_the_holiday_calendar():
    cal = workdays.Calendar([dt.date(2026, 3, 19)])  # a Thursday holiday
    monday = dt.date(2026, 3, 16)
    assert rules.working_days_left(cal, monday, monday) == 0
    assert rules.working_days_left(cal, dt.date(2026, 3, 20), monday) == 3  # Tue, Wed, Fri
    assert rules.working_days_left(cal, dt.date(2026, 3, 12), monday) == -2  # Fri 13th and Mon 16th are late
    assert rules.working_days_left(cal, dt.date(2026, 3, 13), dt.date(2026, 3, 14)) == -1  # late on a Saturday


def test_follow_up_runs_on_its_own_due_date():
    today, first_due, follow_up = dt.date(2026, 3, 16), dt.date(2026, 2, 16), dt.date(2026, 3, 30)
    soon = dt.date(2026, 3, 19)
    # An answered case is done, unless an upheld keberatan owes a follow-up: then its date counts, not the first.
    assert rules.urgency("answered", first_due, today, soon) == "done"
    assert rules.urgency("answered", first_due, today, soon, follow_up) == "normal"
    assert rules.urgency("answered", first_due, today, soon, dt.date(2026, 3, 13)) == "overdue"
    assert rules.date_owed("answered", first_due, follow_up) == follow_up
    assert rules.date_owed("in_process", first_due, None) == first_due
    # A closed case owes nothing, whatever is stored.
    assert not rules.follow_up_owed("closed", follow_up)
    assert rules.urgency("closed", first_due, today, soon, follow_up) == "done"


def test_subject_is_the_first_words():
    assert subject_of("Data  puskesmas\n2025") == "Data puskesmas 2025"
    long = "kata " * 60
    cut = subject_of(long)
    assert cut.endswith("…") and len(cut) <= SUBJECT_CHARS + 1 and not cut[:-1].endswith(" ")


# ---------------------------------------------------------------------------------------------------- the page


@pytest.fixture
def day_of_work(submit, officer):
    """Three DINKES cases received on different days, seen on 16 March 2026."""
    with at(2026, 2, 2):
        late = submit(name="Lama Sekali", information_requested="Anggaran imunisasi campak 2025").case
    with at(2026, 3, 2):
        soon = submit(name="Hampir Tenggat", information_requested="Daftar puskesmas rawat inap").case
    with at(2026, 3, 16):
        fresh = submit(name="Baru Masuk", information_requested="Jumlah bidan desa per kecamatan").case
    return late, soon, fresh


def test_rows_show_subject_requester_and_working_days_left(day_of_work, officer):
    late, soon, fresh = day_of_work
    with at(2026, 3, 16):
        response, html = page(officer)
        today = dt.date(2026, 3, 16)
        cal = workdays.calendar_for(late.effective_due_date, fresh.effective_due_date)
    assert response.status_code == 200
    late_row, soon_row, fresh_row = (row_of(html, c.registration_number) for c in day_of_work)
    assert "Anggaran imunisasi campak 2025" in late_row and "Lama Sekali" in late_row
    assert "Daftar puskesmas rawat inap" in soon_row and "Hampir Tenggat" in soon_row
    late_days = -rules.working_days_left(cal, late.effective_due_date, today)
    assert late_days > 0 and f"terlambat {late_days} hari kerja" in late_row
    left = rules.working_days_left(cal, fresh.effective_due_date, today)
    assert left == 10 and "10 hari kerja lagi" in fresh_row
    soon_left = rules.working_days_left(cal, soon.effective_due_date, today)
    assert (f"{soon_left} hari kerja lagi" if soon_left else "hari ini") in soon_row
    # Stacked cards on a phone: every cell names its column.
    assert 'class="stack queue-table"' in html
    assert 'data-label="Batas waktu"' in fresh_row and 'data-label="Perihal dan pemohon"' in fresh_row


def test_due_today_says_today(submit, officer):
    with at(2026, 3, 2):
        case = submit().case
    with time_machine.travel(dt.datetime.combine(case.effective_due_date, dt.time(9), tzinfo=WITA), tick=False):
        _, html = page(officer)
    assert "hari ini" in row_of(html, case.registration_number)


def test_header_names_who_is_signed_in_and_one_opd_has_no_opd_column(day_of_work, officer, admin_utama):
    officer.first_name, officer.last_name = "Rina", "Wati"
    officer.save()
    with at(2026, 3, 16):
        _, html = page(officer)
    # Who is signed in is said once, in the header, as on every page.
    who = html[html.index('id="signed-in-as"'):]
    who = who[:who.index("</li>")]
    assert "Rina Wati" in who and "PPID Pelaksana DINKES" in who and 'id="queue-who"' not in html
    assert '<th scope="col">OPD</th>' not in html and 'data-label="OPD"' not in html
    with at(2026, 3, 16):
        _, html = page(admin_utama)
    assert '<th scope="col">OPD</th>' in html and 'data-label="OPD"' in html
    assert "admin.utama</strong> · PPID Utama" in html


def test_officer_of_two_opds_sees_the_opd_column(day_of_work, officer, opds):
    Membership.objects.create(user=officer, opd=opds["DPUPR"], role=Role.PELAKSANA)
    with at(2026, 3, 16):
        _, html = page(officer)
    assert '<th scope="col">OPD</th>' in html


def test_answered_case_badge_says_dijawab_not_selesai(submit, officer):
    with at(2026, 3, 2):
        case = submit().case
        case_answer(case=case, actor=officer, decision="granted", note="Terlampir.")
    with at(2026, 3, 3):
        _, html = page(officer, show="all")
    row = row_of(html, case.registration_number)
    assert '<span class="badge u-done">Dijawab</span>' in row and "Selesai" not in row


def test_search_by_number_finds_the_exact_case_of_any_status(day_of_work, officer, other_officer, submit):
    late, soon, fresh = day_of_work
    with at(2026, 3, 3):
        case_answer(case=late, actor=officer, decision="granted", note="Terlampir.")
    with at(2026, 3, 16):
        _, html = page(officer, q=late.registration_number.lower())
        assert late.registration_number in html
        assert soon.registration_number not in html and fresh.registration_number not in html
        # "DINKES-2026-1" is the same number as intake writes it (zero-padded).
        assert list(case_search_for(officer, f"DINKES-{late.year}-{late.sequence}")) == [late]
        # Another OPD's case is not found (its number confirms nothing).
        assert list(case_search_for(other_officer, late.registration_number)) == []
        _, html = page(other_officer, q=late.registration_number)
    assert f">{late.registration_number}</a>" not in html and 'id="queue-empty"' in html


def test_search_by_words_in_subject_or_requester_within_scope(day_of_work, officer, other_officer, submit):
    late, soon, fresh = day_of_work
    with at(2026, 3, 16):
        dpupr = submit(opd="DPUPR", name="Hampir Tenggat", information_requested="Daftar puskesmas baru").case
        _, html = page(officer, q="puskesmas")
        assert soon.registration_number in html and dpupr.registration_number not in html
        assert late.registration_number not in html
        _, html = page(officer, q="tenggat")  # the requester's name, any case
        assert soon.registration_number in html and late.registration_number not in html
        _, html = page(officer, q="puskesmas inap")  # every word
        assert soon.registration_number in html
        _, html = page(officer, q="puskesmas jalan")
        assert soon.registration_number not in html and "Tidak ada kasus di OPD Anda yang cocok" in html
        assert "Hapus saringan" in html


def test_search_is_length_limited_and_pages_keep_the_query(submit, officer):
    with at(2026, 3, 2):
        for i in range(52):
            submit(name=f"Pemohon {i}", information_requested=f"Data sekolah nomor {i}")
    with at(2026, 3, 3):
        response, html = page(officer, q="x" * (SEARCH_QUERY_MAX_LENGTH + 1))
        assert response.status_code == 200
        assert "Pencarian terlalu panjang" in html and 'aria-invalid="true"' in html
        _, html = page(officer, q="sekolah")
        assert "52 kasus untuk pencarian" in html and "q=sekolah&amp;page=2" in html
        _, html2 = page(officer, q="sekolah", page="2")
    assert html2.count("<tr class=") == 2


def test_empty_states_say_what_the_filter_means(officer, opds, calendar):
    with at(2026, 3, 16):
        _, html = page(officer)
        assert "Tidak ada kasus terbuka" in html and "Kerja bagus" in html
        assert 'href="/petugas/">Hapus saringan' not in html
        _, html = page(officer, overdue="1")
    assert "Tidak ada kasus yang cocok dengan saringan ini." in html
    assert f'href="{reverse("queue")}"' in html and "Hapus saringan dan tampilkan semua kasus terbuka" in html


# ---------------------------------------------------------------------------------------------------- forwarded


@pytest.fixture
def forwarded(submit, officer, other_officer):
    with at(2026, 3, 2):
        case = submit(information_requested="Peta jalan kabupaten rusak berat").case
        case_forward(case=case, actor=officer, to_opd=other_officer.ppid_roles.get().opd, note="")
    case.refresh_from_db()
    return case


def test_forwarded_filter_lists_the_cases_this_opd_forwarded_away(forwarded, officer, other_officer, submit):
    with at(2026, 3, 3):
        mine = submit(information_requested="Data gizi buruk").case  # never forwarded: not in the filter
        _, html = page(officer)
        assert forwarded.registration_number not in html  # not the OPD's work any more
        _, html = page(officer, status="forwarded")
        row = row_of(html, forwarded.registration_number)
        assert f'href="{reverse("case-forwarded", args=[forwarded.registration_number])}"' in row
        assert "ke DPUPR" in row and "Peta jalan kabupaten rusak berat" in row
        assert "Siti Rahmawati" not in row  # no requester's name on the forwarding side
        assert mine.registration_number not in html
        # The receiving OPD finds it under the same filter, as its own work (its case page).
        _, html = page(other_officer, status="forwarded")
    row = row_of(html, forwarded.registration_number)
    assert f'href="{reverse("case-detail", args=[forwarded.registration_number])}"' in row
    assert "ke DPUPR" not in row and "Siti Rahmawati" in row


def test_forwarded_filter_empty_state(officer, opds, calendar):
    with at(2026, 3, 3):
        _, html = page(officer, status="forwarded")
    assert "Tidak ada kasus yang diteruskan ke OPD Anda atau dari OPD Anda ke OPD lain." in html


def test_forwarded_page_is_read_only_with_minimal_personal_data(forwarded, officer, atasan):
    url = reverse("case-forwarded", args=[forwarded.registration_number])
    for user in (officer, atasan):
        with at(2026, 3, 3):
            response, html = page(user, url)
        assert response.status_code == 200
        assert forwarded.registration_number in html and "Dinas Pekerjaan Umum" in html
        assert "DINKES → DPUPR" in html and "Peta jalan kabupaten rusak berat" in html
        assert forwarded.effective_due_date.strftime("%Y") in html
        assert 'id="forwarded-timeline"' in html and "Permohonan diteruskan" in html
        for private in ("6403012345678901", "Jl. Mulawarman", "081234567890", "siti@example.org", "identitas/"):
            assert private not in html, private
        # Read-only: no action form, no link to the case page of the OPD now holding it.
        assert 'name="action"' not in html and "/aksi/" not in html
        assert f'href="{reverse("case-detail", args=[forwarded.registration_number])}"' not in html


def test_forwarded_page_permission(forwarded, officer, atasan, other_officer, admin_utama, opds):
    from django.contrib.auth import get_user_model
    from django.http import Http404

    from opd_app.services import officer_create

    assert case_forwarded_by_or_404(officer, forwarded.registration_number) == forwarded
    assert case_forwarded_by_or_404(atasan, forwarded.registration_number) == forwarded
    third = officer_create(username="petugas.bappeda", opd_code="BAPPEDA", role=Role.PELAKSANA,
                           password="pw-Secret-1", email="bappeda@example.org")
    citizen = get_user_model().objects.create_user(username="warga", password="pw-Secret-1")
    for user in (other_officer, third, admin_utama, citizen):
        with pytest.raises(Http404):
            case_forwarded_by_or_404(user, forwarded.registration_number)
    with pytest.raises(Http404):
        case_forwarded_by_or_404(officer, "DINKES-2026-99999")
    url = reverse("case-forwarded", args=[forwarded.registration_number])
    for user in (other_officer, third):
        assert page(user, url)[0].status_code == 404


def test_forwarded_back_and_forth_each_forwarding_opd_sees_it(forwarded, officer, other_officer):
    with at(2026, 3, 3):
        case_act(case=forwarded, actor=other_officer, action="forward", data={"to_opd": "BAPPEDA"})
    assert case_forwarded_by_or_404(officer, forwarded.registration_number).opd.code == "BAPPEDA"
    assert case_forwarded_by_or_404(other_officer, forwarded.registration_number).opd.code == "BAPPEDA"


def test_queue_in_english(day_of_work, officer):
    late, soon, fresh = day_of_work
    client = Client()
    client.force_login(officer)
    client.cookies["django_language"] = "en"
    with at(2026, 3, 16):
        html = client.get("/petugas/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Signed in as" in html and "Subject and requester" in html
    assert "10 working days left" in row_of(html, fresh.registration_number)
    assert "working days late" in row_of(html, late.registration_number)
