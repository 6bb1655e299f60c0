"""How the domain's own value types are written into stored events (JSON)."""

from __future__ import annotations

from datetime import date
from typing import Any

from eventsourcing.persistence import Transcoding

from domain.actors import Actor


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class ActorAsDict(Transcoding):
    type = Actor
    name = "actor"

    def encode(self, obj: Actor) -> dict[str, Any]:
        return {"user_id": obj.user_id, "role": obj.role, "opd_code": obj.opd_code}

    def decode(self, data: dict[str, Any]) -> Actor:
        return Actor(data["user_id"], data["role"], data.get("opd_code"))
