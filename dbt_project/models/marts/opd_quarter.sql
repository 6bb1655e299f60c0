with

opds as (

    select * from {{ ref('stg_events__opds_registered') }}

),

quarters as (

    select * from {{ ref('int_quarters_spanned') }}

),

activities as (

    select * from {{ ref('int_activities_merged') }}

),

activity_quarters as (

    select * from {{ ref('int_activity_quarters_evaluated') }}

),

recommendation_quarters as (

    select * from {{ ref('int_recommendation_quarters_tracked') }}

),

rakor as (

    select * from {{ ref('stg_events__rakor_held') }}

),

bands as (

    select * from {{ ref('performance_bands') }}

),

activity_summary as (

    -- Only activities expected to report in the quarter: a merged original counts up to the
    -- quarter before its merge took effect, the joint activity (under its lead OPD) from then.
    select
        activities.opd_code,
        activity_quarters.quarter_index,
        count(*) as activity_count,
        count(*) filter (where activities.is_joint) as joint_activity_count,
        sum(activity_quarters.counted_pagu_rp) as pagu_rp,
        sum(activity_quarters.financial_realisation_rp) as financial_realisation_rp,
        {{ exact_avg('activity_quarters.achievement_pct') }} as average_achievement_pct,
        count(*) filter (where activity_quarters.has_evaluation) as evaluations_submitted
    from activity_quarters
    inner join activities
        on activity_quarters.activity_id = activities.activity_id
    where activity_quarters.is_active
    group by activities.opd_code, activity_quarters.quarter_index

),

recommendation_summary as (

    select
        opd_code,
        quarter_index,
        count(*) filter (where is_open) as recommendations_open,
        count(*) filter (where is_done) as recommendations_done,
        count(*) filter (where is_overdue) as recommendations_overdue
    from recommendation_quarters
    group by opd_code, quarter_index

),

attendance as (

    select
        unnest(attending_opd_codes) as opd_code,
        {{ quarter_index('quarter_code') }} as quarter_index
    from rakor

),

opd_quarters as (

    select
        opds.opd_code,
        opds.opd_name,
        opds.opd_short_name,
        quarters.quarter_index,
        quarters.rakor_held_on
    from opds
    cross join quarters

),

summarised as (

    select
        opd_quarters.opd_code,
        opd_quarters.opd_name,
        opd_quarters.opd_short_name,
        opd_quarters.quarter_index,
        cast(coalesce(activity_summary.activity_count, 0) as integer) as activity_count,
        cast(
            coalesce(activity_summary.joint_activity_count, 0) as integer
        ) as joint_activity_count,
        cast(coalesce(activity_summary.pagu_rp, 0) as bigint) as pagu_rp,
        cast(
            coalesce(activity_summary.financial_realisation_rp, 0) as bigint
        ) as financial_realisation_rp,
        activity_summary.average_achievement_pct,
        cast(coalesce(activity_summary.activity_count, 0) as integer) as evaluations_expected,
        cast(
            coalesce(activity_summary.evaluations_submitted, 0) as integer
        ) as evaluations_submitted,
        case
            when opd_quarters.rakor_held_on is not null
                then attendance.opd_code is not null
        end as attended_rakor,
        cast(
            coalesce(recommendation_summary.recommendations_open, 0) as integer
        ) as recommendations_open,
        cast(
            coalesce(recommendation_summary.recommendations_done, 0) as integer
        ) as recommendations_done,
        cast(
            coalesce(recommendation_summary.recommendations_overdue, 0) as integer
        ) as recommendations_overdue
    from opd_quarters
    left join activity_summary
        on
            opd_quarters.opd_code = activity_summary.opd_code
            and opd_quarters.quarter_index = activity_summary.quarter_index
    left join recommendation_summary
        on
            opd_quarters.opd_code = recommendation_summary.opd_code
            and opd_quarters.quarter_index = recommendation_summary.quarter_index
    left join attendance
        on
            opd_quarters.opd_code = attendance.opd_code
            and opd_quarters.quarter_index = attendance.quarter_index

),

final as (

    select
        summarised.opd_code,
        {{ quarter_columns('quarters') }},
        summarised.opd_name,
        summarised.opd_short_name,
        summarised.activity_count,
        summarised.joint_activity_count,
        summarised.pagu_rp,
        summarised.financial_realisation_rp,
        100 * {{ safe_divide('summarised.financial_realisation_rp', 'summarised.pagu_rp') }}
            as absorption_pct,
        summarised.average_achievement_pct,
        bands.band,
        bands.band_en,
        cast(bands.band_rank as integer) as band_rank,
        summarised.evaluations_expected,
        summarised.evaluations_submitted,
        100 * {{ safe_divide(
            'summarised.evaluations_submitted', 'summarised.evaluations_expected'
        ) }} as reporting_compliance_pct,
        summarised.attended_rakor,
        summarised.recommendations_open,
        summarised.recommendations_done,
        summarised.recommendations_overdue
    from summarised
    inner join quarters
        on summarised.quarter_index = quarters.quarter_index
    left join bands
        on {{ in_band('bands', 'summarised.average_achievement_pct') }}

)

select * from final
