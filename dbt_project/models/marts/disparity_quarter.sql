{#- East vs rest, per quarter: budget located in each group and two inequality indices of
    budget per capita across kecamatan (only kecamatan whose population is known take part):

    - Williamson index: sqrt(sum_i (y_i - y)^2 * p_i / P) / y, where y_i is the kecamatan's
      budget per capita, y the regency's, p_i its population and P the total.
    - Theil index: T = sum_i s_i * ln(s_i / q_i), with s_i the kecamatan's share of the budget
      and q_i its share of the population (a kecamatan without budget adds 0). It splits
      exactly into a between-group part, sum_g S_g * ln(S_g / Q_g) over east and rest, and a
      within-group part, sum_g S_g * T_g, where T_g is the same index inside group g.

    The indices are computed in int_disparity_indices_computed (terms summed exactly, then
    rounded to 6 decimals). -#}
with

kecamatan_quarters as (

    select * from {{ ref('int_kecamatan_quarters_budgeted') }}

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

indices as (

    select * from {{ ref('int_disparity_indices_computed') }}

),

regency_wide as (

    select
        activity_quarters.quarter_index,
        sum(activity_quarters.counted_pagu_rp) as pagu_rp,
        count(*) as activity_count
    from activity_quarters
    inner join activities
        on activity_quarters.activity_id = activities.activity_id
    where activity_quarters.is_active and activities.kecamatan_code is null
    group by activity_quarters.quarter_index

),

groups as (

    select
        quarter_index,
        sum(pagu_rp) filter (where is_east) as east_pagu_rp,
        sum(pagu_rp) filter (where not is_east) as rest_pagu_rp,
        sum(activity_count) filter (where is_east) as east_activity_count,
        sum(activity_count) filter (where not is_east) as rest_activity_count,
        count(*) filter (where is_east) as east_kecamatan_count,
        count(*) filter (where not is_east) as rest_kecamatan_count
    from kecamatan_quarters
    group by quarter_index

),

final as (

    select
        {{ quarter_columns('quarters') }},
        cast(coalesce(groups.east_kecamatan_count, 0) as integer) as east_kecamatan_count,
        cast(coalesce(groups.rest_kecamatan_count, 0) as integer) as rest_kecamatan_count,
        cast(coalesce(groups.east_activity_count, 0) as integer) as east_activity_count,
        cast(coalesce(groups.rest_activity_count, 0) as integer) as rest_activity_count,
        cast(coalesce(groups.east_pagu_rp, 0) as bigint) as east_pagu_rp,
        cast(coalesce(groups.rest_pagu_rp, 0) as bigint) as rest_pagu_rp,
        cast(coalesce(regency_wide.activity_count, 0) as integer) as regency_wide_activity_count,
        cast(coalesce(regency_wide.pagu_rp, 0) as bigint) as regency_wide_pagu_rp,
        100 * {{ safe_divide(
            'coalesce(groups.east_pagu_rp, 0)',
            'coalesce(groups.east_pagu_rp, 0) + coalesce(groups.rest_pagu_rp, 0)'
        ) }} as east_budget_share_pct,
        cast(coalesce(indices.kecamatan_with_population, 0) as integer)
            as kecamatan_with_population,
        coalesce(indices.is_population_demo, false) as is_population_demo,
        indices.east_population,
        indices.rest_population,
        100 * {{ safe_divide('indices.east_population', 'indices.population') }}
            as east_population_share_pct,
        {{ safe_divide('indices.east_pagu_rp', 'indices.east_population') }}
            as east_pagu_per_capita_rp,
        {{ safe_divide('indices.rest_pagu_rp', 'indices.rest_population') }}
            as rest_pagu_per_capita_rp,
        indices.williamson_index,
        indices.theil_index,
        indices.theil_between,
        indices.theil_within,
        indices.theil_east,
        indices.theil_rest
    from quarters
    left join groups
        on quarters.quarter_index = groups.quarter_index
    left join regency_wide
        on quarters.quarter_index = regency_wide.quarter_index
    left join indices
        on quarters.quarter_index = indices.quarter_index

)

select * from final
