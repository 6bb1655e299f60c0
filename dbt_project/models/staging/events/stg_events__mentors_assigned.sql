with

source as (

    select * from {{ source('events', 'mentor_assigned') }}
    {{ where_recorded_as_of() }}

),

renamed as (

    select
        {{ event_envelope('mentor') }},
        kecamatan_code,
        from_date as assigned_from
    from source

)

select * from renamed
