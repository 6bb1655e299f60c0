{#- "As of": every staging model reads only the events recorded up to a moment (var `as_of`,
    ISO 8601, UTC unless it carries an offset) and/or up to a store position (var
    `as_of_position`). Staging is the only reader of the event tables, so the whole warehouse
    is reproduced as it stood then: `monev refresh --as-of` uses it to show a past rakor. -#}

{% macro as_of_conditions() -%}
    {%- set conditions = [] -%}
    {%- set as_of = var('as_of', none) -%}
    {%- set as_of_position = var('as_of_position', none) -%}
    {%- if as_of is not none and as_of | string | trim != '' -%}
        {%- set moment = as_of | string | trim -%}
        {%- if modules.re.fullmatch('[0-9T:. +-]+Z?', moment) is none -%}
            {{ exceptions.raise_compiler_error(
                "var as_of must be an ISO 8601 date or timestamp, got '" ~ moment ~ "'") }}
        {%- endif -%}
        {%- do conditions.append(
            "recorded_at <= cast('" ~ moment ~ "' as timestamp with time zone)") -%}
    {%- endif -%}
    {%- if as_of_position is not none and as_of_position | string | trim != '' -%}
        {%- do conditions.append("position <= " ~ (as_of_position | int)) -%}
    {%- endif -%}
    {{- return(conditions) -}}
{%- endmacro %}

{% macro where_recorded_as_of() -%}
    {%- set conditions = as_of_conditions() -%}
    {%- if conditions %}where {{ conditions | join(' and ') }}{% endif -%}
{%- endmacro %}

{% macro is_as_of_build() -%}
    {{- return(as_of_conditions() | length > 0) -}}
{%- endmacro %}
