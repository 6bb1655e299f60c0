{#- Each activity in each quarter of its fiscal year (from its first open quarter up to the
    latest quarter on record), with the evaluation of that quarter and the figures to date.

    - Financial realisation is reported per quarter and summed to date; absorption is that sum
      over the pagu.
    - Physical progress is cumulative: the latest reported value carries forward.
    - Indicators: a cumulative indicator takes its latest value and its to-date target of the
      quarter; an incremental one sums values and per-quarter targets over the quarters the
      activity was expected to report. A quarter without a report adds nothing.
    - After a merge takes effect the original is inactive: its figures stay frozen at its last
      active quarter and its budget is no longer counted (the joint activity's is). The joint
      activity's pagu is the originals' combined, so its financial realisation to date includes
      what they spent before the merge: money is counted once, like the budget.

    Incremental by store position (see macros/incremental.sql): a run on a copy of the
    published warehouse recomputes every quarter of the activities in int_activities_changed
    and no other. -#}
{{
    config(
        materialized='incremental',
        unique_key='activity_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        full_refresh=(true if is_as_of_build() else none),
    )
}}
{%- set after = changed_after() %}
-- depends_on: {{ ref('int_activities_changed') }}
with

activities as (

    select * from {{ ref('int_activities_merged') }}

),

evaluations as (

    select * from {{ ref('int_evaluations_deduplicated') }}

),

quarters as (

    select * from {{ ref('int_quarters_spanned') }}

),

recomputed as (

    -- Whose rows this run writes; the merge carry-over below still reads every activity.
    select * from activities
    {%- if after is not none %}
    where {{ is_recomputed(after) }}
    {%- endif %}

),

spent_before_merge as (

    select
        activities.merged_into_code as activity_code,
        sum(evaluations.financial_rp) as financial_rp
    from evaluations
    inner join activities
        on
            evaluations.activity_id = activities.activity_id
            and evaluations.quarter_index
            between activities.first_quarter_index and activities.last_quarter_index
    where activities.merged_into_code is not null
    group by activities.merged_into_code

),

activity_quarters as (

    select
        activities.activity_id,
        activities.activity_code,
        activities.indicator_kind,
        activities.quarterly_targets,
        activities.annual_target,
        activities.pagu_rp,
        activities.fiscal_year,
        activities.last_quarter_index,
        quarters.quarter_index,
        quarters.triwulan,
        quarters.quarter_index <= activities.last_quarter_index as is_active,
        least(
            quarters.triwulan, activities.last_quarter_index - activities.fiscal_year * 4 + 1
        ) as target_triwulan,
        coalesce(spent_before_merge.financial_rp, 0) as carried_in_financial_rp
    from recomputed as activities
    inner join quarters
        on
            activities.fiscal_year = quarters.fiscal_year
            and activities.first_quarter_index <= quarters.quarter_index
    left join spent_before_merge
        on activities.activity_code = spent_before_merge.activity_code

),

with_evaluations as (

    select
        activity_quarters.*,
        evaluations.activity_id is not null as has_evaluation,
        evaluations.physical_pct,
        evaluations.financial_rp,
        evaluations.indicator_value,
        evaluations.drivers,
        evaluations.obstacles,
        evaluations.is_corrected,
        evaluations.latest_recorded_at as evaluation_recorded_at,
        case
            when activity_quarters.is_active
                then activity_quarters.quarterly_targets[activity_quarters.triwulan]
            else 0
        end as active_quarter_target
    from activity_quarters
    left join evaluations
        on
            activity_quarters.activity_id = evaluations.activity_id
            and activity_quarters.quarter_index = evaluations.quarter_index
            and activity_quarters.is_active

),

to_date as (

    select
        *,
        cast(
            carried_in_financial_rp + sum(coalesce(financial_rp, 0)) over to_this_quarter
            as bigint
        ) as financial_realisation_rp,
        last_value(physical_pct ignore nulls) over to_this_quarter as physical_to_date_pct,
        case
            when indicator_kind = 'cumulative'
                then last_value(indicator_value ignore nulls) over to_this_quarter
            else {{ exact_sum('indicator_value', over='to_this_quarter') }}
        end as indicator_actual,
        case
            when indicator_kind = 'cumulative'
                then quarterly_targets[target_triwulan]
            else {{ exact_sum('active_quarter_target', over='to_this_quarter') }}
        end as indicator_target
    from with_evaluations
    window to_this_quarter as (
        partition by activity_id
        order by quarter_index
        rows between unbounded preceding and current row
    )

),

final as (

    select
        activity_id,
        activity_code,
        quarter_index,
        is_active,
        has_evaluation,
        case when is_active then pagu_rp else 0 end as counted_pagu_rp,
        physical_pct,
        financial_rp,
        indicator_value,
        drivers,
        obstacles,
        coalesce(is_corrected, false) as is_corrected,
        evaluation_recorded_at,
        financial_realisation_rp,
        100 * {{ safe_divide('financial_realisation_rp', 'pagu_rp') }} as absorption_pct,
        physical_to_date_pct,
        indicator_target,
        indicator_actual,
        100 * {{ safe_divide('coalesce(indicator_actual, 0)', 'indicator_target') }}
            as achievement_pct,
        100 * {{ safe_divide('coalesce(indicator_actual, 0)', 'annual_target') }}
            as annual_achievement_pct
    from to_date

)

select * from final
