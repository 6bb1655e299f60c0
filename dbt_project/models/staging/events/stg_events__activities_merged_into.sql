with

source as (

    select * from {{ source('events', 'activity_merged_into') }}
    {{ where_recorded_as_of() }}

),

renamed as (

    select
        {{ event_envelope('activity') }},
        joint_code as joint_activity_code
    from source

)

select * from renamed
