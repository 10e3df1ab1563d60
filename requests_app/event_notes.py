"""Timeline notes the portal writes itself, shown in the reader's language.

`CaseEvent.note` is the record: written once, in Bahasa Indonesia, never changed. A note the portal writes
itself also keeps its key and values in `data["system_note"]`; pages and the API show every note through
`note_display`, which renders a keyed note in the active language (English for a reader who chose English).
Notes written by people, and events stored before keys existed, show as stored (the first-overdue event,
written by the sweep in SQL, is recognised by its kind and due date).
"""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

TEXTS = {
    "received": _("Permohonan diterima oleh %(ppid)s %(opd)s."),
    # A request an officer recorded for the requester, one sentence per channel (the actor is the officer).
    "received_desk": _("Permohonan diterima langsung di loket %(ppid)s %(opd)s dan dicatat oleh petugas."),
    "received_letter": _("Permohonan diterima melalui surat oleh %(ppid)s %(opd)s dan dicatat oleh petugas."),
    "received_phone": _("Permohonan diterima melalui telepon oleh %(ppid)s %(opd)s dan dicatat oleh petugas."),
    "received_email": _("Permohonan diterima melalui e-mail oleh %(ppid)s %(opd)s dan dicatat oleh petugas."),
    "received_fax": _("Permohonan diterima melalui faksimile oleh %(ppid)s %(opd)s dan dicatat oleh petugas."),
    "identity_document_received": _("Dokumen identitas pemohon diserahkan dan dilampirkan oleh petugas."),
    "in_process": _("Permohonan sedang diproses."),
    "forwarded": _("Diteruskan dari %(from_opd)s ke %(to_opd)s."),
    "closed": _("Permohonan selesai."),
    "withdrawn": _("Permohonan dicabut oleh pemohon."),
    "due_date_changed": _("Batas waktu berubah dari %(old)s menjadi %(new)s karena perubahan kalender hari "
                          "libur%(reason)s."),
    "overdue": _("Batas waktu %(due)s terlewati tanpa pemberitahuan tertulis."),
    "tracking_code_reissued": _("Kode pelacakan baru dibuat dan dikirim ke e-mail pemohon yang tercatat; kode "
                                "lama tidak berlaku lagi."),
    "tracking_code_not_sent": _("Pemohon meminta kode pelacakan baru, tetapi tidak ada e-mail yang tercatat: kode "
                                "tidak diganti. Pemohon diminta menghubungi PPID dengan membawa identitas."),
    "imported": _("Dicatat dari register permohonan sebelumnya (%(source)s): tanpa kode pelacakan dan tanpa "
                  "e-mail kepada pemohon."),
    "letter_delivered": _("%(letter)s diserahkan kepada pemohon pada %(when)s."),
    "identity_document_purged": _("Dokumen identitas pemohon dihapus: masa simpannya berakhir pada %(kept_until)s."),
    "requester_documents_purged": _("Dokumen identitas dan dokumen kewenangan pemohon dihapus: masa simpannya "
                                    "berakhir pada %(kept_until)s."),
    "authority_document_purged": _("Dokumen kewenangan pemohon (akta, pengesahan atau surat kuasa) dihapus: masa "
                                   "simpannya berakhir pada %(kept_until)s."),
}


def system_note(key: str, **values) -> tuple[str, dict]:
    """(the note as the record keeps it, in Bahasa Indonesia; the `data` entry that lets pages translate it)."""
    with translation.override("id"):
        text = str(TEXTS[key]) % values
    return text, {"system_note": {"key": key, **values}}


def note_display(event) -> str:
    data = event.data if isinstance(event.data, dict) else {}
    spec = data.get("system_note")
    if isinstance(spec, dict) and spec.get("key") in TEXTS:
        try:
            return str(TEXTS[spec["key"]]) % {k: v for k, v in spec.items() if k != "key"}
        except (KeyError, TypeError, ValueError):
            return event.note
    if event.kind == "overdue" and isinstance(data.get("due_date"), str) and event.note.startswith("Batas waktu "):
        year, month, day = data["due_date"].split("-")
        return str(TEXTS["overdue"]) % {"due": f"{day}-{month}-{year}"}
    return event.note
