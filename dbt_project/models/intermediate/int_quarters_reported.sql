{#- Every quarter something was reported for (evaluations, corrections, rakor, closures,
    recommendations, follow-ups, mentor evaluations), with the position of the first event that
    reported it. The quarter spine ends at the latest of them; the first positions tell an
    incremental build whether the spine reached further than it did before (see
    int_activities_changed). -#}
with

evaluations as (

    select * from {{ ref('stg_events__evaluations_recorded') }}

),

corrections as (

    select * from {{ ref('stg_events__evaluations_corrected') }}

),

rakor as (

    select * from {{ ref('stg_events__rakor_held') }}

),

closures as (

    select * from {{ ref('stg_events__quarters_closed') }}

),

recommendations as (

    select * from {{ ref('stg_events__recommendations_issued') }}

),

follow_ups as (

    select * from {{ ref('stg_events__recommendations_followed_up') }}

),

mentor_evaluations as (

    select * from {{ ref('stg_events__mentor_commitments_evaluated') }}

),

reports as (

    select
        quarter_code,
        event_position
    from evaluations
    union all
    select
        quarter_code,
        event_position
    from corrections
    union all
    select
        quarter_code,
        event_position
    from rakor
    union all
    select
        quarter_code,
        event_position
    from closures
    union all
    select
        issued_quarter_code as quarter_code,
        event_position
    from recommendations
    union all
    select
        follow_up_quarter_code as quarter_code,
        event_position
    from follow_ups
    union all
    select
        quarter_code,
        event_position
    from mentor_evaluations

),

final as (

    select
        quarter_code,
        {{ quarter_index('quarter_code') }} as quarter_index,
        min(event_position) as first_reported_position
    from reports
    group by quarter_code

)

select * from final
