{#- Each mentor in each quarter from the one they were registered in: the kecamatan they serve
    at the quarter's end and their commitment evaluation of that quarter, if any. -#}
with

mentors as (

    select * from {{ ref('stg_events__mentors_registered') }}

),

quarters as (

    select * from {{ ref('int_quarters_spanned') }}

),

served as (

    select * from {{ ref('int_mentor_kecamatan_quarters_served') }}

),

commitment_evaluations as (

    select * from {{ ref('stg_events__mentor_commitments_evaluated') }}

),

latest_evaluations as (

    select
        *,
        {{ quarter_index('quarter_code') }} as quarter_index
    from commitment_evaluations
    qualify row_number() over (
        partition by mentor_id, quarter_code order by event_position desc
    ) = 1

),

service as (

    select
        mentor_id,
        quarter_index,
        count(*) as kecamatan_count,
        list(kecamatan_code order by kecamatan_code) as kecamatan_codes
    from served
    group by mentor_id, quarter_index

),

final as (

    select
        mentors.mentor_id,
        mentors.mentor_code,
        quarters.quarter_index,
        cast(coalesce(service.kecamatan_count, 0) as integer) as kecamatan_count,
        coalesce(service.kecamatan_codes, []) as kecamatan_codes,
        latest_evaluations.mentor_id is not null as has_evaluation,
        latest_evaluations.commitment_score,
        latest_evaluations.reports_submitted,
        latest_evaluations.umkm_assisted,
        latest_evaluations.umkm_target,
        latest_evaluations.permits_facilitated,
        latest_evaluations.evaluation_notes
    from mentors
    inner join quarters
        on mentors.registered_on <= quarters.quarter_end_date
    left join service
        on
            mentors.mentor_id = service.mentor_id
            and quarters.quarter_index = service.quarter_index
    left join latest_evaluations
        on
            mentors.mentor_id = latest_evaluations.mentor_id
            and quarters.quarter_index = latest_evaluations.quarter_index

)

select * from final
