-- A merged budget is counted once: in no quarter are both a joint activity and one of the
-- activities merged into it counted in the budget totals.
with

activity_quarters as (

    select * from {{ ref('activity_quarter') }}

),

joints as (

    select
        activity_code,
        quarter,
        counted_pagu_rp
    from activity_quarters
    where is_joint

),

originals as (

    select
        merged_into_code,
        quarter,
        counted_pagu_rp
    from activity_quarters
    where merged_into_code is not null

),

final as (

    select
        joints.activity_code,
        joints.quarter
    from joints
    inner join originals
        on
            joints.activity_code = originals.merged_into_code
            and joints.quarter = originals.quarter
    where joints.counted_pagu_rp > 0 and originals.counted_pagu_rp > 0

)

select * from final
