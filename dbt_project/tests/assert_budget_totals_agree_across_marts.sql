-- The budget counted in a quarter is the same whether summed by activity or by OPD, and the
-- located budget by kecamatan plus the regency-wide budget gives it again.
with

activity_totals as (

    select
        quarter,
        sum(counted_pagu_rp) as pagu_rp
    from {{ ref('activity_quarter') }}
    group by quarter

),

opd_totals as (

    select
        quarter,
        sum(pagu_rp) as pagu_rp
    from {{ ref('opd_quarter') }}
    group by quarter

),

kecamatan_totals as (

    select
        quarter,
        sum(pagu_rp) as pagu_rp
    from {{ ref('kecamatan_quarter') }}
    group by quarter

),

disparity as (

    select * from {{ ref('disparity_quarter') }}

),

final as (

    select
        activity_totals.quarter,
        activity_totals.pagu_rp as by_activity,
        opd_totals.pagu_rp as by_opd,
        kecamatan_totals.pagu_rp + disparity.regency_wide_pagu_rp as by_kecamatan
    from activity_totals
    left join opd_totals
        on activity_totals.quarter = opd_totals.quarter
    left join kecamatan_totals
        on activity_totals.quarter = kecamatan_totals.quarter
    left join disparity
        on activity_totals.quarter = disparity.quarter
    where
        activity_totals.pagu_rp is distinct from opd_totals.pagu_rp
        or activity_totals.pagu_rp
        is distinct from kecamatan_totals.pagu_rp + disparity.regency_wide_pagu_rp

)

select * from final
