{#- The envelope every event table carries, renamed for the staging views: the store position
    is the event's key, the aggregate id is named after the entity it belongs to. -#}
{% macro event_envelope(entity) -%}
    position as event_position,
    aggregate_id as {{ entity }}_id,
    aggregate_version as {{ entity }}_version,
    recorded_at,
    actor_user as actor_user_id,
    actor_role,
    actor_opd as actor_opd_code
{%- endmacro %}
