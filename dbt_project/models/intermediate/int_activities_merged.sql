{#- Current state of every activity, with merges applied.

    When does a registration or a merge take effect? Not at the wall-clock quarter of
    recorded_at: data is entered late (a whole year in November) and the demo is recorded in
    one go. The domain's own calendar decides instead: an event takes effect in the first
    quarter of the activity's fiscal year that was still open (not yet closed after its rakor)
    when the event was stored. Closed quarters are locked in the domain, so nothing recorded
    later can have been part of them.

    - An activity is expected to report from its first open quarter at registration.
    - A merged original reports up to the quarter before its merge took effect; its budget is
      counted up to then and the joint activity's budget (their sum) from then on, so a merged
      budget is counted once in every quarter.

    Incremental by store position (see macros/incremental.sql): a run on a copy of the
    published warehouse recomputes only the activities in int_activities_changed. -#}
{{
    config(
        materialized='incremental',
        unique_key='activity_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        full_refresh=(true if is_as_of_build() else none),
    )
}}
{%- set after = changed_after() %}
-- depends_on: {{ ref('int_activities_changed') }}
with

registered as (

    select * from {{ ref('stg_events__activities_registered') }}
    {%- if after is not none %}
    where {{ is_recomputed(after) }}
    {%- endif %}

),

revisions as (

    select * from {{ ref('stg_events__activity_targets_revised') }}

),

merge_events as (

    select * from {{ ref('stg_events__activities_merged') }}

),

merged_into as (

    select * from {{ ref('stg_events__activities_merged_into') }}

),

closures as (

    select * from {{ ref('int_quarters_closed') }}

),

latest_revisions as (

    select
        activity_id,
        pagu_rp,
        annual_target,
        quarterly_targets,
        count(*) over (partition by activity_id) as revision_count
    from revisions
    qualify row_number() over (partition by activity_id order by event_position desc) = 1

),

latest_merges as (

    select *
    from merge_events
    qualify row_number() over (partition by activity_id order by event_position desc) = 1

),

closures_into as (

    select *
    from merged_into
    qualify row_number() over (partition by activity_id order by event_position) = 1

),

triwulans as (

    select unnest(range(1, 5)) as triwulan

),

fiscal_quarters as (

    select
        registered.activity_id,
        registered.fiscal_year * 4 + triwulans.triwulan - 1 as quarter_index,
        registered.event_position as registered_position,
        closures_into.event_position as merged_position,
        closures.closed_position
    from registered
    cross join triwulans
    left join closures_into
        on registered.activity_id = closures_into.activity_id
    left join closures
        on registered.fiscal_year * 4 + triwulans.triwulan - 1 = closures.quarter_index

),

effective_quarters as (

    select
        activity_id,
        min(
            case
                when closed_position is null or closed_position > registered_position
                    then quarter_index
            end
        ) as first_open_at_registration,
        min(
            case
                when closed_position is null or closed_position > merged_position
                    then quarter_index
            end
        ) as first_open_at_merge
    from fiscal_quarters
    group by activity_id

),

final as (

    select
        registered.activity_id,
        registered.activity_code,
        registered.activity_name,
        registered.program_code,
        registered.opd_code,
        registered.kecamatan_code,
        registered.fiscal_year,
        registered.pagu_rp as registered_pagu_rp,
        coalesce(latest_revisions.pagu_rp, registered.pagu_rp) as pagu_rp,
        registered.indicator_name,
        registered.indicator_unit,
        registered.indicator_kind,
        coalesce(latest_revisions.annual_target, registered.annual_target) as annual_target,
        coalesce(
            latest_revisions.quarterly_targets, registered.quarterly_targets
        ) as quarterly_targets,
        coalesce(latest_revisions.revision_count, 0) as revision_count,
        registered.is_joint,
        registered.event_position as registered_position,
        cast(
            coalesce(
                effective_quarters.first_open_at_registration, registered.fiscal_year * 4 + 4
            ) as integer
        ) as first_quarter_index,
        closures_into.joint_activity_code as merged_into_code,
        closures_into.joint_activity_code is not null as is_merged,
        cast(
            case
                when closures_into.activity_id is not null
                    then coalesce(
                        effective_quarters.first_open_at_merge, registered.fiscal_year * 4 + 4
                    )
            end as integer
        ) as merged_from_quarter_index,
        cast(
            case
                when closures_into.activity_id is not null
                    then coalesce(
                        effective_quarters.first_open_at_merge, registered.fiscal_year * 4 + 4
                    ) - 1
                else registered.fiscal_year * 4 + 3
            end as integer
        ) as last_quarter_index,
        latest_merges.merged_activity_codes,
        coalesce(
            latest_merges.participating_opd_codes, list_value(registered.opd_code)
        ) as participating_opd_codes,
        latest_merges.lead_opd_code,
        latest_merges.combined_pagu_rp
    from registered
    left join latest_revisions
        on registered.activity_id = latest_revisions.activity_id
    left join latest_merges
        on registered.activity_id = latest_merges.activity_id
    left join closures_into
        on registered.activity_id = closures_into.activity_id
    left join effective_quarters
        on registered.activity_id = effective_quarters.activity_id

)

select * from final
