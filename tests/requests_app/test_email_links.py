"""Every e-mail links to the page it speaks of, with an absolute address from PPID_SITE_URL: the requester's to the
tracking page (never with the tracking code in the URL), the officers' and the Atasan PPID's to the case or the
objection, the digest to the queue. The flows below send every kind of e-mail the portal has."""

import datetime as dt
import re
from pathlib import Path
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client, override_settings

from ppid_portal.links import absolute_url
from requests_app.deadlines.digest import digest_send
from requests_app.deadlines.sweep import sweep_run
from requests_app.services import notify
from requests_app.services.actions import case_answer, case_assign, case_extend, case_forward
from requests_app.services.messages import message_from_officer, message_from_requester
from requests_app.services.objections import objection_answer, objection_file
from requests_app.services.tracking_codes import tracking_code_reissue
from requests_app.tracking import display
from tests.conftest import dik_entry_make

WITA = dt.timezone(dt.timedelta(hours=8))
SITE = "https://ppid.kukarkab.example"
EMAILS = Path(settings.BASE_DIR) / "templates" / "emails"
URL = re.compile(r"https?://\S+")


def at(day: dt.date, hour: int = 9):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=WITA), tick=False)


def _track(ctx):
    return absolute_url("track-case", ctx["case"].registration_number)


def _case(ctx):
    return absolute_url("case-detail", ctx["case"].registration_number)


def _objection(ctx):
    return absolute_url("objection-detail", ctx["objection"].objection_number)


# The page each e-mail speaks of. A new e-mail template needs its row here (and a link in its text).
LINKS = {
    "receipt": _track,
    "requester_answered": _track,
    "requester_extended": _track,
    "requester_forwarded": _track,
    "requester_overdue": _track,
    "requester_objection_overdue": _track,
    "objection_filed": _track,
    "objection_answered": _track,
    "tracking_code_reissued": _track,
    "requester_message": _track,
    "new_case": _case,
    "assigned": _case,
    "case_reminder": _case,
    "case_overdue": _case,
    "objection_upheld": _case,
    "message_new": _case,
    "objection_new": _objection,
    "objection_reminder": _objection,
    "objection_overdue": _objection,
    "digest": lambda ctx: absolute_url("queue"),
    "dik_expiry": lambda ctx: absolute_url("dik-detail", ctx["entry"].pk),
    # Sent by opd_app/passwords.py, not by a case's flow; its link (to the set-password page, from PPID_SITE_URL)
    # is checked in tests/opd_app/test_password_reset.py.
    "password_link": None,
}
ACCOUNT_EMAILS = {name for name, link in LINKS.items() if link is None}


def body_templates() -> list[str]:
    return sorted(p.stem for p in EMAILS.glob("*.txt") if not p.stem.endswith("_subject"))


def test_every_email_template_has_a_link_and_a_row():
    for name in body_templates():
        assert "{% site_url " in (EMAILS / f"{name}.txt").read_text(), f"emails/{name}.txt links to no page"
        assert name in LINKS, f"emails/{name}.txt: say in LINKS which page it links to"


@pytest.fixture
def rendered():
    """Every e-mail rendered during the test: (template, context, body)."""
    seen = []
    real = notify.email_render

    def spy(template, context, language):
        subject, body = real(template, context, language)
        seen.append((template, context, body))
        return subject, body

    with mock.patch.object(notify, "email_render", spy), \
            mock.patch("requests_app.deadlines.dispatch.email_render", spy):
        yield seen


