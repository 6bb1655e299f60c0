"""What the rakor report says, in Bahasa Indonesia: *Laporan Hasil Evaluasi Triwulan*.

The sections follow the meeting: cover, executive summary (KPIs against the previous
quarter), band distribution, the OPD league table, weak activities with their obstacles,
recommendations (issued, followed up, overdue) by OPD, the two maps, east vs rest over the
year, Satrya Emas, joint activities. Charts are the dashboard's own specifications
(``apps/charts``); numbers are written the Indonesian way (``formatting.py``, babel).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import altair as alt
import pandas as pd
from babel.dates import format_date

from apps.charts import figures, maps
from apps.charts.bands import band_key, band_mark
from apps.report.data import RakorData
from apps.report.document import Block, Cover, Figure, Heading, PageBreak, Paragraph, Report, Table
from apps.streamlit import formatting as fmt
from apps.streamlit.i18n import translate
from domain.kecamatan import all_kecamatan

LANG = "id"
REGENCY = "PEMERINTAH KABUPATEN PASURUAN"
DIVISION = "SEKRETARIAT DAERAH · BAGIAN PEREKONOMIAN"
MISSING = fmt.MISSING


def t(key: str, **values: object) -> str:
    return translate(key, LANG, **values)


def rp(value: Any) -> str:
    return fmt.format_rupiah(value, LANG)


def pct(value: Any) -> str:
    return fmt.format_percent(value, 1, LANG)


def num(value: Any, digits: int = 0) -> str:
    return fmt.format_number(value, digits, LANG)


def text(value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return MISSING
    return str(value).strip() or MISSING


def band(value: Any) -> str:
    """``◔ Rendah``: the band's mark and name, as on the dashboard."""
    if band_key(value) == "none":
        return MISSING
    return f"{band_mark(value)} {t(f'band_{band_key(value)}')}"


def spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """The chart's Vega-Lite specification as the dashboard sends it to the browser.

    Not validated against the schema again: the same builders are validated on every page
    view and in the tests, and validating the maps' inline boundaries costs about a second.
    """
    result: dict[str, Any] = chart.to_dict(validate=False)
    return result


def long_date(value: date | None) -> str:
    return format_date(value, "d MMMM y", locale="id_ID") if value else MISSING


def stamp_line(data: RakorData) -> str:
    """The footer of every page: where the data stands (and its fingerprint, when known)."""
    stamp = data.stamp
    parts = [
        f"Data per {fmt.format_timestamp(stamp.data_as_of, LANG)}",
        f"posisi peristiwa {num(stamp.last_position)}",
    ]
    if stamp.as_of is not None:
        parts.insert(1, f"keadaan per {fmt.format_timestamp(stamp.as_of, LANG)}")
    if stamp.fingerprint:
        parts.append(f"sidik jari {stamp.fingerprint[:16]}")
    return " · ".join(parts)


def _table(
    columns: Sequence[tuple[str, float, bool]],
    rows: Sequence[Sequence[str]],
    *,
    caption: str = "",
    empty: str = "Tidak ada.",
) -> Table:
    return Table(
        columns=tuple(name for name, _, _ in columns),
        rows=tuple(tuple(row) for row in rows),
        widths=tuple(width for _, width, _ in columns),
        numeric=tuple(numeric for _, _, numeric in columns),
        caption=caption,
        empty=empty,
    )


# A list longer than this is cut (its first rows kept: weakest first for activities) and says
# where the rest is: a rakor reads the worst cases, and a table of thousands would bury them.
LONGEST_LIST = 100


def _records(frame: pd.DataFrame, limit: int | None = None) -> list[dict[str, Any]]:
    return list((frame if limit is None else frame.head(limit)).to_dict("records"))


def _cut_note(frame: pd.DataFrame, what: str, where: str) -> list[Block]:
    """A note under a list cut at ``LONGEST_LIST`` rows: how many there are, and where."""
    if len(frame) <= LONGEST_LIST:
        return []
    return [
        Paragraph(
            f"Ditampilkan {num(LONGEST_LIST)} dari {num(len(frame))} {what}; daftar lengkap: "
            f"{where}.",
            True,
        )
    ]


