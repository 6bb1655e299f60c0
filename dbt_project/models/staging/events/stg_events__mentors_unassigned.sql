with

source as (

    select * from {{ source('events', 'mentor_unassigned') }}
    {{ where_recorded_as_of() }}

),

renamed as (

    select
        {{ event_envelope('mentor') }},
        kecamatan_code,
        to_date as assigned_to,
        reason as unassignment_reason
    from source

)

select * from renamed
