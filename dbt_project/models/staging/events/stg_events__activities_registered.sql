with

source as (

    select * from {{ source('events', 'activity_registered') }}
    {{ where_recorded_as_of() }}

),

renamed as (

    select
        {{ event_envelope('activity') }},
        code as activity_code,
        program_code,
        opd_code,
        name as activity_name,
        kecamatan_code,
        cast(fiscal_year as integer) as fiscal_year,
        pagu_rp,
        indicator_name,
        indicator_unit,
        indicator_kind,
        annual_target,
        quarterly_targets,
        is_joint
    from source

)

select * from renamed
