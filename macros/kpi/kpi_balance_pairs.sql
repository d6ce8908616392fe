{#- The KPI pairs that pull against each other (docs/spec/kpis.md, "KPI
    balance", seed 002), declared once for marts.kpi_balance and
    marts.kpi_balance_correlations.

    kpi_balance_pairs() returns a list of dicts
      pair_id      kpi_a__kpi_b
      kpi_id_a     the KPI usually pushed for (speed, efficiency, volume)
      kpi_id_b     the KPI that tends to pay for it
      tension      one line: why they pull against each other
    kpi_balance_pairs_relation() renders them as a relation (a union of
    one-row selects) with those four columns. -#}
{% macro kpi_balance_pairs() %}
    {{ return([
        {'pair_id': 'asa__csat', 'kpi_id_a': 'asa', 'kpi_id_b': 'csat',
         'tension': 'Answering faster with fewer agents on the phone can cost satisfaction.'},
        {'pair_id': 'aht__fcr_rate', 'kpi_id_a': 'aht', 'kpi_id_b': 'fcr_rate',
         'tension': 'Shorter handling can leave issues unresolved on first contact.'},
        {'pair_id': 'aht__repeat_contact_rate', 'kpi_id_a': 'aht', 'kpi_id_b': 'repeat_contact_rate',
         'tension': 'Shorter handling can make customers contact again.'},
        {'pair_id': 'resolution_time__reopen_rate', 'kpi_id_a': 'resolution_time', 'kpi_id_b': 'reopen_rate',
         'tension': 'Solving faster can mean solving prematurely and reopening.'},
        {'pair_id': 'self_service_ratio__contact_volume', 'kpi_id_a': 'self_service_ratio', 'kpi_id_b': 'contact_volume',
         'tension': 'More self-service views per ticket should lower assisted volume.'},
        {'pair_id': 'occupancy__agent_satisfaction', 'kpi_id_a': 'occupancy', 'kpi_id_b': 'agent_satisfaction',
         'tension': 'High occupancy raises productivity but wears agents out.'},
    ]) }}
{% endmacro %}


{% macro kpi_balance_pairs_relation() %}
    {%- for pair in kpi_balance_pairs() %}
    select
        cast('{{ pair.pair_id }}' as {{ dbt.type_string() }}) as pair_id,
        cast('{{ pair.kpi_id_a }}' as {{ dbt.type_string() }}) as kpi_id_a,
        cast('{{ pair.kpi_id_b }}' as {{ dbt.type_string() }}) as kpi_id_b,
        cast('{{ pair.tension | replace("'", "''") }}' as {{ dbt.type_string() }}) as tension
    {{ 'union all' if not loop.last }}
    {%- endfor %}
{% endmacro %}
