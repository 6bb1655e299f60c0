with

source as (

    select * from {{ source('events', 'opd_joined_program') }}
    {{ where_recorded_as_of() }}

),

renamed as (

    select
        {{ event_envelope('program') }},
        opd_code,
        role as program_role
    from source

)

select * from renamed
