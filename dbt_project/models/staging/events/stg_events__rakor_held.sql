with

source as (

    select * from {{ source('events', 'rakor_held') }}
    {{ where_recorded_as_of() }}

),

renamed as (

    select
        {{ event_envelope('quarter_review') }},
        quarter as quarter_code,
        held_on,
        attending_opd_codes,
        notes as rakor_notes
    from source

)

select * from renamed
