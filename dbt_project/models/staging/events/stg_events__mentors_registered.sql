with

source as (

    select * from {{ source('events', 'mentor_registered') }}
    {{ where_recorded_as_of() }}

),

renamed as (

    select
        {{ event_envelope('mentor') }},
        code as mentor_code,
        name as mentor_name,
        recruited_by_opd as recruited_by_opd_code,
        kind as mentor_kind,
        registered_on
    from source

)

select * from renamed
