with

kecamatan_quarters as (

    select * from {{ ref('int_kecamatan_quarters_budgeted') }}

),

kecamatan as (

    select * from {{ ref('int_kecamatan_grouped') }}

),

quarters as (

    select * from {{ ref('int_quarters_spanned') }}

),

served as (

    select * from {{ ref('int_mentor_kecamatan_quarters_served') }}

),

mentor_quarters as (

    select * from {{ ref('int_mentor_quarters_evaluated') }}

),

mentor_results as (

    -- A mentor serving several kecamatan has their results split evenly between them, so
    -- the regency total stays the mentors' total.
    select
        served.kecamatan_code,
        served.quarter_index,
        count(*) as mentor_count,
        {{ exact_sum('mentor_quarters.umkm_assisted / mentor_quarters.kecamatan_count') }}
            as umkm_assisted,
        {{ exact_sum('mentor_quarters.umkm_target / mentor_quarters.kecamatan_count') }}
            as umkm_target
    from served
    inner join mentor_quarters
        on
            served.mentor_id = mentor_quarters.mentor_id
            and served.quarter_index = mentor_quarters.quarter_index
    group by served.kecamatan_code, served.quarter_index

),

final as (

    select
        kecamatan.kecamatan_code,
        {{ quarter_columns('quarters') }},
        kecamatan.kecamatan_name,
        kecamatan.kecamatan_bps_code,
        kecamatan.is_east,
        kecamatan.service_region_code,
        kecamatan.service_region_name,
        kecamatan.service_region_source,
        kecamatan_quarters.activity_count,
        kecamatan_quarters.pagu_rp,
        kecamatan_quarters.financial_realisation_rp,
        100 * {{ safe_divide(
            'kecamatan_quarters.financial_realisation_rp', 'kecamatan_quarters.pagu_rp'
        ) }} as absorption_pct,
        kecamatan_quarters.evaluations_submitted,
        kecamatan.population,
        kecamatan.population_source,
        kecamatan.is_population_demo,
        {{ safe_divide('kecamatan_quarters.pagu_rp', 'kecamatan.population') }}
            as pagu_per_capita_rp,
        cast(coalesce(mentor_results.mentor_count, 0) as integer) as mentor_count,
        cast(coalesce(mentor_results.umkm_assisted, 0) as double) as umkm_assisted,
        cast(coalesce(mentor_results.umkm_target, 0) as double) as umkm_target
    from kecamatan_quarters
    inner join kecamatan
        on kecamatan_quarters.kecamatan_code = kecamatan.kecamatan_code
    inner join quarters
        on kecamatan_quarters.quarter_index = quarters.quarter_index
    left join mentor_results
        on
            kecamatan_quarters.kecamatan_code = mentor_results.kecamatan_code
            and kecamatan_quarters.quarter_index = mentor_results.quarter_index

)

select * from final