def build_report(data: RakorData) -> Report:
    quarter = data.quarter
    blocks: list[Block] = []
    for section in (
        _summary,
        _bands,
        _league,
        _weak_activities,
        _recommendations,
        _maps,
        _disparity,
        _satrya_emas,
        _joint_activities,
    ):
        blocks.extend(section(data))
    footer = stamp_line(data)
    return Report(
        cover=_cover(data),
        footer=footer,
        blocks=tuple(blocks),
        file_stem=f"laporan-rakor-{quarter.code}",
        metadata={
            "title": f"Laporan Hasil Evaluasi {quarter.label}",
            "author": "Bagian Perekonomian Sekretariat Daerah Kabupaten Pasuruan",
            "subject": footer,
        },
    )


def _cover(data: RakorData) -> Cover:
    stamp = data.stamp
    facts = [
        ("Triwulan", data.quarter.label),
        ("Tanggal rakor", long_date(data.rakor_date) if data.rakor_date else "belum dicatat"),
        ("Data per", fmt.format_timestamp(stamp.data_as_of, LANG)),
        ("Posisi peristiwa", num(stamp.last_position)),
    ]
    if stamp.as_of is not None:
        facts.insert(3, ("Keadaan per (as-of)", fmt.format_timestamp(stamp.as_of, LANG)))
    if stamp.fingerprint:
        facts.append(("Sidik jari data", stamp.fingerprint))
    return Cover(
        authority=(REGENCY, DIVISION),
        title=f"LAPORAN HASIL EVALUASI {data.quarter.label.upper()}",
        subtitle="Rapat Koordinasi dan Evaluasi (Rakor) Triwulan Sektor Perekonomian",
        facts=tuple(facts),
        note=(
            "Disusun oleh monev dari gudang data yang diterbitkan (hanya baca). Setiap angka "
            "dapat ditelusuri ke peristiwa yang dicatat sampai posisi di atas. Versi DOCX dapat "
            "dilengkapi sebelum ditandatangani."
        ),
    )


# -- 1. executive summary ------------------------------------------------------------------


def _summary(data: RakorData) -> list[Block]:
    overview = data.overview
    now_rows = overview[overview["quarter"] == data.quarter.code]
    before_rows = overview[overview["quarter"] == data.previous.code]
    now = now_rows.iloc[0] if len(now_rows) else pd.Series(dtype="object")
    before = before_rows.iloc[0] if len(before_rows) and data.has_previous else None

    def row(label: str, column: str, show: Callable[[Any], str], change: str) -> tuple[str, ...]:
        old: Any = before.get(column) if before is not None else None
        if before is None or _missing(now.get(column)) or _missing(old):
            delta = MISSING
        else:
            difference = float(now[column]) - float(old)
            if change == "rp":
                delta = fmt.format_signed_rupiah(difference, LANG)
            elif change == "points":
                delta = fmt.format_points(difference, 1, LANG)
            else:
                delta = fmt.format_signed_number(difference, 0, LANG)
        return (label, show(now.get(column)), show(old) if before is not None else MISSING, delta)

    rows = [
        row("Pagu anggaran", "pagu_rp", rp, "rp"),
        row("Realisasi keuangan", "financial_realisation_rp", rp, "rp"),
        row("Serapan anggaran", "absorption_pct", pct, "points"),
        row("Rata-rata capaian kinerja", "average_achievement_pct", pct, "points"),
        row("Rata-rata realisasi fisik", "average_physical_pct", pct, "points"),
        row("Jumlah kegiatan", "activity_count", num, "count"),
        row("Kepatuhan pelaporan", "reporting_compliance_pct", pct, "points"),
        row("Rekomendasi terbuka", "recommendations_open", num, "count"),
        row("Rekomendasi lewat tenggat", "recommendations_overdue", num, "count"),
    ]
    previous = data.previous.label if data.has_previous else f"{data.previous.label} (tidak ada)"
    intro = (
        f"Pada {data.quarter.label}, {num(now.get('activity_count'))} kegiatan sektor "
        f"perekonomian dengan pagu {rp(now.get('pagu_rp'))} telah merealisasikan "
        f"{rp(now.get('financial_realisation_rp'))} (serapan {pct(now.get('absorption_pct'))}). "
        f"Rata-rata capaian kinerja {pct(now.get('average_achievement_pct'))}, predikat "
        f"{band(now.get('band'))}. Rekomendasi lewat tenggat: "
        f"{num(now.get('recommendations_overdue'))}."
    )
    if not data.has_previous:
        intro += " Belum ada triwulan sebelumnya sebagai pembanding."
    return [
        Heading("Ringkasan eksekutif"),
        Paragraph(intro),
        _table(
            [
                ("Indikator", 3.0, False),
                (data.quarter.label, 2.0, True),
                (previous, 2.0, True),
                ("Perubahan", 2.0, True),
            ],
            rows,
            caption=f"Indikator utama {data.quarter.label} dibandingkan triwulan sebelumnya.",
        ),
    ]


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and value != value


