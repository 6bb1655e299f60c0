{#- Budget and realisation of the activities located in each kecamatan, per quarter, with the
    kecamatan's groupings and population. Regency-wide activities (no kecamatan) are not
    located anywhere and are left out here; disparity_quarter reports them separately. -#}
with

kecamatan as (

    select * from {{ ref('int_kecamatan_grouped') }}

),

quarters as (

    select * from {{ ref('int_quarters_spanned') }}

),

activities as (

    select * from {{ ref('int_activities_merged') }}

),

activity_quarters as (

    select * from {{ ref('int_activity_quarters_evaluated') }}

),

located as (

    select
        activities.kecamatan_code,
        activity_quarters.quarter_index,
        count(*) as activity_count,
        sum(activity_quarters.counted_pagu_rp) as pagu_rp,
        sum(activity_quarters.financial_realisation_rp) as financial_realisation_rp,
        count(*) filter (where activity_quarters.has_evaluation) as evaluations_submitted
    from activity_quarters
    inner join activities
        on activity_quarters.activity_id = activities.activity_id
    where activity_quarters.is_active and activities.kecamatan_code is not null
    group by activities.kecamatan_code, activity_quarters.quarter_index

),

final as (

    select
        kecamatan.kecamatan_code,
        quarters.quarter_index,
        kecamatan.is_east,
        kecamatan.population,
        kecamatan.is_population_demo,
        cast(coalesce(located.activity_count, 0) as integer) as activity_count,
        cast(coalesce(located.pagu_rp, 0) as bigint) as pagu_rp,
        cast(
            coalesce(located.financial_realisation_rp, 0) as bigint
        ) as financial_realisation_rp,
        cast(coalesce(located.evaluations_submitted, 0) as integer) as evaluations_submitted
    from kecamatan
    cross join quarters
    left join located
        on
            kecamatan.kecamatan_code = located.kecamatan_code
            and quarters.quarter_index = located.quarter_index

)

select * from final
