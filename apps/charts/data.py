"""The rows the shared charts and KPIs show, as SQL that both readers run over the warehouse.

The dashboard runs these through ``apps/streamlit/queries.py`` (cached per publish), the rakor
report through its own read-only connection (``apps/report/data.py``): one statement each, so
a map in the report shows exactly what the dashboard showed for that quarter. Parameters are
positional (``?``), never pasted into the text.
"""

from __future__ import annotations

# One row per kecamatan of a quarter: the measures the disparity map can show. The average
# achievement is over the kecamatan's active activities (regency-wide ones have no kecamatan),
# banded with the same Permendagri 86 cut-offs as the marts. Parameters: quarter, quarter.
KECAMATAN_MAP = """
with kecamatan as (
    select * from marts.kecamatan_quarter where quarter = ?
),
achievement as (
    select kecamatan_code, avg(achievement_pct) as average_achievement_pct
    from marts.activity_quarter
    where quarter = ? and is_active and kecamatan_code is not null
    group by kecamatan_code
)
select
    kecamatan.kecamatan_code, kecamatan.kecamatan_name, kecamatan.is_east,
    kecamatan.service_region_name, kecamatan.activity_count, kecamatan.pagu_rp,
    kecamatan.financial_realisation_rp, kecamatan.absorption_pct, kecamatan.population,
    kecamatan.is_population_demo, kecamatan.pagu_per_capita_rp, kecamatan.mentor_count,
    kecamatan.umkm_assisted, kecamatan.umkm_target, achievement.average_achievement_pct,
    bands.band, bands.band_en
from kecamatan
left join achievement using (kecamatan_code)
left join reference.performance_bands as bands
    on achievement.average_achievement_pct >= coalesce(bands.min_achievement_pct, -1e308)
    and achievement.average_achievement_pct < coalesce(bands.max_achievement_pct, 1e308)
order by kecamatan.is_east desc, kecamatan.kecamatan_name
"""

# One row per kecamatan of a quarter: Satrya Emas mentor coverage. Parameter: quarter.
MENTOR_COVERAGE = """
select
    kecamatan_code, kecamatan_name, is_east, service_region_code, service_region_name,
    mentor_count, array_to_string(mentor_codes, ', ') as mentor_codes, is_gap,
    is_doubled, dobel_mentor_count
from marts.mentor_coverage_quarter
where quarter = ?
order by service_region_code nulls last, kecamatan_name
"""

# East vs rest and the inequality indices, every quarter on record.
DISPARITY = "select * from marts.disparity_quarter order by quarter"

# Active activities per Permendagri 86 band in a quarter and the one before it (null band =
# nothing to band yet). Parameters: quarter, previous quarter.
BAND_COUNTS = """
select quarter, band, band_en, band_rank, count(*) as activity_count
from marts.activity_quarter
where quarter in (?, ?) and is_active
group by quarter, band, band_en, band_rank
order by quarter, band_rank desc nulls last
"""

# The regency's KPIs for a quarter and the one before, one row each: the dashboard's Ringkasan
# and the rakor report's summary. Sums come from opd_quarter (budgets counted once after a
# merge); the average achievement is over the active activities, as opd_quarter averages them
# per OPD. Parameters: quarter, previous, quarter, previous.
OVERVIEW = """
with opd as (
    select
        quarter,
        sum(pagu_rp) as pagu_rp,
        sum(financial_realisation_rp) as financial_realisation_rp,
        sum(activity_count) as activity_count,
        sum(evaluations_submitted) as evaluations_submitted,
        sum(evaluations_expected) as evaluations_expected,
        sum(recommendations_open) as recommendations_open,
        sum(recommendations_overdue) as recommendations_overdue
    from marts.opd_quarter
    where quarter in (?, ?)
    group by quarter
),
activity as (
    select
        quarter,
        avg(achievement_pct) as average_achievement_pct,
        avg(physical_to_date_pct) as average_physical_pct
    from marts.activity_quarter
    where quarter in (?, ?) and is_active
    group by quarter
)
select
    opd.*,
    100.0 * opd.financial_realisation_rp / nullif(opd.pagu_rp, 0) as absorption_pct,
    100.0 * opd.evaluations_submitted / nullif(opd.evaluations_expected, 0)
        as reporting_compliance_pct,
    activity.average_achievement_pct,
    activity.average_physical_pct,
    bands.band,
    bands.band_en
from opd
left join activity using (quarter)
left join reference.performance_bands as bands
    on activity.average_achievement_pct >= coalesce(bands.min_achievement_pct, -1e308)
    and activity.average_achievement_pct < coalesce(bands.max_achievement_pct, 1e308)
order by quarter
"""
