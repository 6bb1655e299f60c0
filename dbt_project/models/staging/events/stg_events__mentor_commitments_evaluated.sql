with

source as (

    select * from {{ source('events', 'mentor_commitment_evaluated') }}
    {{ where_recorded_as_of() }}

),

renamed as (

    select
        {{ event_envelope('mentor') }},
        quarter as quarter_code,
        score as commitment_score,
        reports_submitted,
        umkm_assisted,
        umkm_target,
        permits_facilitated,
        notes as evaluation_notes
    from source

)

select * from renamed
