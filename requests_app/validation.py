"""Input rules shared by the form and the API: NIK, contact, uploads checked by content, the papers a legal entity,
a group or someone filing for another brings, and when a request recorded at the desk may say it was received."""

import datetime as dt
import re

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

NIK_RE = re.compile(r"^\d{16}$")
PHONE_RE = re.compile(r"^\+?[0-9][0-9 \-]{6,18}[0-9]$")

# What an identity document may be, judged by the file's first bytes, never by its name.
IDENTITY_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def validate_identity_number(value: str, requester_type: str) -> str:
    value = (value or "").strip().replace(" ", "")
    if requester_type in ("individual", "group", "", None):
        if not NIK_RE.match(value):
            raise ValidationError(_("NIK harus terdiri dari 16 angka."), code="nik")
    elif not value or len(value) > 32:
        raise ValidationError(_("Nomor identitas badan hukum wajib diisi (maksimal 32 karakter)."), code="id")
    return value


def validate_phone(value: str) -> str:
    value = (value or "").strip()
    if value and not PHONE_RE.match(value):
        raise ValidationError(_("Nomor telepon tidak valid (contoh: 081234567890)."), code="phone")
    return value


def phone_for_text(value: str) -> str:
    """The number a text message goes to, in international form (+62…), or "" when `value` cannot take one: an
    Indonesian number must be a mobile one (08…, 628…, +628…); a landline (0541-…) gets no text message. A number
    of another country is taken as written (its own + prefix)."""
    digits = re.sub(r"[\s\-]", "", value or "")
    if not re.fullmatch(r"\+?\d{8,15}", digits):
        return ""
    if digits.startswith("+"):
        number = digits
    elif digits.startswith("0"):
        number = "+62" + digits[1:]
    elif digits.startswith("62"):
        number = "+" + digits
    else:
        return ""
    if number.startswith("+62") and not number.startswith("+628"):
        return ""
    return number


