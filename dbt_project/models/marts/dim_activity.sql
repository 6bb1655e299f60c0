{#- The activity dimension: each activity (kegiatan) as it stands now, with its program, OPD,
    kecamatan, indicator, the problems it addresses and, for a merged original, the joint
    activity it was merged into. -#}
with

activities as (

    select * from {{ ref('int_activities_merged') }}

),

problems as (

    select * from {{ ref('int_activity_problems_mapped') }}

),

problem_lists as (

    select
        activity_code,
        list(problem_code order by problem_code) as problem_codes
    from problems
    group by activity_code

),

final as (

    select
        activities.activity_code,
        activities.activity_name,
        activities.program_code,
        activities.opd_code,
        activities.kecamatan_code,
        activities.fiscal_year,
        activities.indicator_name,
        activities.indicator_unit,
        activities.indicator_kind,
        activities.annual_target,
        activities.registered_pagu_rp,
        activities.pagu_rp,
        cast(activities.revision_count as integer) as revision_count,
        activities.is_joint,
        activities.is_merged,
        activities.merged_into_code,
        {{ quarter_code_of_index('activities.first_quarter_index') }} as first_quarter,
        {{ quarter_code_of_index('activities.last_quarter_index') }} as last_quarter,
        case
            when activities.is_merged
                then {{ quarter_code_of_index('activities.merged_from_quarter_index') }}
        end as merged_from_quarter,
        activities.lead_opd_code,
        coalesce(activities.merged_activity_codes, []) as merged_activity_codes,
        activities.participating_opd_codes,
        coalesce(problem_lists.problem_codes, []) as problem_codes,
        activities.registered_position
    from activities
    left join problem_lists
        on activities.activity_code = problem_lists.activity_code

)

select * from final
