{#- Results after the merge are the joint activity's figures at the latest quarter of its
    fiscal year on record; its realisation includes what the merged activities spent before
    the merge took effect, since its pagu is theirs combined. -#}
with

activities as (

    select * from {{ ref('int_activities_merged') }}

),

activity_quarters as (

    select * from {{ ref('int_activity_quarters_evaluated') }}

),

quarters as (

    select * from {{ ref('int_quarters_spanned') }}

),

problems as (

    select * from {{ ref('int_activity_problems_mapped') }}

),

bands as (

    select * from {{ ref('performance_bands') }}

),

joints as (

    select *
    from activities
    where is_joint

),

originals as (

    select
        merged_into_code as activity_code,
        sum(registered_pagu_rp) as originals_pagu_rp
    from activities
    where merged_into_code is not null
    group by merged_into_code

),

latest as (

    select
        activity_id,
        quarter_index,
        financial_realisation_rp,
        absorption_pct,
        physical_to_date_pct,
        indicator_target,
        indicator_actual,
        achievement_pct
    from activity_quarters
    qualify row_number() over (partition by activity_id order by quarter_index desc) = 1

),

reporting as (

    select
        activity_id,
        count(*) filter (where is_active) as evaluations_expected,
        count(*) filter (where has_evaluation) as evaluations_submitted
    from activity_quarters
    group by activity_id

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
        joints.activity_code as joint_activity_code,
        joints.activity_name as joint_activity_name,
        joints.fiscal_year,
        joints.program_code,
        coalesce(joints.lead_opd_code, joints.opd_code) as lead_opd_code,
        joints.merged_activity_codes,
        joints.participating_opd_codes,
        cast(len(joints.merged_activity_codes) as integer) as merged_activity_count,
        joints.combined_pagu_rp,
        cast(originals.originals_pagu_rp as bigint) as originals_pagu_rp,
        joints.pagu_rp,
        {{ quarter_code_of_index('joints.first_quarter_index') }} as merged_from_quarter,
        coalesce(problem_lists.problem_codes, []) as problem_codes,
        joints.indicator_name,
        joints.indicator_unit,
        joints.indicator_kind,
        quarters.quarter_code as latest_quarter,
        cast(coalesce(reporting.evaluations_expected, 0) as integer) as evaluations_expected,
        cast(coalesce(reporting.evaluations_submitted, 0) as integer) as evaluations_submitted,
        latest.financial_realisation_rp,
        latest.absorption_pct,
        latest.physical_to_date_pct,
        latest.indicator_target,
        latest.indicator_actual,
        latest.achievement_pct,
        bands.band,
        bands.band_en
    from joints
    left join originals
        on joints.activity_code = originals.activity_code
    left join latest
        on joints.activity_id = latest.activity_id
    left join quarters
        on latest.quarter_index = quarters.quarter_index
    left join reporting
        on joints.activity_id = reporting.activity_id
    left join problem_lists
        on joints.activity_code = problem_lists.activity_code
    left join bands
        on {{ in_band('bands', 'latest.achievement_pct') }}

)

select * from final
