with

mentor_quarters as (

    select * from {{ ref('int_mentor_quarters_evaluated') }}

),

mentors as (

    select * from {{ ref('stg_events__mentors_registered') }}

),

quarters as (

    select * from {{ ref('int_quarters_spanned') }}

),

final as (

    select
        mentors.mentor_code,
        {{ quarter_columns('quarters') }},
        mentors.mentor_name,
        mentors.mentor_kind,
        mentors.recruited_by_opd_code,
        mentors.registered_on,
        mentor_quarters.kecamatan_count,
        mentor_quarters.kecamatan_codes,
        mentor_quarters.kecamatan_count >= 2 as is_dobel,
        mentor_quarters.has_evaluation,
        mentor_quarters.commitment_score,
        mentor_quarters.reports_submitted,
        mentor_quarters.umkm_assisted,
        mentor_quarters.umkm_target,
        100 * {{ safe_divide('mentor_quarters.umkm_assisted', 'mentor_quarters.umkm_target') }}
            as umkm_achievement_pct,
        mentor_quarters.permits_facilitated,
        mentor_quarters.evaluation_notes
    from mentor_quarters
    inner join mentors
        on mentor_quarters.mentor_id = mentors.mentor_id
    inner join quarters
        on mentor_quarters.quarter_index = quarters.quarter_index

)

select * from final
