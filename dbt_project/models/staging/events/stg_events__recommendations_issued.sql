with

source as (

    select * from {{ source('events', 'recommendation_issued') }}
    {{ where_recorded_as_of() }}

),

renamed as (

    select
        {{ event_envelope('recommendation') }},
        code as recommendation_code,
        quarter as issued_quarter_code,
        opd_code,
        text as recommendation_text,
        due_quarter as due_quarter_code,
        activity_code,
        problem_code
    from source

)

select * from renamed
