{#- Each spell of a mentor serving a kecamatan: an assignment, ended by the next unassignment of
    the same mentor and kecamatan (the domain refuses a second assignment while one is open, so
    the next event for the pair after an assignment is always its end). -#}
with

mentors as (

    select * from {{ ref('stg_events__mentors_registered') }}

),

assigned as (

    select * from {{ ref('stg_events__mentors_assigned') }}

),

unassigned as (

    select * from {{ ref('stg_events__mentors_unassigned') }}

),

changes as (

    select
        mentor_id,
        kecamatan_code,
        event_position,
        'assigned' as change_kind,
        assigned_from as change_date
    from assigned
    union all
    select
        mentor_id,
        kecamatan_code,
        event_position,
        'unassigned' as change_kind,
        assigned_to as change_date
    from unassigned

),

paired as (

    select
        mentor_id,
        kecamatan_code,
        event_position as assigned_position,
        change_kind,
        change_date as assigned_from,
        lead(change_kind) over pair_history as next_change,
        lead(change_date) over pair_history as next_change_date,
        lead(event_position) over pair_history as next_position
    from changes
    window pair_history as (partition by mentor_id, kecamatan_code order by event_position)

),

final as (

    select
        paired.mentor_id,
        mentors.mentor_code,
        paired.kecamatan_code,
        paired.assigned_position,
        paired.assigned_from,
        case when paired.next_change = 'unassigned' then paired.next_change_date end
            as assigned_to,
        case when paired.next_change = 'unassigned' then paired.next_position end
            as unassigned_position
    from paired
    inner join mentors
        on paired.mentor_id = mentors.mentor_id
    where paired.change_kind = 'assigned'

)

select * from final
