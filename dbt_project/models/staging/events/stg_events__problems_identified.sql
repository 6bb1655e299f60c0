with

source as (

    select * from {{ source('events', 'problem_identified') }}
    {{ where_recorded_as_of() }}

),

renamed as (

    select
        {{ event_envelope('problem') }},
        code as problem_code,
        title as problem_title,
        category as problem_category,
        kecamatan_code
    from source

)

select * from renamed