def sniff_type(upload) -> str | None:
    """The MIME type the file's content shows, or None."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    return kind.mime if kind else None


def validate_upload(upload, *, allowed: dict[str, str], max_bytes: int) -> str:
    """Check size and real type; returns the MIME type. Raises ValidationError with a clear message."""
    if upload is None:
        raise ValidationError(_("Berkas wajib diunggah."), code="required")
    if upload.size == 0:
        raise ValidationError(_("Berkas kosong."), code="empty")
    if upload.size > max_bytes:
        raise ValidationError(
            _("Berkas terlalu besar (%(size)s MB); batasnya %(max)s MB.")
            % {"size": round(upload.size / 1048576, 1), "max": round(max_bytes / 1048576, 1)},
            code="too_large",
        )
    mime = sniff_type(upload)
    if mime not in allowed:
        raise ValidationError(
            _("Jenis berkas tidak diterima: isinya bukan %(kinds)s.")
            % {"kinds": "/".join(sorted({v.upper() for v in allowed.values()}))},
            code="type",
        )
    return mime


def validate_identity_document(upload) -> str:
    return validate_upload(upload, allowed=IDENTITY_TYPES, max_bytes=settings.PPID_UPLOAD_MAX_BYTES)


# Who files for whom. A legal entity or a group shows its deed or registration; someone filing for another person
# shows the surat kuasa: the same kinds of file, and the same limit, as the identity scan.
ON_BEHALF_OF_MAX_LENGTH = 200
AUTHORITY_REQUIRED_TYPES = ("legal_entity", "group")


def authority_document_required(requester_type: str, on_behalf_of: str) -> bool:
    """A legal entity or a group files with its papers; anyone filing for someone else, with a surat kuasa."""
    return requester_type in AUTHORITY_REQUIRED_TYPES or bool((on_behalf_of or "").strip())


def validate_authority_document(upload) -> str:
    return validate_upload(upload, allowed=IDENTITY_TYPES, max_bytes=settings.PPID_UPLOAD_MAX_BYTES)


def authority_document_missing_message() -> str:
    return _("Lampirkan akta pendirian atau surat pengesahan badan hukum/kelompok, atau surat kuasa bila "
             "mengajukan atas nama orang lain (PDF, JPG atau PNG).")


# A request received at the desk, by letter, phone, e-mail or fax is recorded with the moment it was received:
# never in the future, at most RECEIVED_BACK_DAYS calendar days back, and with a note saying why when it was
# received before it is recorded (a letter opened today that came yesterday). A receipt within
# RECEIVED_NOTE_GRACE of now is "now": the officer filling in the form while the requester waits needs no note.
RECEIVED_BACK_DAYS = 30
RECEIVED_NOTE_GRACE = dt.timedelta(hours=1)
RECEIVED_NOTE_MAX_LENGTH = 500


def received_errors(received_at: dt.datetime | None, note: str, now: dt.datetime) -> dict[str, list[str]]:
    """The rules for when a request recorded by an officer was received, shared by the desk page and the API:
    {field: [messages]}, empty when `received_at` (aware) and `note` are acceptable as of `now`."""
    from ppid_portal.clock import WITA

    if received_at is None:
        return {}
    if received_at.tzinfo is None:
        return {"received_at": [_("Sertakan zona waktu (misalnya +08:00 untuk WITA).")]}
    if received_at > now:
        return {"received_at": [_("Waktu diterima tidak boleh di masa depan.")]}
    if (now.astimezone(WITA).date() - received_at.astimezone(WITA).date()).days > RECEIVED_BACK_DAYS:
        message = _("Waktu diterima paling lama %(days)s hari yang lalu.") % {"days": RECEIVED_BACK_DAYS}
        return {"received_at": [message]}
    if now - received_at > RECEIVED_NOTE_GRACE and not (note or "").strip():
        return {"received_note": [_("Jelaskan mengapa permohonan dicatat setelah diterima (misalnya: surat "
                                    "diterima kemarin sore).")]}
    return {}


# The required text fields, each with its own message (the message names the field it sits beside).
REQUIRED_TEXTS = {
    "name": _lazy("Nama lengkap wajib diisi."),
    "address": _lazy("Alamat wajib diisi."),
    "information_requested": _lazy("Rincian informasi yang dibutuhkan wajib diisi."),
    "purpose": _lazy("Tujuan penggunaan informasi wajib diisi."),
}


def request_errors(data: dict) -> dict[str, list[str]]:
    """Cross-field rules of the request form, shared by the page form and the API.

    Normalises `identity_number`, `phone` and `on_behalf_of` in `data`, asks for the authority document where
    authority_document_required says so, and drops a copy format sent with a request to view the
    information (there is no copy: the page's no-JS form always sends its default format); returns
    {field: [messages]} (empty when valid).
    """
    errors: dict[str, list[str]] = {}
    try:
        data["identity_number"] = validate_identity_number(data.get("identity_number"), data.get("requester_type"))
    except ValidationError as exc:
        errors["identity_number"] = exc.messages
    try:
        data["phone"] = validate_phone(data.get("phone", ""))
    except ValidationError as exc:
        errors["phone"] = exc.messages
    if not data.get("email") and not data.get("phone") and "phone" not in errors:
        errors["email"] = [_("Isi e-mail atau nomor telepon agar kami dapat menghubungi Anda.")]
    if data.get("delivery_method") == "email" and not data.get("email"):
        errors.setdefault("email", []).append(_("E-mail wajib diisi bila dikirim lewat e-mail."))
    for field, message in REQUIRED_TEXTS.items():
        if not (data.get(field) or "").strip():
            errors[field] = [str(message)]
    if "on_behalf_of" in data:
        data["on_behalf_of"] = (data.get("on_behalf_of") or "").strip()
    if (authority_document_required(data.get("requester_type", ""), data.get("on_behalf_of", ""))
            and not data.get("authority_document")):
        errors["authority_document"] = [authority_document_missing_message()]
    if data.get("obtain_method") == "copy":
        if not data.get("copy_format"):
            errors["copy_format"] = [_("Pilih format salinan (softcopy atau hardcopy).")]
    elif "copy_format" in data:
        data["copy_format"] = ""
    return errors
