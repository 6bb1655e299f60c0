with

source as (

    select * from {{ source('events', 'activities_merged') }}
    {{ where_recorded_as_of() }}

),

renamed as (

    select
        {{ event_envelope('activity') }},
        merged_codes as merged_activity_codes,
        opd_codes as participating_opd_codes,
        lead_opd_code,
        combined_pagu_rp
    from source

)

select * from renamed
