with

source as (

    select * from {{ source('events', 'evaluation_recorded') }}
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
        obstacles
    from source

)

select * from renamed
