{#- Quarters are stored as '2017-Q2'. Their ordinal (year * 4 + triwulan - 1) makes "before",
    "after" and "how many quarters" plain integer arithmetic. -#}

{% macro quarter_year(quarter_code) -%}
    cast(left({{ quarter_code }}, 4) as integer)
{%- endmacro %}

{% macro quarter_triwulan(quarter_code) -%}
    cast(right({{ quarter_code }}, 1) as integer)
{%- endmacro %}

{% macro quarter_index(quarter_code) -%}
    ({{ quarter_year(quarter_code) }} * 4 + {{ quarter_triwulan(quarter_code) }} - 1)
{%- endmacro %}

{% macro quarter_code_of_index(quarter_index) -%}
    {{ dbt.concat([
        "cast(" ~ quarter_index ~ " // 4 as varchar)",
        "'-Q'",
        "cast(" ~ quarter_index ~ " % 4 + 1 as varchar)"
    ]) }}
{%- endmacro %}

{#- A ratio that is null, not an error or infinity, when the denominator is 0 or null. -#}
{% macro safe_divide(numerator, denominator) -%}
    (cast(({{ numerator }}) as double) / nullif(({{ denominator }}), 0))
{%- endmacro %}

{#- The quarter columns every quarterly mart carries, from the spine (int_quarters_spanned). -#}
{% macro quarter_columns(spine) -%}
    {{ spine }}.quarter_code as quarter,
    {{ spine }}.fiscal_year,
    {{ spine }}.triwulan,
    {{ spine }}.quarter_label,
    {{ spine }}.quarter_start_date,
    {{ spine }}.quarter_end_date
{%- endmacro %}

{#- The Permendagri 86/2017 band of a percentage, for a range join on the performance_bands
    seed: lower bound inclusive, upper exclusive, open ends unbounded (so >100% stays in the top
    band). A null percentage falls in no band. -#}
{% macro in_band(bands, pct) -%}
    ({{ bands }}.min_achievement_pct is null or {{ pct }} >= {{ bands }}.min_achievement_pct)
    and ({{ bands }}.max_achievement_pct is null or {{ pct }} < {{ bands }}.max_achievement_pct)
{%- endmacro %}

{#- The quarter spine's bounds as the events up to a store position left them (all events when
    it is none or NULL): from the first fiscal year on record to the latest quarter reported for, or only the
    first year's first quarter when nothing was reported yet. One query, so the spine
    (int_quarters_spanned) and the test for whether it moved (int_activities_changed) cannot
    disagree. -#}
{% macro spine_bounds(up_to_position=none) -%}
    {%- set recorded = '' if up_to_position is none
        else 'where ' ~ up_to_position ~ ' is null or event_position <= ' ~ up_to_position -%}
    {%- set reported = '' if up_to_position is none
        else 'where ' ~ up_to_position ~ ' is null or first_reported_position <= '
            ~ up_to_position -%}
    select
        first_year * 4 as first_index,
        coalesce(last_reported_index, first_year * 4) as last_index
    from (
        select
            (
                select min(fiscal_year) from (
                    select fiscal_year from {{ ref('stg_events__programs_registered') }}
                    {{ recorded }}
                    union all
                    select fiscal_year from {{ ref('stg_events__activities_registered') }}
                    {{ recorded }}
                    union all
                    select quarter_index // 4 as fiscal_year
                    from {{ ref('int_quarters_reported') }}
                    {{ reported }}
                )
            ) as first_year,
            (
                select max(quarter_index) from {{ ref('int_quarters_reported') }} {{ reported }}
            ) as last_reported_index
    )
{%- endmacro %}
