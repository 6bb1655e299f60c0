"""The 2017 demo story of Kabupaten Pasuruan's economic sector, as data.

Everything the demo records is listed here, so tests can state what the demo was built to
show (DEMO_FACTS) without reading it back from the warehouse. Names of agencies follow the
seed; activities, figures and people are illustrative, not official.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

YEAR = 2017
EAST = ("Nguling", "Grati", "Lekok", "Rejoso", "Winongan", "Lumbang")

# code, name, Satrya Emas role (None = not in the program)
OPDS: tuple[tuple[str, str, str | None], ...] = (
    ("BAGPEREK", "Bagian Perekonomian Sekretariat Daerah", "member"),
    ("DISKOPUKM", "Dinas Koperasi dan Usaha Mikro", "coordinator"),
    ("BALITBANGDIKLAT", "Badan Penelitian, Pengembangan, Pendidikan dan Pelatihan", "member"),
    ("DISPERINDAG", "Dinas Perindustrian dan Perdagangan", "member"),
    ("DISNAKERSOSTRANS", "Dinas Tenaga Kerja, Sosial dan Transmigrasi", "member"),
    ("DISPERTA", "Dinas Pertanian", "member"),
    ("DISKOMINFO", "Dinas Komunikasi dan Informatika", "member"),
    ("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "member"),
    ("DISNAK", "Dinas Peternakan", None),
    ("DISKAN", "Dinas Perikanan", None),
    ("DISPARBUD", "Dinas Pariwisata dan Kebudayaan", None),
    ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", None),
)

SATRYA_EMAS_PROGRAM = "SE-2017"


@dataclass(frozen=True)
class DemoActivity:
    code: str
    opd: str
    name: str
    kecamatan: str | None
    pagu_rp: int
    indicator: str
    unit: str
    kind: str
    targets: tuple[float, float, float, float]
    problem: str | None = None
    # share of the quarterly target reached, per quarter (drives achievement and band)
    pace: float = 1.0


def _inc(total: float) -> tuple[float, float, float, float]:
    quarter = total / 4
    return (quarter, quarter, quarter, quarter)


def _cum(total: float) -> tuple[float, float, float, float]:
    return (total * 0.25, total * 0.5, total * 0.75, total)


ACTIVITIES: tuple[DemoActivity, ...] = (
    DemoActivity(
        "A-DISKOP-01",
        "DISKOPUKM",
        "Klinik BDS UMKM wilayah timur",
        "Grati",
        450_000_000,
        "UMKM didampingi",
        "UMKM",
        "cumulative",
        _cum(400),
        "PRB-03",
        0.95,
    ),
    DemoActivity(
        "A-DISKOP-02",
        "DISKOPUKM",
        "Pelatihan manajemen koperasi",
        "Nguling",
        180_000_000,
        "Peserta pelatihan",
        "orang",
        "incremental",
        _inc(120),
        None,
        0.9,
    ),
    DemoActivity(
        "A-DISKOP-03",
        "DISKOPUKM",
        "Fasilitasi permodalan UMKM",
        "Bangil",
        300_000_000,
        "UMKM menerima akses modal",
        "UMKM",
        "cumulative",
        _cum(200),
        "PRB-03",
        0.7,
    ),
    DemoActivity(
        "A-DPMPTSP-01",
        "DPMPTSP",
        "Jemput bola izin usaha mikro (IUMK)",
        "Lekok",
        120_000_000,
        "IUMK diterbitkan",
        "izin",
        "incremental",
        _inc(400),
        "PRB-01",
        1.05,
    ),
    DemoActivity(
        "A-DPMPTSP-02",
        "DPMPTSP",
        "Layanan perizinan keliling",
        "Rejoso",
        90_000_000,
        "Izin diterbitkan",
        "izin",
        "incremental",
        _inc(240),
        "PRB-01",
        0.8,
    ),
    DemoActivity(
        "A-DISPERINDAG-01",
        "DISPERINDAG",
        "Revitalisasi pasar desa",
        "Nguling",
        850_000_000,
        "Pasar direvitalisasi",
        "pasar",
        "cumulative",
        (0, 1, 2, 3),
        "PRB-02",
        0.67,
    ),
    DemoActivity(
        "A-DISPERINDAG-02",
        "DISPERINDAG",
        "Promosi produk unggulan daerah",
        None,
        250_000_000,
        "Pameran diikuti",
        "kali",
        "incremental",
        _inc(8),
        "PRB-04",
        1.0,
    ),
    DemoActivity(
        "A-DISPERINDAG-03",
        "DISPERINDAG",
        "Pelatihan desain kemasan IKM",
        "Pandaan",
        140_000_000,
        "IKM dilatih",
        "IKM",
        "incremental",
        _inc(80),
        None,
        0.85,
    ),
    DemoActivity(
        "A-DISNAKER-01",
        "DISNAKERSOSTRANS",
        "Pelatihan kerja berbasis kompetensi",
        "Winongan",
        400_000_000,
        "Peserta lulus pelatihan",
        "orang",
        "incremental",
        _inc(160),
        None,
        0.55,
    ),
    DemoActivity(
        "A-DISNAKER-02",
        "DISNAKERSOSTRANS",
        "Wirausaha baru bagi pencari kerja",
        "Purwosari",
        210_000_000,
        "Wirausaha baru",
        "orang",
        "cumulative",
        _cum(60),
        None,
        0.6,
    ),
    DemoActivity(
        "A-DISPERTA-01",
        "DISPERTA",
        "Pengembangan hortikultura lahan kering",
        "Lumbang",
        520_000_000,
        "Luas tanam",
        "ha",
        "cumulative",
        _cum(150),
        None,
        0.78,
    ),
    DemoActivity(
        "A-DISPERTA-02",
        "DISPERTA",
        "Bantuan alat mesin pertanian",
        "Grati",
        680_000_000,
        "Unit alsintan",
        "unit",
        "cumulative",
        _cum(40),
        None,
        0.92,
    ),
    DemoActivity(
        "A-DISPERTA-03",
        "DISPERTA",
        "Operasi pasar cabai dan bawang merah",
        None,
        350_000_000,
        "Operasi pasar",
        "kali",
        "incremental",
        (2, 2, 2, 2),
        "PRB-05",
        1.0,
    ),
    DemoActivity(
        "A-DISNAK-01",
        "DISNAK",
        "Inseminasi buatan sapi potong",
        "Tosari",
        260_000_000,
        "Akseptor IB",
        "ekor",
        "incremental",
        _inc(1200),
        None,
        0.88,
    ),
    DemoActivity(
        "A-DISNAK-02",
        "DISNAK",
        "Stabilisasi pasokan daging dan telur",
        None,
        250_000_000,
        "Operasi pasar",
        "kali",
        "incremental",
        (1, 1, 1, 1),
        "PRB-05",
        1.0,
    ),
    DemoActivity(
        "A-DISKAN-01",
        "DISKAN",
        "Pengembangan budidaya bandeng",
        "Lekok",
        330_000_000,
        "Produksi bandeng",
        "ton",
        "incremental",
        _inc(90),
        None,
        0.72,
    ),
    DemoActivity(
        "A-DISKAN-02",
        "DISKAN",
        "Sarana pengolahan ikan nelayan",
        "Nguling",
        410_000_000,
        "Unit sarana pengolahan",
        "unit",
        "cumulative",
        _cum(12),
        "PRB-02",
        0.5,
    ),
    DemoActivity(
        "A-DISPARBUD-01",
        "DISPARBUD",
        "Pengembangan desa wisata Bromo",
        "Tosari",
        300_000_000,
        "Desa wisata dibina",
        "desa",
        "cumulative",
        _cum(5),
        None,
        0.8,
    ),
    DemoActivity(
        "A-DISPARBUD-02",
        "DISPARBUD",
        "Festival budaya pesisir",
        "Lekok",
        150_000_000,
        "Festival",
        "kali",
        "incremental",
        (0, 1, 0, 1),
        None,
        1.0,
    ),
    DemoActivity(
        "A-DISKOMINFO-01",
        "DISKOMINFO",
        "Pemasaran daring produk UMKM",
        None,
        160_000_000,
        "UMKM masuk lokapasar",
        "UMKM",
        "cumulative",
        _cum(300),
        "PRB-04",
        0.97,
    ),
    DemoActivity(
        "A-BALITBANG-01",
        "BALITBANGDIKLAT",
        "Kajian klaster ekonomi wilayah timur",
        "Rejoso",
        95_000_000,
        "Dokumen kajian",
        "dokumen",
        "cumulative",
        (0, 0, 1, 1),
        None,
        1.0,
    ),
    DemoActivity(
        "A-BAPPEDA-01",
        "BAPPEDA",
        "Sinkronisasi perencanaan ekonomi",
        None,
        75_000_000,
        "Forum sinkronisasi",
        "kali",
        "incremental",
        _inc(4),
        None,
        1.0,
    ),
    DemoActivity(
        "A-BAGPEREK-01",
        "BAGPEREK",
        "Rakor evaluasi triwulan sektor ekonomi",
        None,
        110_000_000,
        "Rakor terlaksana",
        "kali",
        "incremental",
        _inc(4),
        None,
        1.0,
    ),
    DemoActivity(
        "A-BAGPEREK-02",
        "BAGPEREK",
        "Monev Satrya Emas di kecamatan",
        "Winongan",
        85_000_000,
        "Kecamatan dimonitor",
        "kecamatan",
        "cumulative",
        _cum(24),
        None,
        0.83,
    ),
)

PROBLEMS: tuple[tuple[str, str, str, str | None], ...] = (
    ("PRB-01", "Banyak usaha mikro belum memiliki izin usaha", "izin_usaha", "Lekok"),
    ("PRB-02", "Sarana pasar dan pengolahan hasil nelayan kurang", "sarana_prasarana", "Nguling"),
    ("PRB-03", "Akses permodalan UMKM terbatas", "permodalan", "Grati"),
    ("PRB-04", "Pemasaran produk UMKM masih lokal", "pemasaran", "Rejoso"),
    ("PRB-05", "Inflasi pangan (cabai, bawang, daging)", "inflasi_pangan", None),
    ("PRB-06", "Keterampilan SDM pelaku usaha rendah", "sdm", "Lumbang"),
    ("PRB-07", "Jalan produksi menuju sentra usaha rusak", "sarana_prasarana", "Winongan"),
)

MERGE = {
    "joint_code": "J-INFLASI-2017",
    "name": "Pengendalian inflasi pangan terpadu",
    "lead_opd": "DISPERTA",
    "activities": ("A-DISPERTA-03", "A-DISNAK-02"),
    "after_quarter": 1,  # merged after the rakor of triwulan I
}

RAKOR_DATES = {
    1: date(2017, 4, 12),
    2: date(2017, 7, 12),
    3: date(2017, 10, 11),
    4: date(2018, 1, 17),
}

# Reporting gaps: (OPD, quarter) pairs whose evaluations are missing at the rakor.
MISSING_EVALUATIONS = {("DISNAKERSOSTRANS", 2), ("DISPARBUD", 4), ("DISKAN", 3)}

# code, quarter, OPD, text, due quarter, activity, problem, follow-ups [(quarter, progress, done)]
RECOMMENDATIONS: tuple[
    tuple[str, int, str, str, str, str | None, str | None, tuple[tuple[int, str, bool], ...]], ...
] = (
    (
        "REK-2017-1-01",
        1,
        "DPMPTSP",
        "Percepat penerbitan IUMK di wilayah timur melalui layanan jemput bola.",
        "2017-Q2",
        "A-DPMPTSP-01",
        "PRB-01",
        ((2, "Layanan jemput bola di Lekok dan Nguling berjalan; 210 IUMK terbit.", True),),
    ),
    (
        "REK-2017-1-02",
        1,
        "DISPERINDAG",
        "Tuntaskan desain revitalisasi pasar Nguling.",
        "2017-Q2",
        "A-DISPERINDAG-01",
        "PRB-02",
        ((2, "DED selesai, lelang dijadwalkan.", False), (3, "Kontrak ditandatangani.", True)),
    ),
    (
        "REK-2017-1-03",
        1,
        "DISNAKERSOSTRANS",
        "Sampaikan laporan realisasi tepat waktu setiap triwulan.",
        "2017-Q2",
        None,
        None,
        (),
    ),
    (
        "REK-2017-2-01",
        2,
        "DISKOPUKM",
        "Rekrut tenaga pendamping untuk kecamatan yang belum terlayani.",
        "2017-Q3",
        "A-DISKOP-01",
        None,
        ((3, "Sembilan pendamping baru direkrut mulai Juli.", True),),
    ),
    (
        "REK-2017-2-02",
        2,
        "DISPARBUD",
        "Integrasikan desa wisata dengan klinik UMKM.",
        "2017-Q3",
        "A-DISPARBUD-01",
        None,
        ((3, "Koordinasi awal dengan Dinas Koperasi.", False),),
    ),
    (
        "REK-2017-3-01",
        3,
        "DISKAN",
        "Percepat pengadaan sarana pengolahan ikan.",
        "2017-Q4",
        "A-DISKAN-02",
        "PRB-02",
        ((4, "Pengadaan tahap pertama selesai.", False),),
    ),
    (
        "REK-2017-3-02",
        3,
        "DPMPTSP",
        "Perluas layanan perizinan keliling ke Rejoso dan Grati.",
        "2017-Q4",
        "A-DPMPTSP-02",
        "PRB-01",
        ((4, "Layanan keliling menjangkau Rejoso dan Grati.", True),),
    ),
    (
        "REK-2017-4-01",
        4,
        "BAPPEDA",
        "Masukkan penanganan jalan produksi Winongan dalam RKPD 2018.",
        "2018-Q1",
        None,
        "PRB-07",
        (),
    ),
)

SERVICE_REGIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("WP-1", "Wilayah Pelayanan I (Pesisir Timur)", ("Nguling", "Lekok", "Grati", "Rejoso")),
    (
        "WP-2",
        "Wilayah Pelayanan II (Timur Pedalaman)",
        ("Winongan", "Lumbang", "Pasrepan", "Puspo"),
    ),
    ("WP-3", "Wilayah Pelayanan III (Pegunungan)", ("Tosari", "Tutur", "Purwodadi", "Prigen")),
    (
        "WP-4",
        "Wilayah Pelayanan IV (Tengah)",
        ("Kejayan", "Wonorejo", "Pohjentrek", "Gondangwetan"),
    ),
    ("WP-5", "Wilayah Pelayanan V (Barat)", ("Pandaan", "Gempol", "Beji", "Purwosari")),
    ("WP-6", "Wilayah Pelayanan VI (Kota Bangil)", ("Bangil", "Rembang", "Kraton", "Sukorejo")),
)

# code, name, kecamatan (first day of service); the first eight serve from January.
MENTORS_JANUARY: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("M01", "Siti Aminah", ("Nguling", "Lekok")),
    ("M02", "Ahmad Fauzi", ("Grati", "Rejoso")),
    ("M03", "Dwi Lestari", ("Winongan",)),
    ("M04", "Bambang Sutrisno", ("Lumbang",)),
    ("M05", "Nur Hidayati", ("Bangil",)),
    ("M06", "Eko Prasetyo", ("Pandaan",)),
    ("M07", "Rina Wulandari", ("Purwosari",)),
    ("M08", "Agus Salim", ("Kraton",)),
)
ADMIN_MENTOR = ("M-ADM", "Yuli Kurniawati")
MENTORS_JULY: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("M09", "Fitri Handayani", ("Tutur",)),
    ("M10", "Hendra Gunawan", ("Puspo",)),
    ("M11", "Sri Mulyani", ("Tosari",)),
    ("M12", "Joko Susilo", ("Pasrepan",)),
    ("M13", "Wahyu Hidayat", ("Kejayan",)),
    ("M14", "Lilis Suryani", ("Wonorejo",)),
    ("M15", "Arif Rahman", ("Sukorejo",)),
    ("M16", "Dewi Sartika", ("Gempol",)),
    ("M17", "Rudi Hartono", ("Rejoso",)),
)
MENTOR_LEAVES = (("M08", "Kraton", date(2017, 9, 30), "Mengundurkan diri"),)  # gap from Q4

DEMO_FACTS = {
    "year": YEAR,
    "east_kecamatan": EAST,
    "mentors_covering_two_kecamatan": {"M01": ("Nguling", "Lekok"), "M02": ("Grati", "Rejoso")},
    "kecamatan_with_two_mentors": {"2017-Q3": ("Rejoso",), "2017-Q4": ("Rejoso",)},
    "kecamatan_without_mentor": {
        "2017-Q2": (
            "Purwodadi",
            "Tutur",
            "Puspo",
            "Pasrepan",
            "Kejayan",
            "Wonorejo",
            "Sukorejo",
            "Prigen",
            "Gempol",
            "Beji",
            "Rembang",
            "Pohjentrek",
            "Gondangwetan",
            "Tosari",
        ),
        "2017-Q4": (
            "Purwodadi",
            "Prigen",
            "Beji",
            "Rembang",
            "Kraton",
            "Pohjentrek",
            "Gondangwetan",
        ),
    },
    "merge": MERGE,
    "merged_budget_rp": 350_000_000 + 250_000_000,
    "missing_evaluations": MISSING_EVALUATIONS,
    "overdue_at_2017_Q4": {"DISNAKERSOSTRANS": ("REK-2017-1-03",), "DISPARBUD": ("REK-2017-2-02",)},
    "unaddressed_problems": ("PRB-06", "PRB-07"),
    "corrected_evaluation": ("A-DISKOP-02", "2017-Q1"),
}
