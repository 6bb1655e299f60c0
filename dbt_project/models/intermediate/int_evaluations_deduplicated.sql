{#- The evaluation that stands for each activity and quarter: the latest by store position of
    the recorded evaluations and their corrections. A later evaluation of the same quarter
    replaces an earlier one while the quarter is open; a correction replaces it at any time. -#}
with

recorded as (

    select * from {{ ref('stg_events__evaluations_recorded') }}

),

corrected as (

    select * from {{ ref('stg_events__evaluations_corrected') }}

),

all_versions as (

    select
        activity_id,
        quarter_code,
        event_position,
        recorded_at,
        actor_user_id,
        physical_pct,
        financial_rp,
        indicator_value,
        drivers,
        obstacles,
        false as is_correction
    from recorded
    union all
    select
        activity_id,
        quarter_code,
        event_position,
        recorded_at,
        actor_user_id,
        physical_pct,
        financial_rp,
        indicator_value,
        drivers,
        obstacles,
        true as is_correction
    from corrected

),

ranked as (

    select
        *,
        row_number() over (
            partition by activity_id, quarter_code order by event_position desc
        ) as newest_first,
        min(event_position) over (
            partition by activity_id, quarter_code
        ) as first_recorded_position,
        count(*) over (partition by activity_id, quarter_code) as version_count,
        bool_or(is_correction) over (partition by activity_id, quarter_code) as is_corrected
    from all_versions

),

final as (

    select
        activity_id,
        quarter_code,
        {{ quarter_index('quarter_code') }} as quarter_index,
        physical_pct,
        financial_rp,
        indicator_value,
        drivers,
        obstacles,
        event_position as latest_position,
        recorded_at as latest_recorded_at,
        actor_user_id as latest_actor_user_id,
        first_recorded_position,
        cast(version_count as integer) as version_count,
        is_corrected
    from ranked
    where newest_first = 1

)

select * from final
