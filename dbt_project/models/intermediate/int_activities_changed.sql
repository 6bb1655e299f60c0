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

    Each trigger is its own (ephemeral) model: int_activities_changed_by_events,
    int_activities_changed_by_recommendations and int_activities_changed_by_calendar;
    tests/integration/test_incremental_inputs.py fails when an incremental model reads an event
    table none of them reads.

    Each row carries the incremental_from it was computed for; the models read only the rows
    of their own build's position (changed_activity_ids()). Empty when nothing is built
    incrementally (no incremental_from: no event is after a null
    position, and the spine is compared with itself); the models then recompute everything and
    do not read it. -#}
{%- set after = incremental_from() -%}
{%- set after_sql = 'null' if after is none else after %}
with

changed as (

    select activity_id from {{ ref('int_activities_changed_by_events') }}
    union
    select activity_id from {{ ref('int_activities_changed_by_recommendations') }}
    union
    select activity_id from {{ ref('int_activities_changed_by_calendar') }}

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
