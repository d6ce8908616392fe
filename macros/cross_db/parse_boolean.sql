{#- Contract booleans: true/false, 1/0, yes/no (case-insensitive); anything
    else is NULL (and, when the text was present, a quarantine reason). -#}
{% macro parse_boolean(expression) %}
    case
        when lower({{ expression }}) in ('true', '1', 'yes', 't', 'y') then true
        when lower({{ expression }}) in ('false', '0', 'no', 'f', 'n') then false
    end
{% endmacro %}
