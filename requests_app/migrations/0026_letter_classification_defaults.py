"""Placeholder classification codes and retention for each kind of letter: the regency replaces them with the codes
of its own Klasifikasi Arsip and its Jadwal Retensi Arsip (JRA) in the admin."""

from django.db import migrations

DEFAULTS = {
    "receipt": ("000.5.2.1", "Aktif 1 tahun, inaktif 4 tahun, musnah",
                "Tanda bukti penerimaan permohonan informasi publik"),
    "notice": ("000.5.2.2", "Aktif 2 tahun, inaktif 8 tahun, permanen",
               "Pemberitahuan tertulis atas permohonan informasi publik"),
    "extension": ("000.5.2.2", "Aktif 2 tahun, inaktif 8 tahun, permanen",
                  "Pemberitahuan perpanjangan jangka waktu"),
    "objection_receipt": ("000.5.2.3", "Aktif 2 tahun, inaktif 8 tahun, permanen",
                          "Tanda bukti pengajuan keberatan"),
    "objection_answer": ("000.5.2.3", "Aktif 2 tahun, inaktif 8 tahun, permanen",
                         "Tanggapan Atasan PPID atas keberatan"),
    "delivery_receipt": ("000.5.2.4", "Aktif 1 tahun, inaktif 4 tahun, musnah",
                         "Tanda bukti penyerahan surat kepada pemohon"),
    "annual_report": ("000.5.2.5", "Aktif 2 tahun, inaktif 10 tahun, permanen",
                      "Laporan tahunan layanan informasi publik"),
}


def seed(apps, schema_editor):
    LetterClassification = apps.get_model("requests_app", "LetterClassification")
    for kind, (code, retention, description) in DEFAULTS.items():
        # An edit made before this ran (or a re-run) is kept.
        LetterClassification.objects.get_or_create(
            kind=kind, defaults={"code": code, "retention": retention, "description": description})


class Migration(migrations.Migration):
    dependencies = [("requests_app", "0025_letter_archive")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
