with

source as (

    select * from {{ source('events', 'activity_mapped_to_problem') }}
    {{ where_recorded_as_of() }}

),

renamed as (

    select
        {{ event_envelope('activity') }},
        problem_code
    from source

)

select * from renamed
