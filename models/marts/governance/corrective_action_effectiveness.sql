{#- One row per corrective action (action_id): its KPI and scope, the KPI
    over the 4 ISO weeks before the implementation week and over the 4 weeks
    starting with it, the change, whether that is an improvement in the KPI's
    better direction, and the status of the latest week row of the KPI and
    scope ("is it on target now").

    Window value, from the week rows of marts.kpi_values:
    - KPIs with a denominator: sum(denominator x value) / sum(denominator),
      which equals sum(numerator) / sum(denominator) in the KPI's unit for
      every value of the form a + b x numerator / denominator (all ratios,
      percentages, means, NPS, 100 - WAPE) without restating the formula;
    - counts (no denominator): the mean of the weekly values.
    effectiveness: improved / worsened / unchanged by the KPI's direction
    (band: distance to each window's mean target); not_measurable when the
    action is not implemented (no implemented_on, or status open,
    in_progress or cancelled), when either window has no week row, for
    direction none, or for a band KPI without a target. -#}

{{ config(contract={'enforced': true}) }}

{%- set window_weeks = 4 %}

with

corrective_actions as (

    select * from {{ ref('stg_reference__corrective_actions') }}

),

kpi_values as (

    select * from {{ ref('kpi_values') }}

),

kpi_definitions as (

    select * from {{ ref('kpi_definitions') }}

),

week_values as (

    select * from kpi_values
    where
        grain = 'week'
        and value is not null

),

actions as (

    select
        corrective_actions.action_id,
        corrective_actions.kpi_id,
        corrective_actions.scope_type,
        corrective_actions.scope_value,
        corrective_actions.status as action_status,
        corrective_actions.implemented_on,
        kpi_definitions.direction,
        corrective_actions.implemented_on is not null
        and coalesce(corrective_actions.status not in ('open', 'in_progress', 'cancelled'), true) as is_implemented
    from corrective_actions
    left join kpi_definitions
        on corrective_actions.kpi_id = kpi_definitions.kpi_id

),

implemented_actions as (

    select
        action_id,
        kpi_id,
        scope_type,
        scope_value,
        cast({{ dbt.date_trunc('week', 'implemented_on') }} as date) as implementation_week_start
    from actions
    where is_implemented

),

action_windows as (

    select
        action_id,
        kpi_id,
        scope_type,
        scope_value,
        implementation_week_start,
        cast({{ dbt.dateadd('week', -window_weeks, 'implementation_week_start') }} as date) as before_window_start,
        cast({{ dbt.dateadd('week', window_weeks, 'implementation_week_start') }} as date) as after_window_end
    from implemented_actions

),

window_week_rows as (

    select
        action_windows.action_id,
        case
            when week_values.period_start < action_windows.implementation_week_start then 'before'
            else 'after'
        end as window_side,
        week_values.denominator,
        week_values.value,
        week_values.target
    from action_windows
    inner join week_values
        on
        action_windows.kpi_id = week_values.kpi_id
        and action_windows.scope_type = week_values.scope_type
        and action_windows.scope_value = week_values.scope_value
        and action_windows.before_window_start <= week_values.period_start
        and action_windows.after_window_end > week_values.period_start

),

window_values as (

    select
        action_id,
        window_side,
        count(*) as week_count,
        case
            when count(denominator) > 0
                then sum(denominator * value) / nullif(sum(denominator), 0)
            else avg(value)
        end as window_value,
        avg(target) as window_target
    from window_week_rows
    group by action_id, window_side

),

latest_weeks as (

    select
        kpi_id,
        scope_type,
        scope_value,
        period_start as latest_week_start,
        value as latest_week_value,
        target as latest_week_target,
        status as latest_week_status,
        row_number() over (
            partition by kpi_id, scope_type, scope_value
            order by period_start desc
        ) as recency_rank
    from week_values

),

comparisons as (

    select
        actions.action_id,
        actions.kpi_id,
        actions.scope_type,
        actions.scope_value,
        actions.action_status,
        actions.implemented_on,
        actions.direction,
        actions.is_implemented,
        implemented_actions.implementation_week_start,
        coalesce(before_window.week_count, 0) as weeks_before,
        before_window.window_value as value_before,
        before_window.window_target as target_before,
        coalesce(after_window.week_count, 0) as weeks_after,
        after_window.window_value as value_after,
        after_window.window_target as target_after,
        after_window.window_value - before_window.window_value as value_change
    from actions
    left join implemented_actions
        on actions.action_id = implemented_actions.action_id
    left join window_values as before_window
        on
        actions.action_id = before_window.action_id
        and before_window.window_side = 'before'
    left join window_values as after_window
        on
        actions.action_id = after_window.action_id
        and after_window.window_side = 'after'

),

assessed as (

    select
        comparisons.*,
        case
            when
                not comparisons.is_implemented
                or comparisons.value_before is null
                or comparisons.value_after is null
                then 'not_measurable'
            when comparisons.direction = 'higher'
                then
                    case
                        when comparisons.value_change > 0 then 'improved'
                        when comparisons.value_change < 0 then 'worsened'
                        else 'unchanged'
                    end
            when comparisons.direction = 'lower'
                then
                    case
                        when comparisons.value_change < 0 then 'improved'
                        when comparisons.value_change > 0 then 'worsened'
                        else 'unchanged'
                    end
            when
                comparisons.direction = 'band'
                and comparisons.target_before is not null
                and comparisons.target_after is not null
                then
                    case
                        when
                            abs(comparisons.value_after - comparisons.target_after)
                            < abs(comparisons.value_before - comparisons.target_before) then 'improved'
                        when
                            abs(comparisons.value_after - comparisons.target_after)
                            > abs(comparisons.value_before - comparisons.target_before) then 'worsened'
                        else 'unchanged'
                    end
            else 'not_measurable'
        end as effectiveness
    from comparisons

),

final as (

    select
        cast(assessed.action_id as {{ dbt.type_string() }}) as action_id,
        cast(assessed.kpi_id as {{ dbt.type_string() }}) as kpi_id,
        cast(assessed.scope_type as {{ dbt.type_string() }}) as scope_type,
        cast(assessed.scope_value as {{ dbt.type_string() }}) as scope_value,
        cast(assessed.action_status as {{ dbt.type_string() }}) as action_status,
        cast(assessed.implemented_on as date) as implemented_on,
        cast(assessed.implementation_week_start as date) as implementation_week_start,
        cast(assessed.direction as {{ dbt.type_string() }}) as kpi_direction,
        cast(assessed.weeks_before as {{ dbt.type_int() }}) as weeks_before,
        cast(assessed.value_before as {{ type_double() }}) as value_before,
        cast(assessed.weeks_after as {{ dbt.type_int() }}) as weeks_after,
        cast(assessed.value_after as {{ type_double() }}) as value_after,
        cast(assessed.value_change as {{ type_double() }}) as value_change,
        cast(assessed.effectiveness as {{ dbt.type_string() }}) as effectiveness,
        cast(latest_weeks.latest_week_start as date) as latest_week_start,
        cast(latest_weeks.latest_week_value as {{ type_double() }}) as latest_week_value,
        cast(latest_weeks.latest_week_target as {{ type_double() }}) as latest_week_target,
        cast(latest_weeks.latest_week_status as {{ dbt.type_string() }}) as latest_week_status,
        cast(
            case
                when latest_weeks.latest_week_status in ('on_target', 'warning', 'off_target')
                    then latest_weeks.latest_week_status = 'on_target'
            end
            as {{ dbt.type_boolean() }}
        ) as is_on_target_now
    from assessed
    left join latest_weeks
        on
        assessed.kpi_id = latest_weeks.kpi_id
        and assessed.scope_type = latest_weeks.scope_type
        and assessed.scope_value = latest_weeks.scope_value
        and latest_weeks.recency_rank = 1

)

select * from final
