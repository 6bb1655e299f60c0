{#- Activities a recommendation is about, when the recommendation was issued or followed up
    after incremental_from(): their open and overdue counts change. One of the triggers of
    int_activities_changed. -#}
{{ config(materialized='ephemeral') }}
{%- set after = incremental_from() -%}
{%- set after_sql = 'null' if after is none else after -%}

with

registered as (

    select * from {{ ref('stg_events__activities_registered') }}

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

final as (

    select activity_id from recommended

)

select * from final
