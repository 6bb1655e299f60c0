with

source as (

    select * from {{ source('events', 'quarter_closed') }}
    {{ where_recorded_as_of() }}

),

renamed as (

    select
        {{ event_envelope('quarter_review') }},
        quarter as quarter_code
    from source

)

select * from renamed
