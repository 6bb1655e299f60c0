with

source as (

    select * from {{ source('events', 'program_registered') }}
    {{ where_recorded_as_of() }}

),

renamed as (

    select
        {{ event_envelope('program') }},
        code as program_code,
        name as program_name,
        opd_code,
        cast(fiscal_year as integer) as fiscal_year
    from source

)

select * from renamed
