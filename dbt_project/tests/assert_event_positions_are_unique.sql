-- The store position is the key of every event, and a global one: no event table has a row
-- without one, no position appears twice in one table or across tables, and the typed tables
-- hold exactly the positions of the projector's global log (events.event_log): no event is
-- in one and not the other. One query for all staging models instead of two tests per model.
with

event_log as (

    select position as event_position
    from {{ source('events', 'event_log') }}
    {{ where_recorded_as_of() }}

),

positions as (

    select
        'stg_events__activities_mapped_to_problem' as model_name,
        event_position
    from {{ ref('stg_events__activities_mapped_to_problem') }}
    union all
    select
        'stg_events__activities_merged' as model_name,
        event_position
    from {{ ref('stg_events__activities_merged') }}
    union all
    select
        'stg_events__activities_merged_into' as model_name,
        event_position
    from {{ ref('stg_events__activities_merged_into') }}
    union all
    select
        'stg_events__activities_registered' as model_name,
        event_position
    from {{ ref('stg_events__activities_registered') }}
    union all
    select
        'stg_events__activity_targets_revised' as model_name,
        event_position
    from {{ ref('stg_events__activity_targets_revised') }}
    union all
    select
        'stg_events__evaluations_corrected' as model_name,
        event_position
    from {{ ref('stg_events__evaluations_corrected') }}
    union all
    select
        'stg_events__evaluations_recorded' as model_name,
        event_position
    from {{ ref('stg_events__evaluations_recorded') }}
    union all
    select
        'stg_events__mentor_commitments_evaluated' as model_name,
        event_position
    from {{ ref('stg_events__mentor_commitments_evaluated') }}
    union all
    select
        'stg_events__mentors_assigned' as model_name,
        event_position
    from {{ ref('stg_events__mentors_assigned') }}
    union all
    select
        'stg_events__mentors_registered' as model_name,
        event_position
    from {{ ref('stg_events__mentors_registered') }}
    union all
    select
        'stg_events__mentors_unassigned' as model_name,
        event_position
    from {{ ref('stg_events__mentors_unassigned') }}
    union all
    select
        'stg_events__opds_joined_program' as model_name,
        event_position
    from {{ ref('stg_events__opds_joined_program') }}
    union all
    select
        'stg_events__opds_registered' as model_name,
        event_position
    from {{ ref('stg_events__opds_registered') }}
    union all
    select
        'stg_events__problems_identified' as model_name,
        event_position
    from {{ ref('stg_events__problems_identified') }}
    union all
    select
        'stg_events__programs_registered' as model_name,
        event_position
    from {{ ref('stg_events__programs_registered') }}
    union all
    select
        'stg_events__quarters_closed' as model_name,
        event_position
    from {{ ref('stg_events__quarters_closed') }}
    union all
    select
        'stg_events__rakor_held' as model_name,
        event_position
    from {{ ref('stg_events__rakor_held') }}
    union all
    select
        'stg_events__recommendations_followed_up' as model_name,
        event_position
    from {{ ref('stg_events__recommendations_followed_up') }}
    union all
    select
        'stg_events__recommendations_issued' as model_name,
        event_position
    from {{ ref('stg_events__recommendations_issued') }}
    union all
    select
        'stg_events__service_regions_defined' as model_name,
        event_position
    from {{ ref('stg_events__service_regions_defined') }}

),

typed as (

    select
        event_position,
        count(*) as row_count,
        list(model_name order by model_name) as model_names
    from positions
    group by event_position

),

final as (

    select
        coalesce(typed.event_position, event_log.event_position) as event_position,
        coalesce(typed.row_count, 0) as row_count,
        typed.model_names,
        event_log.event_position is not null as is_in_event_log
    from typed
    full outer join event_log
        on typed.event_position = event_log.event_position
    where
        typed.event_position is null
        or typed.row_count > 1
        or event_log.event_position is null

)

select * from final
