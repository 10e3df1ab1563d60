"""Letter numbers (nomor surat) of the letters the portal writes and sends.

Every letter an OPD's PPID sends through the portal — the written notice (pemberitahuan tertulis), the extension
notice, the keberatan receipt and the Atasan PPID's answer — takes the next number of that OPD's register of
outgoing letters (agenda surat keluar) for the year, in the usual Indonesian government form

    <nomor urut>/PPID-<kode OPD>/<tahun>        e.g. 007/PPID-DINKES/2026

The sequence is per OPD and per calendar year (the year of the day, WITA, on which the letter is made), starts at 1
each year and has no gaps: the counter row is locked like the registration numbers' (numbering.sequence_next), so
a sending that rolls back gives its number back. A preview is never numbered; the application receipt (tanda bukti)
is no numbered letter.
"""

from ppid_portal.clock import today_wita
from requests_app.models import LetterCounter
from requests_app.services.numbering import sequence_next


def format_letter_number(opd_code: str, year: int, sequence: int) -> str:
    return f"{sequence:03d}/PPID-{opd_code}/{year}"


def letter_number_next(opd) -> str:
    """Take the OPD's next letter number for this year. Must run inside the transaction that keeps the letter:
    a failure after this point returns the number to the register."""
    year = today_wita().year
    sequence = sequence_next(counter_model=LetterCounter, opd=opd, year=year)
    return format_letter_number(opd.code, year, sequence)
