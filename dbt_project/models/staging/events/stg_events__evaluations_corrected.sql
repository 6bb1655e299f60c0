with

source as (

    select * from {{ source('events', 'evaluation_corrected') }}
    {{ where_recorded_as_of() }}

),

renamed as (

    select
        {{ event_envelope('activity') }},
        quarter as quarter_code,
        physical_pct,
        financial_rp,
        indicator_value,
        drivers,
        obstacles,
        reason as correction_reason
    from source

)

select * from renamed
