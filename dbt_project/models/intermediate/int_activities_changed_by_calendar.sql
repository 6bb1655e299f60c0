{#- Activities whose quarters change with the calendar after incremental_from(): those of a
    fiscal year the quarter spine now reaches further into (or less far into), and every
    activity after a rakor, a quarter closure or a service region definition (rare, and they
    decide when things take effect). One of the triggers of int_activities_changed. -#}
{{ config(materialized='ephemeral') }}
{%- set after = incremental_from() -%}
{%- set after_sql = 'null' if after is none else after -%}
-- depends_on: {{ ref('stg_events__programs_registered') }}
-- depends_on: {{ ref('int_quarters_reported') }}

with

registered as (

    select * from {{ ref('stg_events__activities_registered') }}

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

final as (

    select activity_id from of_respanned_years
    union
    select activity_id from of_calendar_changes

)

select * from final
