"""The list of exempted information (DIK): deciding and revising entries, and the rule that a refusal or a partial
grant rests on an entry of the case's OPD valid on the day of the decision (UU 14/2008 Pasal 17, 19, 20)."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from opd_app.permissions import can_decide_dik
from ppid_portal.clock import now, today_wita
from ppid_portal.errors import MissingField, NotPermitted
from requests_app.models import DikEntry, DikRevision, Exemption
from requests_app.models.dik import (
    DIK_CONSEQUENCE_MAX_LENGTH,
    DIK_INFORMATION_MAX_LENGTH,
    DIK_LEGAL_BASIS_MAX_LENGTH,
    DIK_REVISED_FIELDS,
)

# An entry's text fields and their caps (the model's columns), for the pages', the API's and the answer's checks.
DIK_TEXT_LIMITS = {"information": DIK_INFORMATION_MAX_LENGTH, "legal_basis": DIK_LEGAL_BASIS_MAX_LENGTH,
                   "consequence": DIK_CONSEQUENCE_MAX_LENGTH}


def as_date(value) -> dt.date | None:
    """A date from a form or API value (a date, or ISO text as a review page posts it back); None when it is none."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


def dik_entry_errors(*, information: str, exemption: str, legal_basis: str, consequence: str, decided_on,
                     valid_until) -> dict[str, list[str]]:
    """Every rule of an entry, field by field: the information withheld, its Pasal 17 letter, the other law (and
    article) it rests on, the consequence test, and a validity that ends after the day it was decided (Pasal 20:
    an exemption is not for ever). The one place these rules live: the pages, the API and the answer ask it."""
    errors: dict[str, list[str]] = {}
    texts = {"information": information, "legal_basis": legal_basis, "consequence": consequence}
    required = {
        "information": _("Sebutkan informasi yang dikecualikan."),
        "legal_basis": _("Sebutkan dasar hukumnya (undang-undang dan pasalnya)."),
        "consequence": _("Uji konsekuensi wajib diisi: akibat yang timbul bila informasi dibuka dan mengapa "
                         "menutupnya melindungi kepentingan yang lebih besar."),
    }
    for field, text in texts.items():
        text = (text or "").strip()
        if not text:
            errors[field] = [required[field]]
        elif len(text) > DIK_TEXT_LIMITS[field]:
            errors[field] = [_("Paling banyak %(n)d karakter.") % {"n": DIK_TEXT_LIMITS[field]}]
    if (exemption or "") not in Exemption.values:
        errors["exemption"] = [_("Pilih huruf pengecualian Pasal 17 (a–j).")]
    decided = as_date(decided_on)
    until = as_date(valid_until)
    if decided is None:
        errors["decided_on"] = [_("Tanggal penetapan wajib diisi (YYYY-MM-DD).")]
    elif decided > today_wita():
        errors["decided_on"] = [_("Tanggal penetapan tidak boleh di masa depan.")]
    if until is None:
        errors["valid_until"] = [_("Tanggal berlaku sampai wajib diisi (YYYY-MM-DD): pengecualian tidak berlaku "
                                   "selamanya.")]
    elif decided is not None and until <= decided:
        errors["valid_until"] = [_("Tanggal berlaku sampai harus sesudah tanggal penetapan.")]
    return errors


def _raise_first(errors: dict[str, list[str]]) -> None:
    if errors:
        field, messages = next(iter(errors.items()))
        raise MissingField(messages[0], field=field)


@transaction.atomic
def dik_create(*, actor, opd, information: str, exemption: str, legal_basis: str, consequence: str, valid_until,
               decided_on=None) -> DikEntry:
    """Add an entry to `opd`'s DIK, decided by `actor` (its Atasan PPID or PPID Utama) on `decided_on` (today
    unless given)."""
    if not can_decide_dik(actor, opd.pk):
        raise NotPermitted(_("Hanya Atasan PPID OPD ini atau PPID Utama yang dapat menetapkan DIK."))
    decided_on = decided_on if decided_on is not None else today_wita()
    _raise_first(dik_entry_errors(information=information, exemption=exemption, legal_basis=legal_basis,
                                  consequence=consequence, decided_on=decided_on, valid_until=valid_until))
    at = now()
    return DikEntry.objects.create(
        opd=opd, information=information.strip(), exemption=exemption, legal_basis=legal_basis.strip(),
        consequence=consequence.strip(), decided_on=as_date(decided_on), valid_until=as_date(valid_until),
        decided_by=actor, created_at=at, updated_at=at)


