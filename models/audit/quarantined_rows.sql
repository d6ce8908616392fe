{#- Every raw row that did not reach staging, with the reason: unusable rows
    (reason from the contract) and older versions of a primary key. Together
    with staging this accounts for every row the loader read. -#}
{%- set base_models = [] -%}
{%- for source_name, table_name in contract_tables() -%}
    {%- do base_models.append('base_' ~ source_name ~ '__' ~ table_name) -%}
{%- endfor %}

with

{% for name in base_models -%}
    {{ name }} as (

        select
            '{{ name.split('__')[1] }}' as source_table,
            _raw_row as raw_row,
            case
                when _quarantine_reason is not null then 'unusable'
                else 'superseded'
            end as quarantine_kind,
            coalesce(_quarantine_reason, 'older version of the same primary key (a later row or updated_at wins)')
                as reason,
            _source_file as source_file,
            _line_number as line_number,
            _load_id as load_id
        from {{ ref(name) }}
        where
            _quarantine_reason is not null
            or _is_superseded

    ),

{% endfor -%}

rejected_lines as (

    select
        source_table,
        raw_row,
        'unusable' as quarantine_kind,
        reason,
        source_file,
        line_number,
        load_id
    from {{ source('loader', 'rejected_lines') }}

),

unioned as (

    {% for name in base_models -%}
        select * from {{ name }}
        union all
    {% endfor -%}
    select * from rejected_lines

),

load_runs as (

    select
        load_id,
        loaded_at
    from {{ source('loader', 'load_runs') }}

),

final as (

    select
        unioned.source_table,
        unioned.raw_row,
        unioned.quarantine_kind,
        unioned.reason,
        unioned.source_file,
        unioned.line_number,
        unioned.load_id,
        load_runs.loaded_at
    from unioned
    left join load_runs
        on unioned.load_id = load_runs.load_id

)

select * from final
