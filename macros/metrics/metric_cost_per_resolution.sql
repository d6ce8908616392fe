{#- Cost per resolution: sum of costs / resolved non-merged tickets (final resolution in the month; team = the solver's team at the resolving reply, else the ticket's team) in the month. Month grain only; scopes overall and team: a team row uses the team's cost rows and the team's units, overall uses every cost row including centre-wide ones (team_id NULL).
    The only definition of this KPI: kpi_values, the scorecards and the
    semantic layer read it through kpi_rollup (macros/kpi/kpi_rollup.sql). -#}
{% macro metric_cost_per_resolution() %}
    {{ return({
        'kpi_id': 'cost_per_resolution',
        'fact': 'int_cost_units',
        'anchor_date': 'cost_unit_local_date',
        'grains': ['month'],
        'scopes': {'team': 'team_id'},
        'numerator': 'cost_amount',
        'denominator': 'resolved_ticket_count',
    }) }}
{% endmacro %}
