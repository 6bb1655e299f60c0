{#- The demo's illustrative population is used only when asked for: var demo_population, or
    else the environment variable MONEV_DEMO_POPULATION (true/1/yes). Entered (official)
    figures always win, and demo figures stay flagged as demo wherever they are shown. -#}
{% macro demo_population_enabled() -%}
    {%- set value = var('demo_population', none) -%}
    {%- if value is none -%}
        {%- set value = env_var('MONEV_DEMO_POPULATION', 'false') -%}
    {%- endif -%}
    {{- return((value | string | trim | lower) in ['true', '1', 'yes']) -}}
{%- endmacro %}
