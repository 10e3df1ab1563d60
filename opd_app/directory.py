"""The OPD of Kabupaten Kutai Kartanegara that run a PPID, plus Diskominfo as PPID Utama.

Codes are the registration-number prefixes (`<code>-<YYYY>-<NNNNN>`): short, upper case, no hyphen.
Addresses are in Tenggarong, the regency seat; contacts are the OPD's public service e-mail.
"""

PPID_UTAMA_CODE = "DISKOMINFO"

# (code, name, kind)
OPD_DIRECTORY = [
    ("DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas"),
    ("SETDA", "Sekretariat Daerah", "sekretariat"),
    ("SETWAN", "Sekretariat Dewan Perwakilan Rakyat Daerah", "sekretariat"),
    ("INSPEKTORAT", "Inspektorat Daerah", "inspektorat"),
    ("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "badan"),
    ("BPKAD", "Badan Pengelolaan Keuangan dan Aset Daerah", "badan"),
    ("BAPENDA", "Badan Pendapatan Daerah", "badan"),
    ("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "badan"),
    ("BPBD", "Badan Penanggulangan Bencana Daerah", "badan"),
    ("KESBANGPOL", "Badan Kesatuan Bangsa dan Politik", "badan"),
    ("DISDIKBUD", "Dinas Pendidikan dan Kebudayaan", "dinas"),
    ("DINKES", "Dinas Kesehatan", "dinas"),
    ("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", "dinas"),
    ("DISPERKIM", "Dinas Perumahan dan Kawasan Permukiman", "dinas"),
    ("SATPOLPP", "Satuan Polisi Pamong Praja", "satuan"),
    ("DINSOS", "Dinas Sosial", "dinas"),
    ("DISNAKERTRANS", "Dinas Tenaga Kerja dan Transmigrasi", "dinas"),
    ("DP3A", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "dinas"),
    ("DLHK", "Dinas Lingkungan Hidup dan Kehutanan", "dinas"),
    ("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "dinas"),
    ("DPMD", "Dinas Pemberdayaan Masyarakat dan Desa", "dinas"),
    ("DPPKB", "Dinas Pengendalian Penduduk dan Keluarga Berencana", "dinas"),
    ("DISHUB", "Dinas Perhubungan", "dinas"),
    ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "dinas"),
    ("DISPAR", "Dinas Pariwisata", "dinas"),
    ("DISTANAK", "Dinas Pertanian dan Peternakan", "dinas"),
    ("DISPERINDAG", "Dinas Perindustrian dan Perdagangan", "dinas"),
    ("DISKOPUKM", "Dinas Koperasi dan Usaha Kecil Menengah", "dinas"),
]

# The head's title, in place of the unit's own first word (Dinas, Badan, …) in its name.
HEAD_TITLES = {
    "sekretariat": "Sekretaris",
    "inspektorat": "Inspektur",
    "badan": "Kepala Badan",
    "dinas": "Kepala Dinas",
    "satuan": "Kepala Satuan",
}
