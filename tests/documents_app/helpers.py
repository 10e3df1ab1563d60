"""Builders for the documents tests: PDFs made with WeasyPrint, uploads, API uploads."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import pdf_bytes, pdf_text  # noqa: F401 (pdf_text re-exported for the documents tests)

PERSONAL_TEXT = (
    "Daftar penerima bantuan: Budi Santoso NIK 6403012345678901, HP 0812-3456-7890, "
    "surel budi.santoso@example.org, alamat Jl. Mulawarman Tenggarong."
)


def pdf_upload(text: str, name: str = "dokumen.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")




def api_upload(client, *, text="Laporan keuangan tahunan", title="Laporan Keuangan 2025", opd="DINKES",
               category="berkala", upload=None, **extra):
    data = {"file": upload or pdf_upload(text), "title": title, "summary": extra.pop("summary", ""),
            "category": category, "opd": opd, **extra}
    return client.post("/api/v1/documents/", data, format="multipart")


def publish(client, doc_id, **body):
    return client.post(f"/api/v1/documents/{doc_id}/publish/", body, format="json")
