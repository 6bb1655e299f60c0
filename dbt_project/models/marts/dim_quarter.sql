{#- The quarter dimension: the spine every quarterly mart is built on, with its labels in
    Indonesian (and English) and whether it was closed and when its rakor was held. -#}
with

quarters as (

    select * from {{ ref('int_quarters_spanned') }}

),

final as (

    select
        {{ quarter_columns('quarters') }},
        'Triwulan ' || ['I', 'II', 'III', 'IV'][quarters.triwulan] as triwulan_label,
        quarters.quarter_label_en,
        quarters.quarter_index,
        quarters.is_closed,
        quarters.rakor_held_on,
        quarters.is_latest_quarter
    from quarters

)

select * from final
