{#- Activities whose own events came after incremental_from() (registration, target
    revision, merge, merged into another, evaluation, correction), and the joint activity of a
    touched original: its realisation to date carries what the originals spent before the
    merge. One of the triggers of int_activities_changed. -#}
{{ config(materialized='ephemeral') }}
{%- set after = incremental_from() -%}
{%- set after_sql = 'null' if after is none else after -%}

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

final as (

    select activity_id from touched
    union
    select activity_id from joints_of_touched

)

select * from final
