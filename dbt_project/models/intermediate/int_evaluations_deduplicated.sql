{#- The evaluation that stands for each activity and quarter: the latest by store position of
    the recorded evaluations and their corrections. A later evaluation of the same quarter
    replaces an earlier one while the quarter is open; a correction replaces it at any time.

    Incremental, keyed by (activity_id, quarter_code) with delete+insert: a run takes the
    evaluation events stored after the newest one it has seen (positions only grow), and
    recomputes every activity-quarter they touch from all of that key's versions. A back-dated
    record (a correction of a closed quarter, a late report of an earlier quarter) is new by
    position even though its quarter is old, which is why this is not a microbatch model: that
    would file it under its quarter's time and skip it. An as-of build always rebuilds in full,
    since it must forget what came later. -#}
{{
    config(
        materialized='incremental',
        unique_key=['activity_id', 'quarter_code'],
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        full_refresh=(true if is_as_of_build() else none),
    )
}}

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

versions as (

    -- A full run takes every version; an incremental one only the keys that have a version
    -- stored after the newest position already in the table.
    select all_versions.*
    from all_versions
    {%- if is_incremental() %}
    where exists (
        select 1
        from all_versions as newer
        where
            newer.activity_id = all_versions.activity_id
            and newer.quarter_code = all_versions.quarter_code
            and newer.event_position > (
                select coalesce(max(latest_position), 0) from {{ this }}
            )
    )
    {%- endif %}

),

per_key as (

    -- One pass of grouping (no window sort): the newest version as a whole, plus what the
    -- versions say together.
    select
        activity_id,
        quarter_code,
        max_by(
            {
                'physical_pct': physical_pct,
                'financial_rp': financial_rp,
                'indicator_value': indicator_value,
                'drivers': drivers,
                'obstacles': obstacles,
                'recorded_at': recorded_at,
                'actor_user_id': actor_user_id
            },
            event_position
        ) as newest,
        max(event_position) as latest_position,
        min(event_position) as first_recorded_position,
        count(*) as version_count,
        bool_or(is_correction) as is_corrected
    from versions
    group by activity_id, quarter_code

),

final as (

    select
        per_key.activity_id,
        per_key.quarter_code,
        {{ quarter_index('per_key.quarter_code') }} as quarter_index,
        per_key.newest.physical_pct,
        per_key.newest.financial_rp,
        per_key.newest.indicator_value,
        per_key.newest.drivers,
        per_key.newest.obstacles,
        per_key.latest_position,
        per_key.newest.recorded_at as latest_recorded_at,
        per_key.newest.actor_user_id as latest_actor_user_id,
        per_key.first_recorded_position,
        cast(per_key.version_count as integer) as version_count,
        per_key.is_corrected
    from per_key

)

select * from final
