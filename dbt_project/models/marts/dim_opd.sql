{#- The OPD dimension: every agency registered, with the programs it registered or joined and
    the activities it runs (joint activities under their lead OPD). -#}
with

opds as (

    select * from {{ ref('stg_events__opds_registered') }}

),

programs as (

    select * from {{ ref('stg_events__programs_registered') }}

),

joins as (

    select * from {{ ref('stg_events__opds_joined_program') }}

),

activities as (

    select * from {{ ref('int_activities_merged') }}

),

participations as (

    -- The programs each OPD registered, and those it joined.
    select
        opd_code,
        program_code
    from programs
    union all
    select
        joins.opd_code,
        programs.program_code
    from joins
    inner join programs
        on joins.program_id = programs.program_id

),

program_counts as (

    select
        opd_code,
        count(distinct program_code) as program_count
    from participations
    group by opd_code

),

activity_counts as (

    select
        opd_code,
        count(*) as activity_count,
        count(*) filter (where is_joint) as joint_activity_count
    from activities
    group by opd_code

),

final as (

    select
        opds.opd_code,
        opds.opd_name,
        opds.opd_short_name,
        opds.recorded_at as registered_at,
        opds.event_position as registered_position,
        cast(coalesce(program_counts.program_count, 0) as integer) as program_count,
        cast(coalesce(activity_counts.activity_count, 0) as integer) as activity_count,
        cast(
            coalesce(activity_counts.joint_activity_count, 0) as integer
        ) as joint_activity_count
    from opds
    left join program_counts
        on opds.opd_code = program_counts.opd_code
    left join activity_counts
        on opds.opd_code = activity_counts.opd_code

)

select * from final
