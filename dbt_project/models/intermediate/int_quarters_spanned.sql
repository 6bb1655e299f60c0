{#- The quarter spine: every quarter from the first fiscal year on record up to the latest
    quarter anything was reported for (evaluations, rakor, closures, recommendations,
    follow-ups, mentor evaluations). It ends there rather than at today's date or at the end of
    the fiscal year, so the warehouse shows no future quarters as empty and depends only on
    the events: the same events always give the same spine. -#}
with

closures as (

    select * from {{ ref('int_quarters_closed') }}

),

rakor as (

    select * from {{ ref('stg_events__rakor_held') }}

),

bounds as (

    {{ spine_bounds() }}

),

indexes as (

    select unnest(generate_series(first_index, last_index)) as quarter_index
    from bounds
    where first_index is not null

),

quarters as (

    select
        quarter_index,
        cast(quarter_index // 4 as integer) as fiscal_year,
        cast(quarter_index % 4 + 1 as integer) as triwulan
    from indexes

),

final as (

    select
        {{ quarter_code_of_index('quarters.quarter_index') }} as quarter_code,
        quarters.fiscal_year,
        quarters.triwulan,
        'Triwulan '
        || ['I', 'II', 'III', 'IV'][quarters.triwulan]
        || ' '
        || cast(quarters.fiscal_year as varchar) as quarter_label,
        'Quarter '
        || ['I', 'II', 'III', 'IV'][quarters.triwulan]
        || ' '
        || cast(quarters.fiscal_year as varchar) as quarter_label_en,
        make_date(quarters.fiscal_year, quarters.triwulan * 3 - 2, 1) as quarter_start_date,
        last_day(make_date(quarters.fiscal_year, quarters.triwulan * 3, 1)) as quarter_end_date,
        cast(quarters.quarter_index as integer) as quarter_index,
        closures.quarter_code is not null as is_closed,
        closures.closed_position,
        rakor.held_on as rakor_held_on,
        quarters.quarter_index = max(quarters.quarter_index) over () as is_latest_quarter
    from quarters
    left join closures
        on quarters.quarter_index = closures.quarter_index
    left join rakor
        on {{ quarter_code_of_index('quarters.quarter_index') }} = rakor.quarter_code

)

select * from final
