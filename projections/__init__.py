"""The read side: event store -> typed DuckDB event tables -> dbt -> published warehouse.

Modules, in the order a refresh uses them:

- ``schema``: one table per event class, derived from its fields (no hand-written DDL).
- ``source``: reads the notification log in pages, decodes through the domain's mapper.
- ``batch``: turns a page of decoded events into Arrow tables.
- ``database``: the projection's own DuckDB file; rows and tracking in one transaction.
- ``projector``: catch-up from the tracked position to the store's head.
- ``publish``: copy, stamp (``main.warehouse_meta``) and atomic rename of the warehouse.
- ``dbt_build``: ``dbt build`` in a warm worker process.
- ``lock``, ``wakeup``, ``progress``, ``children``: one refresh at a time, waiting for new
  events, the progress bar, helper processes that end with their parent.
- ``refresh``: the pipeline that puts them together, top to bottom (``monev refresh``,
  ``--watch``, ``monev rebuild``; ``apps.refresh`` and ``apps.cli.warehouse`` are its entry
  points).
"""
