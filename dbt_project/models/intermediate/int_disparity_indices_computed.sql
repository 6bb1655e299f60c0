{#- The inequality indices of budget per capita across kecamatan, per quarter: only kecamatan
    whose population is known take part (disparity_quarter states the formulas).

    - Williamson index: sqrt(sum_i (y_i - y)^2 * p_i / P) / y.
    - Theil index T = sum_i s_i * ln(s_i / q_i), split into between east and rest,
      sum_g S_g * ln(S_g / Q_g), and within, sum_g S_g * T_g.

    The terms are summed exactly (macros/exact.sql), so no index depends on summation order;
    the indices are rounded to 6 decimals, further digits being floating-point noise of ln and
    sqrt. Null in a quarter without located budget. -#}
with

kecamatan_quarters as (

    select * from {{ ref('int_kecamatan_quarters_budgeted') }}

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
            {% call exact_sum_of() %}
                population_share * power(pagu_per_capita - regency_pagu_per_capita, 2)
            {% endcall %}
        ) / nullif(any_value(regency_pagu_per_capita), 0) as williamson_index,
        {% call exact_sum_of() %}
            case
                when pagu_rp > 0 then budget_share * ln(budget_share / population_share)
                else 0
            end
        {% endcall %} as theil_index,
        {% call exact_sum_of() %}
            case
                when pagu_rp > 0
                    then budget_share * ln(group_budget_share / group_population_share)
                else 0
            end
        {% endcall %} as theil_within,
        {% call exact_sum_of() %}
            case
                when pagu_rp > 0 and is_east
                    then group_budget_share * ln(group_budget_share / group_population_share)
                else 0
            end
        {% endcall %} as theil_east,
        {% call exact_sum_of() %}
            case
                when pagu_rp > 0 and not is_east
                    then group_budget_share * ln(group_budget_share / group_population_share)
                else 0
            end
        {% endcall %} as theil_rest
    from kecamatan_terms
    group by quarter_index

),

group_terms as (

    select
        group_totals.quarter_index,
        {% call exact_sum_of() %}
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
        {% endcall %} as theil_between,
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
        totals.quarter_index,
        cast(totals.kecamatan_with_population as integer) as kecamatan_with_population,
        totals.is_population_demo,
        cast(totals.pagu_rp as bigint) as pagu_rp,
        cast(totals.population as bigint) as population,
        cast(group_terms.east_population as bigint) as east_population,
        cast(group_terms.rest_population as bigint) as rest_population,
        cast(group_terms.east_pagu_rp as bigint) as east_pagu_rp,
        cast(group_terms.rest_pagu_rp as bigint) as rest_pagu_rp,
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
    from totals
    inner join kecamatan_indices
        on totals.quarter_index = kecamatan_indices.quarter_index
    inner join group_terms
        on totals.quarter_index = group_terms.quarter_index

)

select * from final
