{#- A problem appears from the first quarter that was still open when it was identified (the
    same rule as for activities: closed quarters are history). It counts the activities
    expected to report in the quarter that address it, joint activities inheriting the
    problems of the activities they merge. -#}
with

problems as (

    select * from {{ ref('stg_events__problems_identified') }}

),

quarters as (

    select * from {{ ref('int_quarters_spanned') }}

),

mappings as (

    select * from {{ ref('int_activity_problems_mapped') }}

),

activities as (

    select * from {{ ref('int_activities_merged') }}

),

activity_quarters as (

    select * from {{ ref('int_activity_quarters_evaluated') }}

),

kecamatan as (

    select * from {{ ref('int_kecamatan_grouped') }}

),

open_quarters as (

    -- The quarters not yet closed when the problem was identified.
    select
        problems.problem_id,
        quarters.quarter_index
    from problems
    inner join quarters
        on
            quarters.closed_position is null
            or problems.event_position < quarters.closed_position

),

first_quarters as (

    select
        problem_id,
        min(quarter_index) as first_quarter_index
    from open_quarters
    group by problem_id

),

addressing as (

    select
        mappings.problem_code,
        activity_quarters.quarter_index,
        count(*) as activity_count,
        count(distinct activities.opd_code) as opd_count,
        sum(activity_quarters.counted_pagu_rp) as pagu_rp,
        list(activities.activity_code order by activities.activity_code) as activity_codes
    from mappings
    inner join activities
        on mappings.activity_code = activities.activity_code
    inner join activity_quarters
        on activities.activity_id = activity_quarters.activity_id
    where activity_quarters.is_active
    group by mappings.problem_code, activity_quarters.quarter_index

),

final as (

    select
        problems.problem_code,
        {{ quarter_columns('quarters') }},
        problems.problem_title,
        problems.problem_category,
        problems.kecamatan_code,
        kecamatan.kecamatan_name,
        kecamatan.is_east,
        cast(coalesce(addressing.activity_count, 0) as integer) as activity_count,
        cast(coalesce(addressing.opd_count, 0) as integer) as opd_count,
        cast(coalesce(addressing.pagu_rp, 0) as bigint) as pagu_rp,
        coalesce(addressing.activity_codes, []) as activity_codes,
        addressing.problem_code is null as is_unaddressed
    from problems
    inner join first_quarters
        on problems.problem_id = first_quarters.problem_id
    inner join quarters
        on first_quarters.first_quarter_index <= quarters.quarter_index
    left join kecamatan
        on problems.kecamatan_code = kecamatan.kecamatan_code
    left join addressing
        on
            problems.problem_code = addressing.problem_code
            and quarters.quarter_index = addressing.quarter_index

)

select * from final
