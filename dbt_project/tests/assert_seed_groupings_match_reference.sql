-- The editable groupings name kecamatan as the reference list does, and the default service
-- regions cover every kecamatan exactly once (uniqueness is tested on the seed).
with

reference as (

    select * from {{ ref('kecamatan_pasuruan') }}

),

east as (

    select * from {{ ref('east_kecamatan') }}

),

regions as (

    select * from {{ ref('service_regions_default') }}

),

demo_population as (

    select * from {{ ref('population_demo') }}

),

named as (

    select
        'east_kecamatan' as seed_name,
        kecamatan_code,
        kecamatan_name
    from east
    union all
    select
        'service_regions_default' as seed_name,
        kecamatan_code,
        kecamatan_name
    from regions
    union all
    select
        'population_demo' as seed_name,
        kecamatan_code,
        kecamatan_name
    from demo_population

),

misnamed as (

    select
        named.seed_name,
        named.kecamatan_code,
        named.kecamatan_name
    from named
    left join reference
        on named.kecamatan_code = reference.kode_kemendagri
    where reference.nama is distinct from named.kecamatan_name

),

uncovered as (

    select
        'service_regions_default' as seed_name,
        reference.kode_kemendagri as kecamatan_code,
        reference.nama as kecamatan_name
    from reference
    left join regions
        on reference.kode_kemendagri = regions.kecamatan_code
    where regions.kecamatan_code is null

),

final as (

    select * from misnamed
    union all
    select * from uncovered

)

select * from final
