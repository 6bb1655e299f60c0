-- The Theil index is the sum of its between-group (east vs rest) and within-group parts
-- (up to the rounding of each to 6 decimals).
with

disparity as (

    select * from {{ ref('disparity_quarter') }}

),

final as (

    select
        quarter,
        theil_index,
        theil_between,
        theil_within
    from disparity
    where abs(theil_index - (theil_between + theil_within)) > 2e-6

)

select * from final
