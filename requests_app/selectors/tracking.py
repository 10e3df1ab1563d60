"""The requester's way in: a case found by its registration number and tracking code, and what its tracking page
shows first (the answer once there is one, else where the request stands and what comes next)."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from opd_app.models import OPD
from ppid_portal.clock import today_wita
from requests_app import workdays
from requests_app.models import Case, CaseAttachment, Decision, Status
from requests_app.tracking import check_tracking_code, normalise

# One plain line under the decision's label: what the requester got.
DECISION_EXPLANATIONS = {
    Decision.GRANTED: _("seluruh informasi yang Anda minta diberikan."),
    Decision.PARTIALLY_GRANTED: _("sebagian informasi diberikan; bagian yang tidak diberikan dan alasannya "
                                  "ada di surat pemberitahuan."),
    Decision.REJECTED_EXEMPT: _("informasi yang Anda minta termasuk informasi yang dikecualikan sehingga tidak "
                                "diberikan."),
    Decision.NOT_HELD: _("OPD ini tidak menguasai informasi yang Anda minta."),
    Decision.NOT_DOCUMENTED: _("informasi yang Anda minta belum ada dalam bentuk dokumen."),
}

# What happens next while the request waits for its answer, by status.
NEXT_STEPS = {
    Status.SUBMITTED: _("Permohonan Anda sudah diterima dan menunggu diproses petugas PPID. PPID wajib mengirim "
                        "pemberitahuan tertulis paling lambat pada batas waktu di atas; Anda akan menerima e-mail "
                        "saat jawaban dikirim."),
    Status.IN_PROCESS: _("Petugas PPID sedang memproses permohonan Anda. Anda akan menerima e-mail saat jawaban "
                         "dikirim."),
    Status.EXTENDED: _("Jangka waktu jawaban telah diperpanjang satu kali (paling lama 7 hari kerja). Anda akan "
                       "menerima e-mail saat jawaban dikirim."),
    Status.FORWARDED: _("Permohonan Anda diteruskan ke OPD yang menguasai informasi itu; batas waktu jawaban tidak "
                        "berubah. Anda akan menerima e-mail saat jawaban dikirim."),
    Status.WITHDRAWN: _("Permohonan ini telah dicabut; tidak ada tindak lanjut."),
}

# The letters that are the answer itself come first among the downloads, the newest notice on top.
ANSWER_KINDS = (CaseAttachment.Kind.NOTICE, CaseAttachment.Kind.MATERIAL)


def find_tracked_case(registration_number: str, tracking_code: str) -> Case | None:
    """The case if the number and code match, else None (the caller answers 404 either way)."""
    number = (registration_number or "").strip().upper()
    case = Case.objects.select_related("opd").filter(registration_number=number).first()
    if case is None or not check_tracking_code(normalise(tracking_code), case.tracking_code_hash):
        return None
    return case


def opd_named_by(registration_number: str) -> OPD | None:
    """The OPD whose code a registration number starts with (DINKES-2026-00001: DINKES), read from the number alone:
    it tells nothing about whether such a case exists."""
    prefix, *rest = (registration_number or "").strip().upper().rsplit("-", 2)
    return OPD.objects.filter(code=prefix).first() if len(rest) == 2 and prefix else None


def _exemption_words(case: Case) -> str:
    # The label reads "h. mengungkap rahasia pribadi": the letter is said once, by the page's "Pasal 17 huruf h".
    label = str(case.get_exemption_display())
    return label.split(". ", 1)[1] if ". " in label else label


def tracking_page(case: Case, today: dt.date | None = None) -> dict:
    """Everything the tracking page shows about `case`, in the order the requester needs it."""
    from requests_app.services.objections import objection_window

    today = today or today_wita()
    attachments = list(case.attachments.filter(public=True).exclude(kind=CaseAttachment.Kind.RECEIPT)
                       .order_by("-created_at", "-pk"))
    answer_files = ([a for a in attachments if a.kind == CaseAttachment.Kind.NOTICE]
                    + [a for a in attachments if a.kind == CaseAttachment.Kind.MATERIAL])
    other_files = [a for a in attachments if a.kind not in ANSWER_KINDS]
    answered = bool(case.decision and case.answered_at)
    page = {
        "answered": answered,
        "answer_files": answer_files,
        "other_files": other_files,
        "objections": list(case.objections.order_by("filed_at")),
    }
    if answered:
        page["decision_label"] = case.get_decision_display()
        page["decision_explanation"] = DECISION_EXPLANATIONS.get(case.decision, "")
        if case.decision == Decision.REJECTED_EXEMPT and case.exemption:
            page["exemption_words"] = _exemption_words(case)
    else:
        due = case.effective_due_date
        page["overdue"] = case.is_overdue(today)
        page["days_left"] = (workdays.working_days_between(today, due) if case.is_open and due >= today else None)
        page["next_step"] = NEXT_STEPS.get(case.status, "")
    # Whether a keberatan may be filed now, on which grounds, until when: the objection service decides.
    page["objection"] = objection_window(case, today)
    return page
