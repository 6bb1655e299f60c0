{#- Program membership: the OPD that registered a program (its owner) and every OPD that
    joined it as coordinator or member, each with when it joined. An OPD that joined twice
    keeps its latest role and its first joining. -#}
with

programs as (

    select * from {{ ref('stg_events__programs_registered') }}

),

joins as (

    select * from {{ ref('stg_events__opds_joined_program') }}

),

joined as (

    select
        programs.program_code,
        joins.opd_code,
        joins.program_role,
        joins.recorded_at,
        joins.event_position,
        min(joins.recorded_at) over (
            partition by joins.program_id, joins.opd_code
        ) as first_joined_at,
        min(joins.event_position) over (
            partition by joins.program_id, joins.opd_code
        ) as first_joined_position
    from joins
    inner join programs
        on joins.program_id = programs.program_id
    qualify
        row_number() over (
            partition by joins.program_id, joins.opd_code order by joins.event_position desc
        ) = 1

),

owners as (

    select
        programs.program_code,
        programs.opd_code,
        programs.recorded_at,
        programs.event_position
    from programs
    left join joined
        on
            programs.program_code = joined.program_code
            and programs.opd_code = joined.opd_code
    where joined.opd_code is null

),

final as (

    select
        program_code,
        opd_code,
        program_role,
        first_joined_at as joined_at,
        first_joined_position as joined_position
    from joined
    union all
    select
        program_code,
        opd_code,
        'owner' as program_role,
        recorded_at as joined_at,
        event_position as joined_position
    from owners

)

select * from final
