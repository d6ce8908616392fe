{#- Every contract table as (source, table): the audit models read one base
    and one staging model per entry. A contract table added to a sources YAML
    must be added here too; the reconciliation test fails until it is. -#}
{% macro contract_tables() %}
    {{ return([
        ('helpdesk', 'teams'),
        ('helpdesk', 'agents'),
        ('helpdesk', 'agent_team_history'),
        ('helpdesk', 'customers'),
        ('helpdesk', 'tickets'),
        ('helpdesk', 'ticket_events'),
        ('telephony', 'calls'),
        ('surveys', 'survey_responses'),
        ('surveys', 'agent_surveys'),
        ('quality', 'qa_evaluations'),
        ('workforce', 'agent_intervals'),
        ('workforce', 'forecasts'),
        ('finance', 'costs'),
        ('knowledge_base', 'help_articles'),
        ('knowledge_base', 'article_views'),
        ('commerce', 'orders'),
        ('commerce', 'subscriptions'),
        ('commerce', 'product_activations'),
        ('reference', 'schedules'),
        ('reference', 'holidays'),
        ('reference', 'sla_policies'),
        ('reference', 'kpi_targets'),
        ('reference', 'corrective_actions'),
    ]) }}
{% endmacro %}
