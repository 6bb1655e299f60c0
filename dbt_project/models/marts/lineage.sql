{#- "Jejak data": the events behind each figure the dashboard shows, so a leader can ask who
    recorded it, when, and why it was corrected. Keyed by the mart rows they feed: an
    activity's quarter (activity_quarter: activity_code, quarter), an OPD's quarter
    (opd_quarter: opd_code, quarter) and a recommendation (recommendations:
    recommendation_code). -#}

with

activities as (

    select * from {{ ref('int_activities_merged') }}

),

recorded as (

    select * from {{ ref('stg_events__evaluations_recorded') }}

),

corrected as (

    select * from {{ ref('stg_events__evaluations_corrected') }}

),

issued as (

    select * from {{ ref('stg_events__recommendations_issued') }}

),

followed_up as (

    select * from {{ ref('stg_events__recommendations_followed_up') }}

),

evaluations as (

    select
        event_position,
        recorded_at,
        'EvaluationRecorded' as event_type,
        actor_user_id,
        actor_role,
        actor_opd_code,
        activity_id,
        quarter_code,
        physical_pct,
        financial_rp,
        indicator_value,
        cast(null as varchar) as correction_reason
    from recorded

    union all

    select
        event_position,
        recorded_at,
        'EvaluationCorrected' as event_type,
        actor_user_id,
        actor_role,
        actor_opd_code,
        activity_id,
        quarter_code,
        physical_pct,
        financial_rp,
        indicator_value,
        correction_reason
    from corrected

),

evaluation_events as (

    select
        evaluations.event_position,
        evaluations.recorded_at,
        evaluations.event_type,
        evaluations.actor_user_id,
        evaluations.actor_role,
        evaluations.actor_opd_code,
        activities.activity_code,
        activities.opd_code,
        -- Named like the marts' quarter key, which sqlfluff takes for a keyword.
        evaluations.quarter_code as quarter,  -- noqa: RF04
        cast(null as varchar) as recommendation_code,
        evaluations.physical_pct,
        cast(evaluations.financial_rp as bigint) as financial_rp,
        evaluations.indicator_value,
        evaluations.correction_reason,
        cast(null as varchar) as recommendation_text,
        cast(null as varchar) as follow_up_progress,
        cast(null as boolean) as is_done
    from evaluations
    inner join activities
        on evaluations.activity_id = activities.activity_id

),

recommendation_events as (

    select
        event_position,
        recorded_at,
        'RecommendationIssued' as event_type,
        actor_user_id,
        actor_role,
        actor_opd_code,
        activity_code,
        opd_code,
        issued_quarter_code as quarter,  -- noqa: RF04
        recommendation_code,
        cast(null as double) as physical_pct,
        cast(null as bigint) as financial_rp,
        cast(null as double) as indicator_value,
        cast(null as varchar) as correction_reason,
        recommendation_text,
        cast(null as varchar) as follow_up_progress,
        cast(null as boolean) as is_done
    from issued

    union all

    select
        followed_up.event_position,
        followed_up.recorded_at,
        'RecommendationFollowedUp' as event_type,
        followed_up.actor_user_id,
        followed_up.actor_role,
        followed_up.actor_opd_code,
        issued.activity_code,
        issued.opd_code,
        followed_up.follow_up_quarter_code as quarter,  -- noqa: RF04
        issued.recommendation_code,
        cast(null as double) as physical_pct,
        cast(null as bigint) as financial_rp,
        cast(null as double) as indicator_value,
        cast(null as varchar) as correction_reason,
        cast(null as varchar) as recommendation_text,
        followed_up.progress as follow_up_progress,
        followed_up.is_done
    from followed_up
    inner join issued
        on followed_up.recommendation_id = issued.recommendation_id

),

final as (

    select * from evaluation_events
    union all
    select * from recommendation_events

)

select * from final