# -- 2. bands ------------------------------------------------------------------------------


def _bands(data: RakorData) -> list[Block]:
    table = figures.band_table(data.band_counts, data.quarter.code, data.previous.code, LANG)
    rows = [
        (band(key) if key != "none" else t("band_none"), num(now), num(before))
        for key, now, before in zip(table["key"], table["now"], table["before"], strict=True)
    ]
    return [
        Heading("Sebaran predikat kinerja (Permendagri 86/2017)"),
        Figure(
            spec(figures.band_chart(table, LANG)),
            f"Jumlah kegiatan aktif per predikat, {data.quarter.label}.",
            width=0.8,
        ),
        _table(
            [
                ("Predikat", 3.0, False),
                (data.quarter.label, 2.0, True),
                (data.previous.label, 2.0, True),
            ],
            rows,
        ),
    ]


# -- 3. league table ------------------------------------------------------------------------


def _league(data: RakorData) -> list[Block]:
    rows = [
        (
            str(index),
            text(r["opd_code"]),
            text(r["opd_name"]),
            num(r["activity_count"]),
            rp(r["pagu_rp"]),
            pct(r["absorption_pct"]),
            pct(r["average_achievement_pct"]),
            band(r["band"]),
            f"{num(r['evaluations_submitted'])}/{num(r['evaluations_expected'])}",
            f"{num(r['recommendations_open'])}/{num(r['recommendations_overdue'])}",
        )
        for index, r in enumerate(_records(data.league), start=1)
    ]
    return [
        PageBreak(),
        Heading("Peringkat kinerja OPD"),
        Paragraph(
            "Diurutkan menurut rata-rata capaian kinerja kegiatan aktif, lalu serapan anggaran. "
            "Laporan: evaluasi diserahkan/diharapkan. Rekomendasi: terbuka/lewat tenggat."
        ),
        _table(
            [
                ("No", 0.45, True),
                ("OPD", 2.3, False),
                ("Nama OPD", 3.0, False),
                ("Keg.", 0.6, True),
                ("Pagu", 2.4, True),
                ("Serapan", 1.1, True),
                ("Capaian", 1.1, True),
                ("Predikat", 1.7, False),
                ("Laporan", 1.0, True),
                ("Rekom.", 0.9, True),
            ],
            rows,
            caption=f"Peringkat OPD {data.quarter.label}.",
        ),
    ]


# -- 4. weak activities ---------------------------------------------------------------------


def _weak_activities(data: RakorData) -> list[Block]:
    rows = [
        (
            text(r["activity_code"]),
            text(r["activity_name"]),
            text(r["opd_code"]),
            pct(r["achievement_pct"]),
            band(r["band"]),
            text(r["obstacles"]) if not _missing(r["obstacles"]) else "tidak dinyatakan",
        )
        for r in _records(data.weak_activities, LONGEST_LIST)
    ]
    return [
        Heading("Kegiatan berpredikat Rendah dan Sangat rendah"),
        Paragraph("Faktor penghambat sebagaimana dinyatakan OPD dalam evaluasi triwulan."),
        _table(
            [
                ("Kode", 2.0, False),
                ("Kegiatan", 2.8, False),
                ("OPD", 2.3, False),
                ("Capaian", 1.0, True),
                ("Predikat", 1.5, False),
                ("Faktor penghambat", 3.2, False),
            ],
            rows,
            empty="Tidak ada kegiatan berpredikat Rendah atau Sangat rendah.",
        ),
        *_cut_note(
            data.weak_activities,
            "kegiatan",
            f"monev export activity_quarter --quarter {data.quarter.code}, atau halaman "
            "Kinerja OPD",
        ),
    ]


# -- 5. recommendations ---------------------------------------------------------------------


