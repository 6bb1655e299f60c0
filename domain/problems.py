"""Problems: the problems found in the field that activities address.

Each aggregate has a module of its own so that a command imports only the aggregates it
touches: the library's aggregate metaclass turns every event class into a dataclass when its
module is imported, which every command would otherwise pay for (``domain.topics``).
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.actors import Actor
from domain.rules import aggregate_id

PROBLEM_CATEGORIES = (
    "izin_usaha",
    "sarana_prasarana",
    "permodalan",
    "pemasaran",
    "sdm",
    "inflasi_pangan",
    "lainnya",
)


class Problem(Aggregate):
    """A problem found in the field (e.g. business permits in Lekok) that activities address."""

    TOPIC = "monev:Problem"

    class Created(Aggregate.Created):
        TOPIC = "monev:ProblemCreated"

    class Identified(Aggregate.Created):
        TOPIC = "monev:ProblemIdentified"
        code: str
        title: str
        category: str
        kecamatan_code: str | None
        actor: Actor

    @staticmethod
    def create_id(code: str) -> UUID:
        return aggregate_id("problem", code)

    @event(Identified)
    def __init__(
        self, code: str, title: str, category: str, kecamatan_code: str | None, actor: Actor
    ) -> None:
        self.code = code
        self.title = title
        self.category = category
        self.kecamatan_code = kecamatan_code
