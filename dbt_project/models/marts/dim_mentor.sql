{#- The mentor dimension: each Satrya Emas mentor, who recruited them, and the kecamatan they
    served ever and still serve (an assignment spell without an end). -#}
with

mentors as (

    select * from {{ ref('stg_events__mentors_registered') }}

),

spells as (

    select * from {{ ref('int_mentor_assignments_paired') }}

),

served as (

    select
        mentor_id,
        list(distinct kecamatan_code order by kecamatan_code) as kecamatan_codes,
        list(distinct kecamatan_code order by kecamatan_code) filter (
            where assigned_to is null
        ) as current_kecamatan_codes,
        count(*) as assignment_count
    from spells
    group by mentor_id

),

final as (

    select
        mentors.mentor_code,
        mentors.mentor_name,
        mentors.mentor_kind,
        mentors.recruited_by_opd_code,
        mentors.registered_on,
        mentors.event_position as registered_position,
        cast(coalesce(served.assignment_count, 0) as integer) as assignment_count,
        coalesce(served.kecamatan_codes, []) as kecamatan_codes,
        coalesce(served.current_kecamatan_codes, []) as current_kecamatan_codes
    from mentors
    left join served
        on mentors.mentor_id = served.mentor_id

)

select * from final
