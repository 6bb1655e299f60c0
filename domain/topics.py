"""monev's event topics resolve even before the class that owns them is imported.

Every aggregate and event class names its stored topic (``monev:ActivityRegistered``), and the
library registers a class's topic when the class is created. Creating them is not free: the
library's aggregate metaclass turns each event class into a dataclass, so importing every
aggregate cost each command about 40 ms. Commands therefore import only the aggregates they
touch (``domain.application``), and this module stands in for the ``monev`` part of the topics:
it is registered, through the library's public ``register_topic``, as the object the topic
prefix ``monev`` names, so ``resolve_topic("monev:X")`` asks it for ``X``. It imports every
aggregate (``domain.events``) and hands back the class whose topic that is. A process that
reads an event of a class it has not imported yet (a listing, a projection, a backup) thus
still reads it, and the library caches the answer.
"""

from __future__ import annotations

import sys

from eventsourcing.utils import get_topic, register_topic

PREFIX = "monev"


def __getattr__(name: str) -> type:
    if name.startswith("__"):  # dunder look-ups (copy, pickle, inspect) are not topics
        raise AttributeError(name)
    from domain.events import AGGREGATES  # creates, and so registers, every class

    topic = f"{PREFIX}:{name}"
    # The library takes a class's TOPIC when it creates the class; get_topic tells it back.
    for aggregate in AGGREGATES:
        if get_topic(aggregate) == topic:
            return aggregate
        for value in vars(aggregate).values():
            if isinstance(value, type) and get_topic(value) == topic:
                return value
    raise AttributeError(f"no monev class has the topic {topic!r}")


register_topic(PREFIX, sys.modules[__name__])
