{#- A compound key is unique: no two rows share the same values of all the given columns.
    (Written here because hub packages such as dbt_utils cannot be installed offline.) -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

with

keyed as (

    select {{ combination_of_columns | join(', ') }}
    from {{ model }}

),

final as (

    select
        {{ combination_of_columns | join(', ') }},
        count(*) as row_count
    from keyed
    group by {{ combination_of_columns | join(', ') }}
    having count(*) > 1

)

select * from final

{% endtest %}
