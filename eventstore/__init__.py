"""The event store beneath the domain: which store to open, its recorders and guards.

Entry points (``apps/``) open the store through :mod:`eventstore.bootstrap`; backup, restore
and migration read the library's tables through :mod:`eventstore.stores`. Nothing here imports
an entry point, the read side or the dashboard.
"""
