{#- Where each recommendation stands at the end of every quarter from its rakor on: done once a
    follow-up of that quarter or earlier reports it done; overdue when not done and its due
    quarter lies before the quarter looked at. -#}
with

recommendations as (

    select * from {{ ref('int_recommendations_followed_up') }}

),

quarters as (

    select * from {{ ref('int_quarters_spanned') }}

),

tracked as (

    select
        recommendations.recommendation_code,
        recommendations.opd_code,
        recommendations.activity_code,
        recommendations.problem_code,
        recommendations.due_quarter_index,
        quarters.quarter_index,
        coalesce(
            recommendations.done_quarter_index <= quarters.quarter_index, false
        ) as is_done
    from recommendations
    inner join quarters
        on recommendations.issued_quarter_index <= quarters.quarter_index

),

final as (

    select
        recommendation_code,
        opd_code,
        activity_code,
        problem_code,
        quarter_index,
        is_done,
        not is_done as is_open,
        not is_done and due_quarter_index < quarter_index as is_overdue
    from tracked

)

select * from final
