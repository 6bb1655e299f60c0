{#- Which activities address which problem. A joint activity addresses the problems of the
    activities merged into it: the merge exists because they address the same problem, and
    without this a problem would look unaddressed from the quarter its activities merged. -#}
with

mappings as (

    select * from {{ ref('stg_events__activities_mapped_to_problem') }}

),

activities as (

    select * from {{ ref('int_activities_merged') }}

),

direct as (

    select
        activities.activity_code,
        mappings.problem_code,
        false as is_inherited
    from mappings
    inner join activities
        on mappings.activity_id = activities.activity_id

),

inherited as (

    select
        activities.merged_into_code as activity_code,
        direct.problem_code,
        true as is_inherited
    from direct
    inner join activities
        on direct.activity_code = activities.activity_code
    where activities.merged_into_code is not null

),

all_mappings as (

    select * from direct
    union all
    select * from inherited

),

final as (

    -- A direct mapping wins over an inherited one of the same pair.
    select
        activity_code,
        problem_code,
        bool_and(is_inherited) as is_inherited
    from all_mappings
    group by activity_code, problem_code

)

select * from final