def _recommendations(data: RakorData) -> list[Block]:
    recs = data.recommendations
    issued = recs[recs["is_issued_now"].fillna(False).astype(bool)]
    overdue = recs[recs["status_then"] == "overdue"]
    columns = [
        ("OPD", 2.3, False),
        ("Kode", 1.8, False),
        ("Rekomendasi", 4.0, False),
        ("Tenggat", 1.4, False),
    ]
    issued_rows = [
        (
            text(r["opd_code"]),
            text(r["recommendation_code"]),
            text(r["recommendation_text"]),
            fmt.quarter_label(r["due_quarter"], LANG),
        )
        for r in _records(issued, LONGEST_LIST)
    ]
    follow_rows = [
        (
            text(r["opd_code"]),
            text(r["recommendation_code"]),
            text(r["recommendation_text"]),
            text(r["progress"]),
            "selesai" if bool(r["is_done"]) else "berjalan",
        )
        for r in _records(data.follow_ups, LONGEST_LIST)
    ]
    overdue_rows = [
        (
            text(r["opd_code"]),
            text(r["recommendation_code"]),
            text(r["recommendation_text"]),
            fmt.quarter_label(r["due_quarter"], LANG),
            text(r["last_progress"]) if not _missing(r["last_progress"]) else "belum ada",
        )
        for r in _records(overdue, LONGEST_LIST)
    ]
    return [
        PageBreak(),
        Heading("Rekomendasi rakor dan tindak lanjut"),
        Heading(f"Rekomendasi yang diterbitkan pada {data.quarter.label}", 2),
        _table(columns, issued_rows, empty="Tidak ada rekomendasi baru."),
        *_cut_note(issued, "rekomendasi", "halaman Rekomendasi & tindak lanjut"),
        Heading(f"Tindak lanjut yang dilaporkan pada {data.quarter.label}", 2),
        _table(
            [*columns[:3], ("Perkembangan", 3.0, False), ("Status", 1.2, False)],
            follow_rows,
            empty="Tidak ada tindak lanjut yang dilaporkan.",
        ),
        *_cut_note(data.follow_ups, "tindak lanjut", "halaman Rekomendasi & tindak lanjut"),
        Heading(f"Rekomendasi lewat tenggat pada akhir {data.quarter.label}", 2),
        _table(
            [*columns, ("Tindak lanjut terakhir", 3.0, False)],
            overdue_rows,
            empty="Tidak ada rekomendasi yang lewat tenggat.",
        ),
        *_cut_note(overdue, "rekomendasi", "monev export recommendations"),
    ]


# -- 6. maps --------------------------------------------------------------------------------


def map_measure(data: RakorData) -> str:
    """Budget per capita where the population is known, else the absorption."""
    known = data.kecamatan_map["pagu_per_capita_rp"].notna().any()
    return "pagu_per_capita" if known else "absorption"


def _maps(data: RakorData) -> list[Block]:
    measure_key = map_measure(data)
    measure_name = t(f"measure_{measure_key}")
    disparity = maps.disparity_map(
        data.kecamatan_map,
        measure_key,
        LANG,
        title=t("map_disparity_title", measure=measure_name, quarter=data.quarter.label),
    )
    coverage = maps.coverage_map(
        data.coverage, LANG, title=t("map_coverage_title", quarter=data.quarter.label)
    )
    demo = bool(data.kecamatan_map["is_population_demo"].fillna(False).any())
    blocks: list[Block] = [
        PageBreak(),
        Heading("Peta kabupaten"),
        Figure(
            spec(disparity),
            f"{measure_name} per kecamatan; wilayah timur bergaris tebal.",
        ),
    ]
    if demo and measure_key == "pagu_per_capita":
        blocks.append(
            Paragraph("Jumlah penduduk per kecamatan adalah nilai demo, bukan data resmi.", True)
        )
    blocks.append(
        Figure(
            spec(coverage),
            "Cakupan pendamping Satrya Emas dan wilayah pelayanan (bawaan yang dapat diubah).",
        )
    )
    return blocks


# -- 7. disparity over the year -------------------------------------------------------------


