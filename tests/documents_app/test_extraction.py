"""Text extraction and the personal-data scan, as pure functions."""

import io
import zipfile

import pytest

from documents_app.extraction import ExtractionError, extract_text, mask, scan_personal_data
from tests.conftest import pdf_bytes

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_bytes(*paragraphs: str) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    xml = ('<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
           f'wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", xml)
    return buf.getvalue()


def kinds(text):
    return [f["kind"] for f in scan_personal_data(text)]


def test_pdf_text_is_extracted():
    assert "Anggaran Dinas Kesehatan" in extract_text(pdf_bytes("Anggaran Dinas Kesehatan 2026"), "application/pdf")


def test_docx_paragraphs_are_extracted_without_gluing_words():
    text = extract_text(docx_bytes("Rencana Strategis", "Puskesmas Tenggarong"), DOCX)
    assert "Rencana Strategis" in text and "Strategis Puskesmas" in text


def test_damaged_pdf_raises_extraction_error():
    with pytest.raises(ExtractionError):
        extract_text(b"%PDF-1.7\n garbage", "application/pdf")


def test_images_have_no_text():
    assert extract_text(b"\x89PNG....", "image/png") == ""


@pytest.mark.parametrize("text", [
    "NIK 6403012345678901.", "NIK: 6403 0123 4567 8901", "nik 6403.0123.4567.8901 ",
])
def test_nik_in_its_usual_spellings(text):
    assert kinds(text) == ["nik"]


@pytest.mark.parametrize("text", [
    "HP 081234567890", "Telp 0812-3456-7890", "WA +62 812 3456 7890", "hubungi 6281234567890", "(+62)8123456789",
])
def test_indonesian_mobile_numbers(text):
    assert kinds(text) == ["phone"]


@pytest.mark.parametrize("text", [
    "Anggaran Rp 1.250.000.000 tahun 2025", "Nomor surat 800/123/DINKES/2026", "NPWP 01.234.567.8-901.000",
    "Kode pos 75511, tahun 2024-2025", "17 digit 12345678901234567",
])
def test_ordinary_numbers_are_not_personal_data(text):
    assert kinds(text) == []


def test_email_and_masking_keeps_only_edges():
    findings = scan_personal_data("Kirim ke budi.santoso@example.org segera")
    assert findings == [{"kind": "email", "excerpt": "Kirim ke bu**.*******@*******.*rg segera"}]
    assert mask("6403012345678901") == "64************01"


def test_every_value_in_an_excerpt_is_masked():
    text = "NIK 6403012345678901 HP 081234567890"
    for finding in scan_personal_data(text):
        assert "6403012345678901" not in finding["excerpt"] and "081234567890" not in finding["excerpt"]
