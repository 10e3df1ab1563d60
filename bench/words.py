"""Vocabulary for seeded case topics and document text (Bahasa Indonesia, as the portal's content is)."""

CASE_TOPICS = [
    "Data jumlah puskesmas dan tenaga kesehatan per kecamatan",
    "Rincian anggaran pemeliharaan jalan kabupaten",
    "Daftar penerima bantuan sosial per desa",
    "Laporan realisasi APBD tahun lalu",
    "Dokumen AMDAL tambang batu bara di Loa Kulu",
    "Jadwal dan hasil seleksi pegawai",
    "Data sekolah dan jumlah guru per kecamatan",
    "Kontrak pengadaan alat kesehatan",
    "Izin lingkungan perkebunan kelapa sawit",
    "Rencana tata ruang wilayah Tenggarong",
]

# A word nearly every document has (the common search) and one that only one document has (the rare one).
COMMON_WORD = "anggaran"
RARE_WORD = "zirkonium"

DOC_WORDS = (
    "laporan keuangan daerah realisasi pendapatan belanja modal pegawai barang jasa hibah bantuan sosial "
    "kesehatan puskesmas rumah sakit dokter perawat bidan obat vaksin imunisasi gizi stunting sanitasi air "
    "bersih jalan jembatan drainase irigasi bendungan perumahan permukiman tata ruang izin lingkungan "
    "tambang batu bara kelapa sawit perkebunan perikanan pertanian padi jagung pupuk benih ternak pasar "
    "pendidikan sekolah guru murid beasiswa kurikulum perpustakaan kebudayaan pariwisata festival erau "
    "kutai kartanegara tenggarong samarinda mahakam sungai hutan kebakaran banjir bencana pengungsi "
    "kependudukan akta kelahiran kartu keluarga pernikahan perceraian penduduk desa kelurahan kecamatan "
    "peraturan bupati keputusan daerah rencana strategis kerja tahunan evaluasi kinerja inspeksi audit "
    "pengadaan kontrak tender lelang penyedia rekanan pengawasan proyek fisik konsultan perencanaan "
    "tenaga kerja transmigrasi pelatihan upah minimum koperasi usaha mikro kecil menengah perdagangan "
    "perhubungan terminal angkutan pelabuhan bandara lalu lintas parkir retribusi pajak bumi bangunan"
).split()
