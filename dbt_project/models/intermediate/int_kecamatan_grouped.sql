{#- Each of the 24 kecamatan with the groupings the marts report by:
    - east or rest, from the editable east_kecamatan seed (a default from local press);
    - the Satrya Emas service region: as defined by ServiceRegionDefined events when any
      exist (the newest definition naming a kecamatan wins), otherwise the seed's illustrative
      default grouping, so a store without regions still reports by region, labelled so;
    - population: entered figures (kecamatan_population seed) when there are any, else the
      demo's illustrative figures when enabled, else unknown. -#}
with

kecamatan as (

    select * from {{ ref('kecamatan_pasuruan') }}

),

east as (

    select * from {{ ref('east_kecamatan') }}

),

default_regions as (

    select * from {{ ref('service_regions_default') }}

),

defined_regions as (

    select * from {{ ref('stg_events__service_regions_defined') }}

),

entered_population as (

    select * from {{ ref('kecamatan_population') }}

),

demo_population as (

    select * from {{ ref('population_demo') }}

),

recorded_region_members as (

    select
        service_region_code,
        service_region_name,
        unnest(kecamatan_codes) as kecamatan_code,
        event_position
    from defined_regions

),

recorded_regions as (

    select
        kecamatan_code,
        service_region_code,
        service_region_name,
        'recorded' as service_region_source
    from recorded_region_members
    qualify row_number() over (partition by kecamatan_code order by event_position desc) = 1

),

seeded_regions as (

    select
        kecamatan_code,
        service_region_code,
        service_region_name,
        'illustrative default' as service_region_source
    from default_regions
    where not exists (select 1 from defined_regions)

),

regions as (

    select * from recorded_regions
    union all
    select * from seeded_regions

),

population as (

    select
        kecamatan_code,
        cast(population as bigint) as population,
        'entered' as population_source
    from entered_population
    union all
    select
        kecamatan_code,
        cast(population as bigint) as population,
        'demo' as population_source
    from demo_population
    where
        {{ demo_population_enabled() }}
        and not exists (select 1 from entered_population)

),

final as (

    select
        kecamatan.kode_kemendagri as kecamatan_code,
        kecamatan.nama as kecamatan_name,
        kecamatan.kode_bps as kecamatan_bps_code,
        cast(kecamatan.jumlah_desa as integer) as desa_count,
        cast(kecamatan.jumlah_kelurahan as integer) as kelurahan_count,
        east.kecamatan_code is not null as is_east,
        regions.service_region_code,
        regions.service_region_name,
        regions.service_region_source,
        population.population,
        population.population_source,
        coalesce(population.population_source = 'demo', false) as is_population_demo
    from kecamatan
    left join east
        on kecamatan.kode_kemendagri = east.kecamatan_code
    left join regions
        on kecamatan.kode_kemendagri = regions.kecamatan_code
    left join population
        on kecamatan.kode_kemendagri = population.kecamatan_code

)

select * from final
