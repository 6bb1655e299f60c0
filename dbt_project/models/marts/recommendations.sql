{#- Status is read at the latest quarter on record (the spine's last quarter: the quarter now
    being reported on), so the same events always give the same status. -#}
with

recommendations as (

    select * from {{ ref('int_recommendations_followed_up') }}

),

quarters as (

    select * from {{ ref('int_quarters_spanned') }}

),

opds as (

    select * from {{ ref('stg_events__opds_registered') }}

),

status_quarter as (

    select
        quarter_index,
        quarter_code
    from quarters
    where is_latest_quarter

),

labelled as (

    select
        recommendations.*,
        status_quarter.quarter_code as status_quarter,
        status_quarter.quarter_index as status_quarter_index,
        coalesce(
            recommendations.done_quarter_index <= status_quarter.quarter_index, false
        ) as is_done
    from recommendations
    cross join status_quarter

),

final as (

    select
        labelled.recommendation_code,
        labelled.opd_code,
        opds.opd_name,
        labelled.recommendation_text,
        labelled.activity_code,
        labelled.problem_code,
        labelled.issued_quarter_code as issued_quarter,
        labelled.issued_at,
        labelled.due_quarter_code as due_quarter,
        labelled.follow_up_count,
        {{ quarter_code_of_index('labelled.last_follow_up_quarter_index') }}
            as last_follow_up_quarter,
        labelled.last_progress,
        labelled.is_done,
        case
            when labelled.is_done
                then {{ quarter_code_of_index('labelled.done_quarter_index') }}
        end as done_quarter,
        case
            when labelled.is_done then 'done'
            when labelled.due_quarter_index < labelled.status_quarter_index then 'overdue'
            else 'open'
        end as status,
        not labelled.is_done
        and labelled.due_quarter_index < labelled.status_quarter_index as is_overdue,
        cast(
            greatest(
                case
                    when labelled.is_done then labelled.done_quarter_index
                    else labelled.status_quarter_index
                end - labelled.issued_quarter_index,
                0
            ) as integer
        ) as quarters_open,
        labelled.status_quarter
    from labelled
    left join opds
        on labelled.opd_code = opds.opd_code

)

select * from final
