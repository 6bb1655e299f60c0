with

closures as (

    select * from {{ ref('stg_events__quarters_closed') }}

),

first_closures as (

    -- A quarter closes once; the first closure is the one that locked its evaluations.
    select
        quarter_code,
        min(event_position) as closed_position,
        min(recorded_at) as closed_at
    from closures
    group by quarter_code

),

final as (

    select
        quarter_code,
        {{ quarter_index('quarter_code') }} as quarter_index,
        closed_position,
        closed_at
    from first_closures

)

select * from final
