{#- Contract booleans: true/false, 1/0, yes/no (case-insensitive); anything
    else is NULL (and, when the text was present, a quarantine reason). -#}
{% macro parse_boolean(expression) %}
    {#- a simple CASE (one lower() per value; DuckDB plans an IN list inside a
        projection as a join) -#}
    case lower({{ expression }})
        {%- for text in ['true', '1', 'yes', 't', 'y'] %}
        when '{{ text }}' then true
        {%- endfor %}
        {%- for text in ['false', '0', 'no', 'f', 'n'] %}
        when '{{ text }}' then false
        {%- endfor %}
    end
{% endmacro %}