@transaction.atomic
def dik_revise(*, entry: DikEntry, actor, **changes) -> DikEntry:
    """Revise an entry: the values it had are kept as a DikRevision (who revised, when), the entry takes the new
    ones and `actor` as the one who decided them. Only the fields of DIK_REVISED_FIELDS change; none changed is a
    400."""
    entry = DikEntry.objects.select_for_update().get(pk=entry.pk)
    if not can_decide_dik(actor, entry.opd_id):
        raise NotPermitted(_("Hanya Atasan PPID OPD ini atau PPID Utama yang dapat mengubah DIK."))
    new = {f: getattr(entry, f) for f in DIK_REVISED_FIELDS}
    new.update({f: v for f, v in changes.items() if f in DIK_REVISED_FIELDS and v is not None})
    _raise_first(dik_entry_errors(**new))
    new = {f: (v.strip() if f in DIK_TEXT_LIMITS else as_date(v) if f in ("decided_on", "valid_until") else v)
           for f, v in new.items()}
    if all(new[f] == getattr(entry, f) for f in DIK_REVISED_FIELDS):
        raise MissingField(_("Tidak ada yang diubah."))
    at = now()
    DikRevision.objects.create(entry=entry, number=entry.revision, decided_by_id=entry.decided_by_id,
                               revised_by=actor, revised_at=at,
                               **{f: getattr(entry, f) for f in DIK_REVISED_FIELDS})
    for field, value in new.items():
        setattr(entry, field, value)
    entry.decided_by = actor
    entry.revision += 1
    entry.updated_at = at
    entry.save(update_fields=[*DIK_REVISED_FIELDS, "decided_by", "revision", "updated_at"])
    return entry


# ------------------------------------------------------------------------------------------ the answer's rule

# The answer's fields for an entry recorded in the same step (Atasan PPID or PPID Utama only), as the action body
# and the answer form name them, and the entry's field each one fills. `exemption` and `consequence_test` keep the
# names the action body always had.
NEW_DIK_FIELDS = {"dik_information": "information", "exemption": "exemption", "dik_legal_basis": "legal_basis",
                  "consequence_test": "consequence", "dik_valid_until": "valid_until"}
# The fields that say "record a new entry" (the letter and the consequence test alone may be an old client's
# refusal without an entry: that one is asked to pick an entry).
NEW_DIK_MARKERS = ("dik_information", "dik_legal_basis", "dik_valid_until")


def dik_entry_id(value) -> int | None:
    """The entry id an answer names (`dik`): an int, a digit string or an entry; None when none or not a number."""
    if isinstance(value, DikEntry):
        return value.pk
    text = str(value if value is not None else "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else None


def wants_new_dik(data: dict) -> bool:
    return not str(data.get("dik") or "").strip() and any(str(data.get(f) or "").strip() for f in NEW_DIK_MARKERS)


def decision_dik_errors(case, data: dict, actor=None, day: dt.date | None = None) -> dict[str, list[str]]:
    """What stops `data` from resting a refusal or partial grant of `case` on a DIK entry made on `day`: an entry
    (`dik`) of the case's OPD valid that day, or the fields of a new entry that `actor` may decide (the case's
    Atasan PPID or PPID Utama). A PPID Pelaksana picks an existing entry."""
    day = day or today_wita()
    if wants_new_dik(data):
        if actor is None or not can_decide_dik(actor, case.opd_id):
            return {"dik": [_("Hanya Atasan PPID atau PPID Utama yang dapat menetapkan entri DIK baru; pilih entri "
                              "DIK yang berlaku.")]}
        errors = dik_entry_errors(**{entry_field: data.get(field) for field, entry_field in NEW_DIK_FIELDS.items()},
                                  decided_on=day)
        by_answer_field = {entry_field: field for field, entry_field in NEW_DIK_FIELDS.items()}
        return {by_answer_field.get(f, "dik"): m for f, m in errors.items()}
    raw = data.get("dik")
    if raw in (None, ""):
        return {"dik": [_("Pilih entri Daftar Informasi yang Dikecualikan (DIK) yang menjadi dasar pengecualian.")]}
    pk = dik_entry_id(raw)
    entry = DikEntry.objects.filter(pk=pk, opd_id=case.opd_id).first() if pk is not None else None
    if entry is None:
        return {"dik": [_("Entri DIK tidak ditemukan di daftar OPD ini.")]}
    if day < entry.decided_on:
        return {"dik": [_("Entri DIK ini baru ditetapkan %(d)s.") % {"d": entry.decided_on.isoformat()}]}
    if day > entry.valid_until:
        return {"dik": [_("Entri DIK ini sudah tidak berlaku sejak %(d)s; perbarui atau pilih entri lain.")
                        % {"d": (entry.valid_until + dt.timedelta(days=1)).isoformat()}]}
    return {}


def decision_dik_entry(case, data: dict, actor) -> DikEntry:
    """The entry the answer rests on, once decision_dik_errors found none: the one named, or a new one of the
    case's OPD decided by `actor` today (in the caller's transaction, so a failed answer leaves no entry)."""
    if wants_new_dik(data):
        return dik_create(actor=actor, opd=case.opd, **{entry_field: str(data.get(field) or "")
                                                       if entry_field != "valid_until" else data.get(field)
                                                       for field, entry_field in NEW_DIK_FIELDS.items()})
    return DikEntry.objects.get(pk=dik_entry_id(data.get("dik")), opd_id=case.opd_id)


def dik_choices_for(case, day: dt.date | None = None):
    """The entries an answer on `case` may rest on: its OPD's entries valid on `day` (today)."""
    return DikEntry.objects.filter(opd_id=case.opd_id).valid_on(day or today_wita()).order_by("exemption", "id")
