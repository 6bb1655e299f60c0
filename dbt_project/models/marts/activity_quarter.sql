{#- One row per activity and quarter: the Permendagri 86 picture of each activity.

    Incremental by store position (see macros/incremental.sql): a run on a copy of the
    published warehouse rewrites every quarter of the activities in int_activities_changed
    and no other. -#}
{{
    config(
        materialized='incremental',
        unique_key='activity_code',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        full_refresh=(true if is_as_of_build() else none),
    )
}}
{%- set after = changed_after() %}
-- depends_on: {{ ref('int_activities_changed') }}
with

activity_quarters as (

    select * from {{ ref('int_activity_quarters_evaluated') }}
    {%- if after is not none %}
    where {{ is_recomputed(after) }}
    {%- endif %}

),

activities as (

    select * from {{ ref('int_activities_merged') }}

),

quarters as (

    select * from {{ ref('int_quarters_spanned') }}

),

opds as (

    select * from {{ ref('stg_events__opds_registered') }}

),

kecamatan as (

    select * from {{ ref('int_kecamatan_grouped') }}

),

recommendation_quarters as (

    select * from {{ ref('int_recommendation_quarters_tracked') }}

),

bands as (

    select * from {{ ref('performance_bands') }}

),

open_recommendations as (

    select
        activity_code,
        quarter_index,
        count(*) filter (where is_open) as open_recommendations,
        count(*) filter (where is_overdue) as overdue_recommendations
    from recommendation_quarters
    where activity_code is not null
    group by activity_code, quarter_index

),

final as (

    select
        activities.activity_code,
        {{ quarter_columns('quarters') }},
        activities.activity_name,
        activities.program_code,
        activities.opd_code,
        opds.opd_name,
        activities.kecamatan_code,
        kecamatan.kecamatan_name,
        kecamatan.is_east,
        activities.is_joint,
        activities.merged_into_code,
        activity_quarters.is_active,
        activities.pagu_rp,
        activity_quarters.counted_pagu_rp,
        activity_quarters.financial_rp,
        activity_quarters.financial_realisation_rp,
        activity_quarters.absorption_pct,
        activity_quarters.physical_pct,
        activity_quarters.physical_to_date_pct,
        activities.indicator_name,
        activities.indicator_unit,
        activities.indicator_kind,
        activities.annual_target,
        activity_quarters.indicator_value,
        activity_quarters.indicator_target,
        activity_quarters.indicator_actual,
        activity_quarters.achievement_pct,
        activity_quarters.annual_achievement_pct,
        bands.band,
        bands.band_en,
        cast(bands.band_rank as integer) as band_rank,
        activity_quarters.has_evaluation,
        activity_quarters.is_corrected,
        activity_quarters.drivers,
        activity_quarters.obstacles,
        cast(
            coalesce(open_recommendations.open_recommendations, 0) as integer
        ) as open_recommendations,
        cast(
            coalesce(open_recommendations.overdue_recommendations, 0) as integer
        ) as overdue_recommendations
    from activity_quarters
    inner join activities
        on activity_quarters.activity_id = activities.activity_id
    inner join quarters
        on activity_quarters.quarter_index = quarters.quarter_index
    left join opds
        on activities.opd_code = opds.opd_code
    left join kecamatan
        on activities.kecamatan_code = kecamatan.kecamatan_code
    left join open_recommendations
        on
            activities.activity_code = open_recommendations.activity_code
            and activity_quarters.quarter_index = open_recommendations.quarter_index
    left join bands
        on {{ in_band('bands', 'activity_quarters.achievement_pct') }}

)

select * from final