@override_settings(PPID_SITE_URL=SITE)
def test_every_email_links_to_its_page(rendered, submit, opds, officer, officer2, atasan, admin_utama, other_officer,
                                       dik_entry, django_capture_on_commit_callbacks):
    cap = django_capture_on_commit_callbacks
    with at(dt.date(2026, 3, 13), 10), cap(execute=True):
        first = submit()  # receipt (with the code on its first attempt), new_case
        second = submit()
    case, other = first.case, second.case
    with at(dt.date(2026, 3, 16)), cap(execute=True):
        case_assign(case=other, actor=atasan, officer=officer2)  # assigned
        case_extend(case=other, actor=officer2, reason="Data tersebar di 18 puskesmas.")  # requester_extended
        case_forward(case=other, actor=officer2, to_opd=opds["DPUPR"])  # forwarded
        message_from_requester(case=case, text="Apakah data 2024 juga ada?")  # message_new
        message_from_officer(case=case, actor=officer, text="Ada, kami lampirkan.")  # requester_message
    dik_entry_make(opds["DINKES"], valid_until=dt.date(2026, 5, 4))  # dik_expiry: it ends within 30 working days
    for day, hour in ((dt.date(2026, 3, 31), 8), (dt.date(2026, 4, 7), 0)):  # case_reminder; the overdue notices
        with at(day, hour), cap(execute=True):
            sweep_run()
    with at(dt.date(2026, 4, 7), 7), cap(execute=True):
        digest_send()
    with at(dt.date(2026, 4, 8), 10), cap(execute=True):
        case_answer(case=case, actor=officer, decision="partially_granted", note="Data per kabupaten.",
                    withheld="Data per kecamatan (rekam medis).", dik=dik_entry)
    with at(dt.date(2026, 4, 9), 10), cap(execute=True):
        objection = objection_file(case=case, ground="d", reason="Data per kecamatan tidak diberikan.")
    for day, hour in ((objection.due_date, 8), (objection.due_date + dt.timedelta(days=1), 0)):
        with at(day, hour), cap(execute=True):
            sweep_run()  # objection_reminder; objection_overdue, requester_objection_overdue
    with at(objection.due_date + dt.timedelta(days=2), 10), cap(execute=True):
        objection_answer(objection=objection, actor=atasan, outcome="upheld", answer="Berikan data per kecamatan.")
    with cap(execute=True):
        tracking_code_reissue(registration_number=other.registration_number, contact=other.email)  # a new code

    sent = {template for template, _ctx, _body in rendered}
    flows = set(body_templates()) - ACCOUNT_EMAILS
    assert sent == flows, f"not sent in these flows: {flows - sent}"
    codes = {first.tracking_code, second.tracking_code, display(first.tracking_code),
             display(second.tracking_code)}
    # The re-issued code too, raw and grouped: it reaches the e-mail's context on its first attempt only.
    codes |= {form for _t, ctx, _b in rendered if ctx.get("tracking_code")
              for form in (str(ctx["tracking_code"]), display(str(ctx["tracking_code"])))}
    for template, ctx, body in rendered:
        links = URL.findall(body)
        assert links, f"{template}: no link"
        assert all(link.startswith(SITE + "/") for link in links), (template, links)
        assert LINKS[template](ctx) in links, (template, links)
        assert not any(code in link for link in links for code in codes), (template, links)
    # What was delivered is what was rendered: every message in the outbox carries its link.
    assert mail.outbox
    for message in mail.outbox:
        assert any(link.startswith(SITE + "/") for link in URL.findall(message.body)), message.subject
    # The receipt's first attempt writes the code grouped as the screen shows it, outside any link.
    receipt = next(m for m in mail.outbox if m.to == ["siti@example.org"] and first.case.registration_number
                   in m.subject and display(first.tracking_code) in m.body)
    assert f"{SITE}/lacak/{first.case.registration_number}/" in receipt.body


@override_settings(PPID_SITE_URL=SITE)
def test_the_requesters_link_leads_to_the_page_or_to_the_prefilled_form(submit, django_capture_on_commit_callbacks):
    with at(dt.date(2026, 3, 13), 10), django_capture_on_commit_callbacks(execute=True):
        submission = submit()
    number = submission.case.registration_number
    receipt = next(m for m in mail.outbox if m.to == ["siti@example.org"])
    link = next(link for link in URL.findall(receipt.body) if "/lacak/" in link)
    path = link.removeprefix(SITE)
    # A browser without a tracking session lands on the tracking form with the number filled in ...
    stranger = Client()
    response = stranger.get(path)
    assert response.status_code == 302 and response["Location"] == f"/lacak/?registration_number={number}"
    # ... and after the code, on the page the link named.
    response = stranger.post("/lacak/", {"registration_number": number, "tracking_code": submission.tracking_code})
    assert response["Location"] == path
    assert stranger.get(path).status_code == 200
