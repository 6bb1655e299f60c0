with

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

coverage as (

    select
        served.kecamatan_code,
        served.quarter_index,
        count(*) as mentor_count,
        list(served.mentor_code order by served.mentor_code) as mentor_codes,
        count(*) filter (where mentor_quarters.kecamatan_count >= 2) as dobel_mentor_count,
        max(mentor_quarters.kecamatan_count) as max_kecamatan_per_mentor
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
        kecamatan.is_east,
        kecamatan.service_region_code,
        kecamatan.service_region_name,
        cast(coalesce(coverage.mentor_count, 0) as integer) as mentor_count,
        coalesce(coverage.mentor_codes, []) as mentor_codes,
        coverage.mentor_count is null as is_gap,
        coalesce(coverage.mentor_count >= 2, false) as is_doubled,
        cast(coalesce(coverage.dobel_mentor_count, 0) as integer) as dobel_mentor_count,
        cast(coverage.max_kecamatan_per_mentor as integer) as max_kecamatan_per_mentor
    from kecamatan
    cross join quarters
    left join coverage
        on
            kecamatan.kecamatan_code = coverage.kecamatan_code
            and quarters.quarter_index = coverage.quarter_index

)

select * from final
