with

source as (

    select * from {{ source('events', 'service_region_defined') }}
    {{ where_recorded_as_of() }}

),

renamed as (

    select
        {{ event_envelope('service_region') }},
        code as service_region_code,
        name as service_region_name,
        kecamatan_codes
    from source

)

select * from renamed
