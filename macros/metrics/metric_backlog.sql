{#- Backlog: non-merged tickets created by the end of the local day (ticket
    schedule) and not in solved/closed state at that moment; with an age
    bucket [min_age_days, max_age_days) (age = day end - created_at, in days;
    max_age_days none = unbounded) the backlog_age_<min>_<max|plus> count.
    A count (value = numerator, denominator NULL) read at the end of each
    local day; a week or month is the count at the end of its last day that
    is <= the as-of date (a period-level KPI: not summed from days).
    The only definition of this KPI: int_kpi_values__backlog builds the rows
    from this dict (a ticket's open spells between status changes, shifted
    by the age boundaries; see that model), and kpi_values, backlog_daily and
    the scorecards read them. -#}
{% macro metric_backlog(min_age_days=none, max_age_days=none) %}
    {%- if min_age_days is none and max_age_days is none -%}
        {%- set kpi_id = 'backlog' -%}
    {%- else -%}
        {%- set kpi_id = 'backlog_age_' ~ (min_age_days or 0) ~ '_' ~ (max_age_days if max_age_days is not none else 'plus') -%}
    {%- endif -%}
    {{ return({
        'kpi_id': kpi_id,
        'fact': 'fct_tickets',
        'filter': 'not is_merged',
        'events': 'fct_ticket_events',
        'status_filter': "event_type = 'status_changed'",
        'done_statuses': ['solved', 'closed'],
        'opened_at': 'created_at',
        'time_zone': 'time_zone',
        'scopes': {'channel': 'channel', 'team': 'team_id', 'topic': 'topic', 'priority': 'priority'},
        'min_age_days': min_age_days or 0,
        'max_age_days': max_age_days,
        'numerator': '1',
        'denominator': none,
        'value': 'numerator',
    }) }}
{% endmacro %}
