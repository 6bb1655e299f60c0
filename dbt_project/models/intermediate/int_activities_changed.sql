{#- The activities whose rows an incremental build recomputes: those that events stored after
    incremental_from() touch, directly or through what their rows are made of. Every other
    activity's rows in int_activities_merged, int_activity_quarters_evaluated and
    activity_quarter are left as they were, so this list must miss nothing:

    - the activity's own events: registration, target revision, merge, merged into another,
      evaluation, correction;
    - the joint activity of a touched original (its realisation to date carries what the
      originals spent before the merge);
    - a recommendation about the activity issued or followed up (open and overdue counts);
    - the quarter spine reaching further into, or less far into, its fiscal year (each
      activity has a row per quarter of the spine in its year);
    - all activities after a rakor, a quarter closure or a service region definition: rare,
      and they decide when things take effect.

    Not the OPD's registration: the domain registers an activity only for a registered OPD and
    never renames one, so a new OPD changes no existing activity's rows.

    Each row carries the incremental_from it was computed for; the models read only the rows
    of their own build's position (changed_activity_ids()). Empty when nothing is built
    incrementally (no incremental_from: no event is after a null
    position, and the spine is compared with itself); the models then recompute everything and
    do not read it. -#}
{%- set after = incremental_from() -%}
{%- set after_sql = 'null' if after is none else after -%}
-- depends_on: {{ ref('stg_events__programs_registered') }}
-- depends_on: {{ ref('int_quarters_reported') }}

with

registered as (

    select * from {{ ref('stg_events__activities_registered') }}

),

revisions as (

    select * from {{ ref('stg_events__activity_targets_revised') }}

),

merge_events as (

    select * from {{ ref('stg_events__activities_merged') }}

),

merged_into as (

    select * from {{ ref('stg_events__activities_merged_into') }}

),

evaluations as (

    select * from {{ ref('stg_events__evaluations_recorded') }}

),

corrections as (

    select * from {{ ref('stg_events__evaluations_corrected') }}

),

recommendations as (

    select * from {{ ref('int_recommendations_followed_up') }}

),

issued as (

    select * from {{ ref('stg_events__recommendations_issued') }}

),

follow_ups as (

    select * from {{ ref('stg_events__recommendations_followed_up') }}

),

rakor as (

    select * from {{ ref('stg_events__rakor_held') }}

),

closures as (

    select * from {{ ref('stg_events__quarters_closed') }}

),

service_regions as (

    select * from {{ ref('stg_events__service_regions_defined') }}

),

touched as (

    select activity_id from registered
    where event_position > {{ after_sql }}
    union
    select activity_id from revisions
    where event_position > {{ after_sql }}
    union
    select activity_id from merge_events
    where event_position > {{ after_sql }}
    union
    select activity_id from merged_into
    where event_position > {{ after_sql }}
    union
    select activity_id from evaluations
    where event_position > {{ after_sql }}
    union
    select activity_id from corrections
    where event_position > {{ after_sql }}

),

joints_of_touched as (

    select joint.activity_id
    from merged_into
    inner join registered as joint
        on merged_into.joint_activity_code = joint.activity_code
    where merged_into.activity_id in (select touched.activity_id from touched)

),

recommended as (

    select registered.activity_id
    from recommendations
    inner join registered
        on recommendations.activity_code = registered.activity_code
    where recommendations.recommendation_id in (
        select issued.recommendation_id from issued
        where issued.event_position > {{ after_sql }}
        union
        select follow_ups.recommendation_id
        from follow_ups
        where follow_ups.event_position > {{ after_sql }}
    )

),

spine_now as (

    {{ spine_bounds() }}

),

spine_before as (

    {{ spine_bounds(after) }}

),

years_respanned as (

    -- A fiscal year's rows cover the spine's quarters within that year.
    select years.fiscal_year
    from (select distinct fiscal_year from registered) as years
    cross join spine_now
    cross join spine_before
    where
        greatest(spine_now.first_index, years.fiscal_year * 4)
        is distinct from greatest(spine_before.first_index, years.fiscal_year * 4)
        or least(spine_now.last_index, years.fiscal_year * 4 + 3)
        is distinct from least(spine_before.last_index, years.fiscal_year * 4 + 3)

),

of_respanned_years as (

    select registered.activity_id
    from registered
    where registered.fiscal_year in (select years_respanned.fiscal_year from years_respanned)

),

of_calendar_changes as (

    select registered.activity_id
    from registered
    where
        exists (
            select 1 from rakor
            where rakor.event_position > {{ after_sql }}
        )
        or exists (
            select 1 from closures
            where closures.event_position > {{ after_sql }}
        )
        or exists (
            select 1 from service_regions
            where service_regions.event_position > {{ after_sql }}
        )

),

changed as (

    select activity_id from touched
    union
    select activity_id from joints_of_touched
    union
    select activity_id from recommended
    union
    select activity_id from of_respanned_years
    union
    select activity_id from of_calendar_changes

),

final as (

    -- Stamped with the position it was computed for: a build that selects a model downstream
    -- but not this one (no event of its inputs) must not recompute a previous build's list.
    select
        activity_id,
        cast({{ after_sql }} as bigint) as changed_after
    from changed

)

select * from final
