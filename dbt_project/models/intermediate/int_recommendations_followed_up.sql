{#- Each recommendation with what its follow-ups (tindak lanjut) say so far. It is done from
    the quarter of the first follow-up that reports it done: the domain takes no follow-up after
    that. -#}
with

issued as (

    select * from {{ ref('stg_events__recommendations_issued') }}

),

follow_ups as (

    select * from {{ ref('stg_events__recommendations_followed_up') }}

),

follow_up_summary as (

    select
        recommendation_id,
        count(*) as follow_up_count,
        max({{ quarter_index('follow_up_quarter_code') }}) as last_follow_up_quarter_index,
        arg_max(progress, event_position) as last_progress,
        min(
            case when is_done then {{ quarter_index('follow_up_quarter_code') }} end
        ) as done_quarter_index,
        min(case when is_done then recorded_at end) as done_recorded_at
    from follow_ups
    group by recommendation_id

),

final as (

    select
        issued.recommendation_id,
        issued.recommendation_code,
        issued.opd_code,
        issued.recommendation_text,
        issued.activity_code,
        issued.problem_code,
        issued.issued_quarter_code,
        {{ quarter_index('issued.issued_quarter_code') }} as issued_quarter_index,
        issued.due_quarter_code,
        {{ quarter_index('issued.due_quarter_code') }} as due_quarter_index,
        issued.recorded_at as issued_at,
        cast(coalesce(follow_up_summary.follow_up_count, 0) as integer) as follow_up_count,
        follow_up_summary.last_follow_up_quarter_index,
        follow_up_summary.last_progress,
        follow_up_summary.done_quarter_index,
        follow_up_summary.done_recorded_at
    from issued
    left join follow_up_summary
        on issued.recommendation_id = follow_up_summary.recommendation_id

)

select * from final
