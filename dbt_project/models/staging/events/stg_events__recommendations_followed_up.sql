with

source as (

    select * from {{ source('events', 'recommendation_followed_up') }}
    {{ where_recorded_as_of() }}

),

renamed as (

    select
        {{ event_envelope('recommendation') }},
        quarter as follow_up_quarter_code,
        progress,
        is_done
    from source

)

select * from renamed
