{#- East vs rest, per quarter: budget located in each group and two inequality indices of
    budget per capita across kecamatan (only kecamatan whose population is known take part):

    - Williamson index: sqrt(sum_i (y_i - y)^2 * p_i / P) / y, where y_i is the kecamatan's
      budget per capita, y the regency's, p_i its population and P the total.
    - Theil index: T = sum_i s_i * ln(s_i / q_i), with s_i the kecamatan's share of the budget
      and q_i its share of the population (a kecamatan without budget adds 0). It splits
      exactly into a between-group part, sum_g S_g * ln(S_g / Q_g) over east and rest, and a
      within-group part, sum_g S_g * T_g, where T_g is the same index inside group g.

    Indices are rounded to 6 decimals: further digits are floating-point noise that would make
    the same inputs compare unequal from one machine (or summation order) to another. -#}
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

with_population as (

    select *
    from kecamatan_quarters
    where population > 0

),

totals as (

    select
        quarter_index,
        count(*) as kecamatan_with_population,
        bool_or(is_population_demo) as is_population_demo,
        sum(pagu_rp) as pagu_rp,
        sum(population) as population
    from with_population
    group by quarter_index

),

group_totals as (

    select
        quarter_index,
        is_east,
        sum(pagu_rp) as pagu_rp,
        sum(population) as population
    from with_population
    group by quarter_index, is_east

),

kecamatan_terms as (

    select
        with_population.quarter_index,
        with_population.is_east,
        with_population.pagu_rp,
        with_population.population / totals.population as population_share,
        {{ safe_divide('with_population.pagu_rp', 'totals.pagu_rp') }} as budget_share,
        with_population.pagu_rp / with_population.population as pagu_per_capita,
        totals.pagu_rp / totals.population as regency_pagu_per_capita,
        {{ safe_divide('with_population.pagu_rp', 'group_totals.pagu_rp') }}
            as group_budget_share,
        with_population.population / group_totals.population as group_population_share
    from with_population
    inner join totals
        on with_population.quarter_index = totals.quarter_index
    inner join group_totals
        on
            with_population.quarter_index = group_totals.quarter_index
            and with_population.is_east = group_totals.is_east

),

kecamatan_indices as (

    select
        quarter_index,
        sqrt(
            sum(population_share * power(pagu_per_capita - regency_pagu_per_capita, 2))
        ) / nullif(any_value(regency_pagu_per_capita), 0) as williamson_index,
        sum(
            case
                when pagu_rp > 0 then budget_share * ln(budget_share / population_share)
                else 0
            end
        ) as theil_index,
        sum(
            case
                when pagu_rp > 0
                    then budget_share * ln(group_budget_share / group_population_share)
                else 0
            end
        ) as theil_within,
        sum(
            case
                when pagu_rp > 0 and is_east
                    then group_budget_share * ln(group_budget_share / group_population_share)
                else 0
            end
        ) as theil_east,
        sum(
            case
                when pagu_rp > 0 and not is_east
                    then group_budget_share * ln(group_budget_share / group_population_share)
                else 0
            end
        ) as theil_rest
    from kecamatan_terms
    group by quarter_index

),

group_terms as (

    select
        group_totals.quarter_index,
        sum(
            case
                when group_totals.pagu_rp > 0
                    then
                        (group_totals.pagu_rp / totals.pagu_rp)
                        * ln(
                            (group_totals.pagu_rp / totals.pagu_rp)
                            / (group_totals.population / totals.population)
                        )
                else 0
            end
        ) as theil_between,
        sum(group_totals.pagu_rp) filter (where group_totals.is_east) as east_pagu_rp,
        sum(group_totals.population) filter (where group_totals.is_east) as east_population,
        sum(group_totals.pagu_rp) filter (where not group_totals.is_east) as rest_pagu_rp,
        sum(group_totals.population) filter (
            where not group_totals.is_east
        ) as rest_population
    from group_totals
    inner join totals
        on group_totals.quarter_index = totals.quarter_index
    group by group_totals.quarter_index

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
        cast(coalesce(totals.kecamatan_with_population, 0) as integer)
            as kecamatan_with_population,
        coalesce(totals.is_population_demo, false) as is_population_demo,
        cast(group_terms.east_population as bigint) as east_population,
        cast(group_terms.rest_population as bigint) as rest_population,
        100 * {{ safe_divide('group_terms.east_population', 'totals.population') }}
            as east_population_share_pct,
        {{ safe_divide('group_terms.east_pagu_rp', 'group_terms.east_population') }}
            as east_pagu_per_capita_rp,
        {{ safe_divide('group_terms.rest_pagu_rp', 'group_terms.rest_population') }}
            as rest_pagu_per_capita_rp,
        case
            when totals.pagu_rp > 0 then round(kecamatan_indices.williamson_index, 6)
        end as williamson_index,
        case
            when totals.pagu_rp > 0 then round(kecamatan_indices.theil_index, 6)
        end as theil_index,
        case
            when totals.pagu_rp > 0 then round(group_terms.theil_between, 6)
        end as theil_between,
        case
            when totals.pagu_rp > 0 then round(kecamatan_indices.theil_within, 6)
        end as theil_within,
        case
            when totals.pagu_rp > 0 then round(kecamatan_indices.theil_east, 6)
        end as theil_east,
        case
            when totals.pagu_rp > 0 then round(kecamatan_indices.theil_rest, 6)
        end as theil_rest
    from quarters
    left join groups
        on quarters.quarter_index = groups.quarter_index
    left join regency_wide
        on quarters.quarter_index = regency_wide.quarter_index
    left join totals
        on quarters.quarter_index = totals.quarter_index
    left join kecamatan_indices
        on quarters.quarter_index = kecamatan_indices.quarter_index
    left join group_terms
        on quarters.quarter_index = group_terms.quarter_index

)

select * from final
