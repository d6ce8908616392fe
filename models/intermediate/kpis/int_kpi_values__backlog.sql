{#- kpi_values rows of the backlog KPIs (backlog, backlog_age_0_1,
    backlog_age_1_3, backlog_age_3_7, backlog_age_7_plus): one row per kpi,
    grain, period and scope (overall, channel, team = the ticket's team,
    topic, priority). Formula and parameters: macros/metrics/metric_backlog.sql.

    Day-end rule. The end of local day d is the next local midnight on the
    ticket's schedule (23 or 25 hours after the previous one on DST days). A
    ticket is in the backlog at that instant when it is not merged, was
    created strictly before it, and its state then - the new_status of its
    latest status_changed event (event_at, event_id order) before it, or
    open when there is none - is not solved/closed. An event exactly at
    local midnight belongs to the new day (its local date), so it counts for
    the end of that new day, not of the day before; a status change dated
    before created_at takes effect at created_at. Hence, in local dates:
      - an open spell (created, or a change from solved/closed to any other
        status, until the next change into solved/closed) that starts on
        local date s and ends on local date x is in the backlog at the ends
        of days s <= d < x (x = infinity while still open): +1 on s, -1 on x;
        a spell that opens and closes on the same local date never counts;
      - age at the end of day d = (day end - created_at) / 86 400 s, in
        absolute seconds. The age reaches k days at the end of day D_k = the
        first local day whose end is >= created_at + k * 86 400 s: the local
        date of that instant, or the day before when it falls exactly on a
        local midnight. Bucket [a, b) holds the ticket on days
        D_a <= d < D_b; with the open spell: +1 on max(s, D_a), -1 on
        min(x, D_b), when the former is earlier.
    A running sum of those +1/-1 per kpi and scope over the local dates
    gives each day's count (linear in tickets and spells, not tickets x
    days), expanded over the calendar up to the as-of date (local date of
    int_load__as_of in the default schedule). Week and month rows are the
    count at the end of the period's last day that is <= the as-of date.
    Counts: value = numerator, denominator NULL; rows only where count > 0.

    Incremental by periods (macros/kpi/kpi_incremental_periods.sql): from the
    first recomputed day D0 on, a day's count is the model's own count at the
    end of D0 - 1 (no refreshed ticket has a change before D0, so it stands)
    plus the +1/-1 changes dated D0 or later. Only tickets with such a change
    are read: those created within the longest age boundary (plus two days
    for time zones and DST) before D0, and those with a status change from
    the day before D0 on; any other ticket's spells and age steps all lie
    before D0. -#}
{{ kpi_incremental_by('ticket') }}

