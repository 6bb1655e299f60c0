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

{#- A SQL expression for that position, or none when this database has no stamp to read it from.
    The position is read when the build runs, not when dbt compiles: the compiled SQL then
    depends only on the project and the database's tables, never on their rows, so
    `monev refresh` can run the SQL dbt compiled once for this project on every later refresh
    (projections/build_plan.py). The expression is NULL when the stamp says every table is
    built from scratch. -#}
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
    {{- return('(select max(incremental_from) from ' ~ meta ~ ')') -}}
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

{#- Whether an incremental run recomputes this row's activity: every activity when the stamp's
    position is NULL (a copy of a warehouse built from scratch), else those changed after it. -#}
{% macro is_recomputed(after) -%}
    ({{ after }} is null or activity_id in ({{ changed_activity_ids(after) }}))
{%- endmacro %}
