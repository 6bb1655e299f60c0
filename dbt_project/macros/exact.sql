{#- Sums and averages that cannot depend on evaluation order.

    A floating-point sum depends on the order its terms are added in, and DuckDB's order
    depends on its threads: the same events once gave opd_quarter.average_achievement_pct
    values 1e-14 apart from one build to another. Every sum or average of a non-integer
    quantity in this project therefore adds DECIMAL(38, 10) terms (each term rounded to 10
    decimal places, far below anything a mart shows), which is exact and so order-free, and
    converts the exact result to DOUBLE once. Money is whole rupiah (BIGINT) and summed as
    integers, exact already. `over` takes a window name or specification for window sums. -#}

{% macro exact_sum(expression, over=none) -%}
    cast(sum(cast({{ expression }} as decimal(38, 10))){% if over %} over {{ over }}{% endif %} as double)
{%- endmacro %}

{% macro exact_avg(expression) -%}
    ({{ exact_sum(expression) }} / nullif(count({{ expression }}), 0))
{%- endmacro %}

{#- The same for a longer expression, written as the body of a call block:
    {% call exact_sum_of() %} case when ... end {% endcall %} -#}
{% macro exact_sum_of(over=none) -%}
    {{ exact_sum(caller(), over) }}
{%- endmacro %}

{#- var `duckdb_threads` sets DuckDB's worker threads for one build (`on-run-start`). Nothing
    is run without it. Builds of the same store at different thread counts give identical
    marts (tests/integration/test_marts_reproducible.py shows it on the build plan's SQL). -#}
{% macro set_duckdb_threads() -%}
    {%- set threads = var('duckdb_threads', none) -%}
    {%- if threads is not none -%}
        set threads = {{ threads | int }}
    {%- endif -%}
{%- endmacro %}
