{#- The kecamatan dimension: the 24 kecamatan with both codes, the east/rest grouping, the
    Satrya Emas service region, population where known and a label point for maps. -#}
with

kecamatan as (

    select * from {{ ref('int_kecamatan_grouped') }}

),

label_points as (

    select * from {{ ref('kecamatan_label_points') }}

),

final as (

    select
        kecamatan.kecamatan_code,
        kecamatan.kecamatan_bps_code,
        kecamatan.kecamatan_name,
        kecamatan.desa_count,
        kecamatan.kelurahan_count,
        kecamatan.is_east,
        case when kecamatan.is_east then 'timur' else 'lainnya' end as region_group,
        kecamatan.service_region_code,
        kecamatan.service_region_name,
        kecamatan.service_region_source,
        kecamatan.population,
        kecamatan.population_source,
        kecamatan.is_population_demo,
        cast(label_points.label_lat as double) as label_lat,
        cast(label_points.label_lng as double) as label_lng
    from kecamatan
    left join label_points
        on kecamatan.kecamatan_code = label_points.kode_kemendagri

)

select * from final
