{#- Incremental by store position.

    `monev refresh` builds a new warehouse on a copy of the published one when the projection
    and this project are unchanged since, appends the events stored after it, and says so in
    the stamp: `main.warehouse_meta.incremental_from` is the position of the last event the
    copied tables already include (NULL when every table is built from scratch). The heavy
    per-activity models then recompute only the activities that events after it touch
    (int_activities_changed) and keep every other row as it was: events are append-only, so
    an activity no later event touches has the same rows as before.

    Without that stamp (a bare `dbt build`, the tests' repeated builds into one file) an
    incremental model recomputes every key, which is slower but gives the same rows. -#}

{% macro incremental_from() -%}
    {%- if not execute -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set meta = adapter.get_relation(
        database=target.database, schema='main', identifier='warehouse_meta') -%}
    {%- if meta is none -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(meta) | map(attribute='name') | list -%}
    {%- if 'incremental_from' not in columns -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set result = run_query('select max(incremental_from) from ' ~ meta) -%}
    {%- set position = result.columns[0].values()[0] -%}
    {{- return(none if position is none else position | int) -}}
{%- endmacro %}

{#- The position after which this build recomputes, or none when it recomputes everything:
    only an incremental run of a model on a stamped copy of the published warehouse. -#}
{% macro changed_after() -%}
    {%- if is_incremental() and not is_as_of_build() -%}
        {{- return(incremental_from()) -}}
    {%- endif -%}
    {{- return(none) -}}
{%- endmacro %}

{#- The activities to recompute in a build after ``after``: int_activities_changed's rows for
    that very position. A build that did not rebuild int_activities_changed (none of its
    inputs had new events) finds none there: its rows are from an earlier build. -#}
{% macro changed_activity_ids(after) -%}
    select activity_id from {{ ref('int_activities_changed') }} where changed_after = {{ after }}
{%- endmacro %}
