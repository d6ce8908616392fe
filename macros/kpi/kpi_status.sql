{#- Direction-aware status of a KPI value against its target:
    on_target, warning (within warning_band on the wrong side), off_target,
    or no_target. A `band` KPI is on target within warning_band of the target
    either side and a warning within twice that. -#}
{% macro kpi_status(value, target, warning_band, direction) %}
    case
        when {{ target }} is null or {{ value }} is null or {{ direction }} is null or {{ direction }} = 'none'
            then 'no_target'
        when {{ direction }} = 'higher' then
            case
                when {{ value }} >= {{ target }} then 'on_target'
                when {{ value }} >= {{ target }} - coalesce({{ warning_band }}, 0) then 'warning'
                else 'off_target'
            end
        when {{ direction }} = 'lower' then
            case
                when {{ value }} <= {{ target }} then 'on_target'
                when {{ value }} <= {{ target }} + coalesce({{ warning_band }}, 0) then 'warning'
                else 'off_target'
            end
        else
            case
                when abs({{ value }} - {{ target }}) <= coalesce({{ warning_band }}, 0) then 'on_target'
                when abs({{ value }} - {{ target }}) <= 2 * coalesce({{ warning_band }}, 0) then 'warning'
                else 'off_target'
            end
    end
{% endmacro %}
