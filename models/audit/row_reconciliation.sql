{#- Per contract table and load: rows the loader read from landing files
    versus rows staged plus rows quarantined. The promise of
    docs/spec/raw_contract.md ("rows in = rows staged + rows quarantined") is
    tested on this model. -#}

with

files as (

    select
        source_table,
        sum(rows_read) as rows_in
    from {{ source('loader', 'load_files') }}
    group by source_table

),

quarantined as (

    select
        source_table,
        count(*) as rows_quarantined,
        sum(case when quarantine_kind = 'superseded' then 1 else 0 end) as rows_superseded
    from {{ ref('quarantined_rows') }}
    group by source_table

),

staged as (

    {% for source_name, table_name in contract_tables() -%}
        select
            '{{ table_name }}' as source_table,
            count(*) as rows_staged
        from {{ ref('stg_' ~ source_name ~ '__' ~ table_name) }}
        {{ 'union all' if not loop.last }}  -- noqa: LT02
    {% endfor %}

),

final as (

    select
        files.source_table,
        files.rows_in,
        coalesce(staged.rows_staged, 0) as rows_staged,
        coalesce(quarantined.rows_quarantined, 0) as rows_quarantined,
        coalesce(quarantined.rows_superseded, 0) as rows_superseded,
        files.rows_in - coalesce(staged.rows_staged, 0) - coalesce(quarantined.rows_quarantined, 0) as rows_unaccounted
    from files
    left join staged
        on files.source_table = staged.source_table
    left join quarantined
        on files.source_table = quarantined.source_table

)

select * from final
