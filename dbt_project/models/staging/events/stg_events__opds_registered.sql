with

source as (

    select * from {{ source('events', 'opd_registered') }}
    {{ where_recorded_as_of() }}

),

renamed as (

    select
        {{ event_envelope('opd') }},
        code as opd_code,
        name as opd_name,
        short_name as opd_short_name
    from source

)

select * from renamed
