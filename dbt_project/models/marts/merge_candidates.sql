{#- Suggested merges (the Sinergi page lists them): activities of different OPDs in the same
    fiscal year that address the same problem, or problems of the same category in the same
    kecamatan, and could become one joint activity.

    - Suggestions: activities not merged into anything, in a fiscal year whose last quarter is
      not closed yet (a closed year takes no merge). Joint activities take part with the
      problems of their originals, so a third activity may be suggested to join one.
    - Already merged: the originals of one joint activity that share the problem (or category
      and kecamatan), so what was suggested stays visible after the merge.

    A group needs at least two OPDs. The category reason adds a group only when its activities
    address different problems; the same problem is the first reason already. -#}
with

activities as (

    select * from {{ ref('int_activities_merged') }}

),

mappings as (

    select * from {{ ref('int_activity_problems_mapped') }}

),

problems as (

    select * from {{ ref('stg_events__problems_identified') }}

),

closures as (

    select * from {{ ref('int_quarters_closed') }}

),

addressing as (

    select
        activities.activity_code,
        activities.opd_code,
        activities.fiscal_year,
        activities.pagu_rp,
        activities.merged_into_code,
        problems.problem_code,
        problems.problem_category,
        coalesce(activities.kecamatan_code, problems.kecamatan_code) as kecamatan_code
    from mappings
    inner join activities
        on mappings.activity_code = activities.activity_code
    inner join problems
        on mappings.problem_code = problems.problem_code
    where
        -- Suggestions: unmerged, in a year still open.
        (
            not activities.is_merged
            and not exists (
                select 1
                from closures
                where closures.quarter_index = activities.fiscal_year * 4 + 3
            )
        )
        -- Already merged: the originals, with the problems mapped to them directly.
        or (activities.is_merged and not mappings.is_inherited)

),

by_problem as (

    select
        'same_problem' as reason,
        fiscal_year,
        merged_into_code,
        problem_code,
        any_value(problem_category) as problem_category,
        cast(null as varchar) as kecamatan_code,
        list(distinct activity_code order by activity_code) as activity_codes,
        list(distinct opd_code order by opd_code) as opd_codes,
        list(distinct problem_code order by problem_code) as problem_codes,
        count(distinct activity_code) as activity_count,
        count(distinct opd_code) as opd_count
    from addressing
    group by fiscal_year, merged_into_code, problem_code

),

by_category as (

    select
        'same_category_and_kecamatan' as reason,
        fiscal_year,
        merged_into_code,
        cast(null as varchar) as problem_code,
        problem_category,
        kecamatan_code,
        list(distinct activity_code order by activity_code) as activity_codes,
        list(distinct opd_code order by opd_code) as opd_codes,
        list(distinct problem_code order by problem_code) as problem_codes,
        count(distinct activity_code) as activity_count,
        count(distinct opd_code) as opd_count
    from addressing
    where kecamatan_code is not null
    group by fiscal_year, merged_into_code, problem_category, kecamatan_code
    having count(distinct problem_code) >= 2

),

groups as (

    select * from by_problem
    union all
    select * from by_category

),

budgets as (

    -- Each activity's budget once per group, whatever the number of problems it addresses.
    select
        groups.reason,
        groups.fiscal_year,
        groups.merged_into_code,
        groups.problem_code,
        groups.problem_category,
        groups.kecamatan_code,
        sum(activities.pagu_rp) as combined_pagu_rp
    from groups
    cross join unnest(groups.activity_codes) as members (activity_code)
    inner join activities
        on members.activity_code = activities.activity_code
    group by all

),

final as (

    select
        concat_ws(
            ':',
            groups.reason,
            cast(groups.fiscal_year as varchar),
            coalesce(groups.problem_code, groups.problem_category || '@' || groups.kecamatan_code),
            groups.merged_into_code
        ) as candidate_key,
        groups.reason,
        case groups.reason
            when 'same_problem' then 'Menangani masalah yang sama'
            else 'Kategori masalah yang sama di kecamatan yang sama'
        end as reason_label,
        cast(groups.fiscal_year as integer) as fiscal_year,
        groups.problem_code,
        groups.problem_category,
        groups.kecamatan_code,
        groups.problem_codes,
        groups.activity_codes,
        groups.opd_codes,
        cast(groups.activity_count as integer) as activity_count,
        cast(groups.opd_count as integer) as opd_count,
        cast(budgets.combined_pagu_rp as bigint) as combined_pagu_rp,
        groups.merged_into_code is not null as is_already_merged,
        groups.merged_into_code
    from groups
    inner join budgets
        on
            groups.reason = budgets.reason
            and groups.fiscal_year = budgets.fiscal_year
            and groups.merged_into_code is not distinct from budgets.merged_into_code
            and groups.problem_code is not distinct from budgets.problem_code
            and groups.problem_category is not distinct from budgets.problem_category
            and groups.kecamatan_code is not distinct from budgets.kecamatan_code
    where groups.opd_count >= 2

)

select * from final
