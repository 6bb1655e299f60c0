"""Agencies (OPD) of the economic sector."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.actors import Actor
from domain.rules import aggregate_id


class Opd(Aggregate):
    """An agency (Organisasi Perangkat Daerah) that runs programs and reports on them."""

    TOPIC = "monev:Opd"

    class Created(Aggregate.Created):
        TOPIC = "monev:OpdCreated"  # required by the library's explicit topics; never triggered

    class Registered(Aggregate.Created):
        """A new agency; its code is the natural key every other record refers to."""

        TOPIC = "monev:OpdRegistered"
        code: str
        name: str
        short_name: str
        actor: Actor

    @staticmethod
    def create_id(code: str) -> UUID:
        return aggregate_id("opd", code)

    @event(Registered)
    def __init__(self, code: str, name: str, short_name: str, actor: Actor) -> None:
        self.code = code
        self.name = name
        self.short_name = short_name
