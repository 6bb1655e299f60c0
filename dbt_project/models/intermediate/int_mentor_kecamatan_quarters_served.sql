{#- Which mentor serves which kecamatan at the end of each quarter: an assignment counts for a
    quarter when it started on or before the quarter's last day and had not ended before it
    (the day in assigned_to is the last day served). Coverage is a position at the quarter's
    end, the way a roster is read at the rakor. -#}
with

assignments as (

    select * from {{ ref('int_mentor_assignments_paired') }}

),

quarters as (

    select * from {{ ref('int_quarters_spanned') }}

),

served as (

    select
        assignments.mentor_id,
        assignments.mentor_code,
        assignments.kecamatan_code,
        quarters.quarter_index
    from assignments
    inner join quarters
        on
            assignments.assigned_from <= quarters.quarter_end_date
            and (
                assignments.assigned_to is null
                or assignments.assigned_to >= quarters.quarter_end_date
            )

),

final as (

    -- One row per mentor, kecamatan and quarter even if a spell was split and resumed.
    select distinct
        mentor_id,
        mentor_code,
        kecamatan_code,
        quarter_index
    from served

)

select * from final