{%- set metrics = [
    metric_backlog(),
    metric_backlog(0, 1),
    metric_backlog(1, 3),
    metric_backlog(3, 7),
    metric_backlog(7, none),
] -%}
{#- All backlog metrics share the ticket population, the status logic and the scopes. -#}
{%- set base = metrics[0] -%}
{%- set done_statuses = "'" ~ (base.done_statuses | join("', '")) ~ "'" -%}
{%- set age_boundaries = [] -%}
{%- for metric in metrics -%}
    {%- for boundary in [metric.min_age_days, metric.max_age_days] -%}
        {%- if boundary is not none and boundary > 0 and boundary not in age_boundaries -%}
            {%- do age_boundaries.append(boundary) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endfor -%}
{%- set grains = ['day', 'week', 'month'] %}
{%- set incremental = kpi_incremental_periods() %}
{%- if incremental %}
    {%- set observed_from = '(select observed_from from ' ~ kpi_recompute_from_relation() ~ ')' %}
    {%- set carried_local_date = 'cast(' ~ dbt.dateadd('day', -1, observed_from) ~ ' as date)' %}
{%- endif %}

with

tickets as (

    select * from {{ ref(base.fact) }}
    where {{ base.filter }}
    {%- if incremental %}
        and (
            {{ base.opened_at }} >= cast(
                {{ dbt.dateadd('day', -((age_boundaries | max) + 2), observed_from) }}
                as {{ dbt.type_timestamp() }}
            )
            or ticket_id in (
                select ticket_id from {{ ref(base.events) }}
                where
                    {{ base.status_filter }}
                    and event_at >= cast({{ carried_local_date }} as {{ dbt.type_timestamp() }})
            )
        )
    {%- endif %}

),

status_events as (

    select * from {{ ref(base.events) }}
    where {{ base.status_filter }}

),

calendar as (

    select * from {{ ref('int_calendar__dates') }}

),

as_of as (

    select * from {{ ref('int_load__as_of') }}

),

schedules as (

    select * from {{ ref('int_schedules__time_zones') }}

),

last_backlog_day as (

    select
        {{ local_date_of('as_of.as_of_at', 'schedules.time_zone') }} as last_local_date
    from as_of
    cross join schedules
    where schedules.schedule_id = '{{ var("default_schedule_id") }}'

),

status_changes as (

    select
        status_events.ticket_id,
        status_events.event_sequence,
        case
            when status_events.event_at < tickets.{{ base.opened_at }} then tickets.{{ base.opened_at }}
            else status_events.event_at
        end as changed_at,
        coalesce(
            status_events.new_status in ({{ done_statuses }}),
            false
        ) as is_done
    from status_events
    inner join tickets
        on status_events.ticket_id = tickets.ticket_id

),

status_changes_with_previous as (

    select
        status_changes.*,
        coalesce(
            lag(status_changes.is_done) over (
                partition by status_changes.ticket_id
                order by status_changes.event_sequence
            ),
            false
        ) as was_done
    from status_changes

),

{# Changes between open and done, starting with the creation (open). #}
state_transitions as (

    select
        ticket_id,
        0 as event_sequence,
        {{ base.opened_at }} as changed_at,
        false as is_done
    from tickets

    union all

    select
        ticket_id,
        event_sequence,
        changed_at,
        is_done
    from status_changes_with_previous
    where is_done != was_done

),

spell_bounds as (

    select
        ticket_id,
        is_done,
        changed_at as opened_at,
        lead(changed_at) over (partition by ticket_id order by event_sequence) as closed_at
    from state_transitions

),

open_spells as (

    select
        spell_bounds.ticket_id,
        {{ local_date_of('spell_bounds.opened_at', 'tickets.' ~ base.time_zone) }} as opened_local_date,
        {{ local_date_of('spell_bounds.closed_at', 'tickets.' ~ base.time_zone) }} as closed_local_date
    from spell_bounds
    inner join tickets
        on spell_bounds.ticket_id = tickets.ticket_id
    where not spell_bounds.is_done

),

age_instants as (

    select
        ticket_id,
    {%- for boundary in age_boundaries %}
        {%- set age_instant = dbt.dateadd('day', boundary, base.opened_at) %}
        {{ utc_to_local(age_instant, base.time_zone) }}
            as age_{{ boundary }}_local_at{{ ',' if not loop.last }}
    
    {%- endfor %}
    from tickets

),

{# D_k: the first local day whose end (next local midnight) is at or after created_at + k days. #}
age_days as (

    select
        ticket_id,
    {%- for boundary in age_boundaries %}
        case
            when
                age_{{ boundary }}_local_at
                = cast(cast(age_{{ boundary }}_local_at as date) as {{ dbt.type_timestamp() }})
                then cast({{ dbt.dateadd('day', -1, 'cast(age_' ~ boundary ~ '_local_at as date)') }} as date)
            else cast(age_{{ boundary }}_local_at as date)
        end as age_{{ boundary }}_local_date{{ ',' if not loop.last }}
    
    {%- endfor %}
    from age_instants

),

spell_ages as (

    select
        open_spells.ticket_id,
        open_spells.opened_local_date,
        open_spells.closed_local_date,
    {%- for boundary in age_boundaries %}
        age_days.age_{{ boundary }}_local_date{{ ',' if not loop.last }}
    
    {%- endfor %}
    from open_spells
    inner join age_days
        on open_spells.ticket_id = age_days.ticket_id
    where
        open_spells.closed_local_date is null
        or open_spells.opened_local_date < open_spells.closed_local_date

),

{# Per kpi: the local days [counted_from, counted_until) of each spell. #}
counted_ranges as (

    {%- for metric in metrics %}
        {%- if metric.min_age_days > 0 %}
            {%- set lower = 'age_' ~ metric.min_age_days ~ '_local_date' %}
        {%- set counted_from = 'case when opened_local_date < ' ~ lower
            ~ ' then ' ~ lower ~ ' else opened_local_date end' %}
        {%- else %}
            {%- set counted_from = 'opened_local_date' %}
        {%- endif %}
        {%- if metric.max_age_days is not none %}
            {%- set upper = 'age_' ~ metric.max_age_days ~ '_local_date' %}
        {%- set counted_until = 'case when closed_local_date is null or ' ~ upper
            ~ ' < closed_local_date then ' ~ upper ~ ' else closed_local_date end' %}
        {%- else %}
            {%- set counted_until = 'closed_local_date' %}
        {%- endif %}

        select
            '{{ metric.kpi_id }}' as kpi_id,
            ticket_id,
            {{ counted_from }} as counted_from_local_date,
            {{ counted_until }} as counted_until_local_date
        from spell_ages
                {{ 'union all' if not loop.last }}
    {%- endfor %}

),

ticket_changes as (

    select
        kpi_id,
        ticket_id,
        counted_from_local_date as change_local_date,
        1 as ticket_change
    from counted_ranges
    where
        counted_until_local_date is null
        or counted_from_local_date < counted_until_local_date

    union all

    select
        kpi_id,
        ticket_id,
        counted_until_local_date as change_local_date,
        -1 as ticket_change
    from counted_ranges
    where counted_from_local_date < counted_until_local_date

),

scoped_changes as (

    select
        ticket_changes.kpi_id,
        'overall' as scope_type,
        '*' as scope_value,
        ticket_changes.change_local_date,
        ticket_changes.ticket_change
    from ticket_changes
    {%- for scope_type, column in base.scopes.items() %}

        union all

        select
            ticket_changes.kpi_id,
            '{{ scope_type }}' as scope_type,
            cast(tickets.{{ column }} as {{ dbt.type_string() }}) as scope_value,
            ticket_changes.change_local_date,
            ticket_changes.ticket_change
        from ticket_changes
        inner join tickets
            on ticket_changes.ticket_id = tickets.ticket_id
        where tickets.{{ column }} is not null
    {%- endfor %}

),

net_changes as (

    select
        kpi_id,
        scope_type,
        scope_value,
        change_local_date,
        sum(ticket_change) as net_ticket_change
    from scoped_changes
    {%- if incremental %}
    where change_local_date >= {{ observed_from }}
    {%- endif %}
    group by kpi_id, scope_type, scope_value, change_local_date
    {%- if incremental %}

    union all

    {# the count at the end of D0 - 1, as a change on that day #}
    select
        kpi_id,
        scope_type,
        scope_value,
        period_start as change_local_date,
        numerator as net_ticket_change
    from {{ this }}
    where
        grain = 'day'
        and period_start = {{ carried_local_date }}
    {%- endif %}

),

running_counts as (

    select
        kpi_id,
        scope_type,
        scope_value,
        change_local_date,
        sum(net_ticket_change) over (
            partition by kpi_id, scope_type, scope_value
            order by change_local_date
            rows between unbounded preceding and current row
        ) as ticket_count,
        lead(change_local_date) over (
            partition by kpi_id, scope_type, scope_value
            order by change_local_date
        ) as next_change_local_date
    from net_changes

),

daily_counts as (

    select
        running_counts.kpi_id,
        running_counts.scope_type,
        running_counts.scope_value,
        calendar.date_day as backlog_local_date,
        running_counts.ticket_count
    from running_counts
    cross join last_backlog_day
    inner join calendar
        on
            running_counts.change_local_date <= calendar.date_day
            and (
                running_counts.next_change_local_date is null
                or running_counts.next_change_local_date > calendar.date_day
            )
            and last_backlog_day.last_local_date >= calendar.date_day
    where running_counts.ticket_count > 0

),

period_counts as (

    {%- for grain in grains %}
        {%- set period_start = kpi_period_start('daily_counts.backlog_local_date', grain) %}
        {%- if grain == 'day' %}
            {%- set period_end = 'daily_counts.backlog_local_date' %}
        {%- elif grain == 'week' %}
            {%- set period_end = 'cast(' ~ dbt.dateadd('day', 6, period_start) ~ ' as date)' %}
        {%- else %}
            {%- set period_end = 'cast(' ~ dbt.dateadd('day', -1, dbt.dateadd('month', 1, period_start)) ~ ' as date)' %}
        {%- endif %}

        select
            daily_counts.kpi_id,
            '{{ grain }}' as grain,
            {{ period_start }} as period_start,
            daily_counts.scope_type,
            daily_counts.scope_value,
            daily_counts.ticket_count
        from daily_counts
        cross join last_backlog_day
        where
            daily_counts.backlog_local_date = case
                when {{ period_end }} < last_backlog_day.last_local_date then {{ period_end }}
                else last_backlog_day.last_local_date
            end
                {{ 'union all' if not loop.last }}
    {%- endfor %}

),

final as (

    select
        cast(kpi_id as {{ dbt.type_string() }}) as kpi_id,
        cast(grain as {{ dbt.type_string() }}) as grain,
        cast(period_start as date) as period_start,
        cast(scope_type as {{ dbt.type_string() }}) as scope_type,
        cast(scope_value as {{ dbt.type_string() }}) as scope_value,
        cast(ticket_count as {{ type_double() }}) as numerator,
        cast(null as {{ type_double() }}) as denominator,
        cast(ticket_count as {{ type_double() }}) as value,
        cast(null as {{ type_double() }}) as p50,
        cast(null as {{ type_double() }}) as p90,
        {{ kpi_refreshed_at('ticket') }} as _refreshed_at
    from period_counts
    {%- if incremental %}
    where {{ kpi_recomputed_period() }}
    {%- endif %}

)

select * from final
