{#- The program dimension: each program with the OPD that registered it, its coordinator and
    its members (dim_program_member has one row per member with when it joined). -#}
with

programs as (

    select * from {{ ref('stg_events__programs_registered') }}

),

members as (

    select * from {{ ref('dim_program_member') }}

),

activities as (

    select * from {{ ref('int_activities_merged') }}

),

coordinators as (

    select
        program_code,
        opd_code as coordinator_opd_code,
        joined_at as coordinator_joined_at
    from members
    where program_role = 'coordinator'
    qualify row_number() over (partition by program_code order by joined_position desc) = 1

),

member_lists as (

    select
        program_code,
        list(opd_code order by opd_code) as member_opd_codes,
        count(*) as member_count
    from members
    group by program_code

),

activity_counts as (

    select
        program_code,
        count(*) as activity_count
    from activities
    group by program_code

),

final as (

    select
        programs.program_code,
        programs.program_name,
        programs.fiscal_year,
        programs.opd_code,
        programs.recorded_at as registered_at,
        programs.event_position as registered_position,
        coordinators.coordinator_opd_code,
        coordinators.coordinator_joined_at,
        coalesce(member_lists.member_opd_codes, []) as member_opd_codes,
        cast(coalesce(member_lists.member_count, 0) as integer) as member_count,
        cast(coalesce(activity_counts.activity_count, 0) as integer) as activity_count
    from programs
    left join coordinators
        on programs.program_code = coordinators.program_code
    left join member_lists
        on programs.program_code = member_lists.program_code
    left join activity_counts
        on programs.program_code = activity_counts.program_code

)

select * from final