def _disparity(data: RakorData) -> list[Block]:
    year = data.disparity[
        data.disparity["quarter"].str.startswith(str(data.quarter.year))
        & (data.disparity["quarter"] <= data.quarter.code)
    ]
    rows = [
        (
            fmt.quarter_label(r["quarter"], LANG),
            rp(r["east_pagu_rp"]),
            rp(r["rest_pagu_rp"]),
            rp(r["east_pagu_per_capita_rp"]),
            rp(r["rest_pagu_per_capita_rp"]),
            num(r["williamson_index"], 3),
            num(r["theil_index"], 3),
        )
        for r in _records(year)
    ]
    return [
        PageBreak(),
        Heading(f"Disparitas wilayah timur dan wilayah lain, tahun {data.quarter.year}"),
        Figure(
            spec(figures.east_vs_rest(year, LANG)),
            "Pagu wilayah timur dibandingkan wilayah lain per triwulan.",
            width=0.8,
        ),
        _table(
            [
                ("Triwulan", 1.6, False),
                ("Pagu timur", 2.0, True),
                ("Pagu lainnya", 2.0, True),
                ("Per kapita timur", 1.6, True),
                ("Per kapita lainnya", 1.6, True),
                ("Williamson", 1.1, True),
                ("Theil", 1.0, True),
            ],
            rows,
        ),
    ]


# -- 8. Satrya Emas -------------------------------------------------------------------------


def _kecamatan_names(codes: Any) -> str:
    names = {k.code: k.name for k in all_kecamatan()}
    listed = [c.strip() for c in str(codes or "").split(",") if c.strip()]
    return ", ".join(names.get(code, code) for code in listed) or MISSING


def _satrya_emas(data: RakorData) -> list[Block]:
    coverage = data.coverage
    gaps = coverage[coverage["is_gap"].fillna(False).astype(bool)]
    doubled = coverage[coverage["is_doubled"].fillna(False).astype(bool)]
    summary = (
        f"Dari {num(len(coverage))} kecamatan, {num(len(gaps))} belum memiliki pendamping "
        f"(kosong: {', '.join(gaps['kecamatan_name']) or MISSING}) dan {num(len(doubled))} "
        f"dilayani dua pendamping atau lebih (dobel: "
        f"{', '.join(doubled['kecamatan_name']) or MISSING})."
    )
    rows = [
        (
            text(r["mentor_code"]),
            text(r["mentor_name"]),
            _kecamatan_names(r["kecamatan_codes"]),
            num(r["commitment_score"], 1),
            num(r["reports_submitted"]),
            f"{num(r['umkm_assisted'])}/{num(r['umkm_target'])}",
            pct(r["umkm_achievement_pct"]),
            num(r["permits_facilitated"]),
        )
        for r in _records(data.mentors)
    ]
    return [
        Heading("Satrya Emas: cakupan dan hasil pendamping"),
        Paragraph(summary),
        _table(
            [
                ("Kode", 0.9, False),
                ("Pendamping", 2.4, False),
                ("Kecamatan", 2.6, False),
                ("Skor", 0.9, True),
                ("Lap.", 0.7, True),
                ("UMKM/target", 1.4, True),
                ("Capaian", 1.1, True),
                ("Izin", 0.8, True),
            ],
            rows,
            caption=f"Komitmen dan hasil pendamping, {data.quarter.label}.",
            empty="Belum ada pendamping tercatat.",
        ),
    ]


# -- 9. joint activities --------------------------------------------------------------------


def _joint_activities(data: RakorData) -> list[Block]:
    rows = [
        (
            text(r["joint_activity_code"]),
            text(r["joint_activity_name"]),
            text(r["lead_opd_code"]),
            text(r["participating_opd_codes"]),
            rp(r["pagu_rp"]),
            pct(r["absorption_pct"]),
            f"{pct(r['achievement_pct'])} {band(r['band'])}",
        )
        for r in _records(data.joint_activities)
    ]
    return [
        Heading("Kegiatan gabungan (sinergi antar-OPD)"),
        Paragraph("Hasil terakhir yang tercatat untuk setiap kegiatan gabungan."),
        _table(
            [
                ("Kode", 1.4, False),
                ("Kegiatan gabungan", 2.6, False),
                ("Pengampu", 1.4, False),
                ("OPD peserta", 2.6, False),
                ("Pagu gabungan", 1.8, True),
                ("Serapan", 1.0, True),
                ("Capaian", 1.8, False),
            ],
            rows,
            empty="Belum ada kegiatan gabungan.",
        ),
    ]
