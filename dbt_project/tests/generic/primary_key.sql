{#- A compound key: every row has all of the given columns, and no two rows share them. One
    query for what `unique` and `not_null` check of a single column. (Written here because hub
    packages such as dbt_utils cannot be installed offline.) -#}
{% test primary_key(model, columns) %}

with

keyed as (

    select {{ columns | join(', ') }}
    from {{ model }}

),

missing as (

    select
        {{ columns | join(', ') }},
        1 as row_count,
        'a key column is null' as problem
    from keyed
    where {{ columns | join(' is null or ') }} is null

),

repeated as (

    select
        {{ columns | join(', ') }},
        count(*) as row_count,
        'the key repeats' as problem
    from keyed
    group by {{ columns | join(', ') }}
    having count(*) > 1

),

final as (

    select * from missing
    union all
    select * from repeated

)

select * from final

{% endtest %}
