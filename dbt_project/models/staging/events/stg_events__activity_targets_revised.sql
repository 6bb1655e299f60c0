with

source as (

    select * from {{ source('events', 'activity_targets_revised') }}
    {{ where_recorded_as_of() }}

),

renamed as (

    select
        {{ event_envelope('activity') }},
        pagu_rp,
        annual_target,
        quarterly_targets,
        reason as revision_reason
    from source

)

select * from renamed
