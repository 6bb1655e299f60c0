"""How the domain's own value types are written into stored events (JSON)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import orjson
from eventsourcing.persistence import (
    JSONTranscoder,
    Transcoder,
    Transcoding,
    TranscodingNotRegisteredError,
)

from domain.actors import Actor

# A number orjson might not read exactly (see OrjsonTranscoder); digits in strings match too,
# which only costs those events the slower decoder.
_LONG_NUMBER = re.compile(rb"\d{19}")
# Python spells a float below 1e-4 or from 1e16 with an exponent (1e-07), orjson without its
# padding (1e-7); in between both write the same shortest digits. NaN and the infinities fail
# the comparison too (the stdlib writes NaN, orjson null).
_SAME_SPELLING = 1e-4
_EXPONENT_FROM = 1e16
# Bounds OrjsonTranscoder's memory of encoded actors (a process sees a few dozen users).
_ACTORS_REMEMBERED = 1024
# The keys of an encoded value in the library's stored JSON format.
_TYPE = "_type_"
_DATA = "_data_"


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


class OrjsonTranscoder(Transcoder):
    """The library's JSON format, written and read with orjson: the same bytes, about 3x sooner.

    It implements the library's public ``Transcoder`` interface and keeps a library
    ``JSONTranscoder`` (with the same transcodings registered) for whatever it does not handle
    itself, so every stored event still encodes to the same bytes and decodes to the same
    objects as with the library's transcoder alone (tested).

    Decoding is what reading events costs: the projection decodes every stored event, and
    commands read aggregates back. Here orjson parses and one walk applies the registered
    transcodings to the ``{"_type_", "_data_"}`` objects of the stored format, innermost first,
    as the library's decoder does (the top-level object included). What orjson refuses but the
    stdlib writes and reads (NaN, Infinity) goes to the library's transcoder, and so does
    anything with a run of 19 or more digits, because orjson reads an integer beyond 64 bits
    as a float instead of refusing it (integers of up to 18 digits are always exact).

    Encoding goes through orjson when the event's state is plain: a dict whose values are
    strings, integers, booleans, None, finite floats, lists and tuples of those, or values of
    a registered transcoding (dates, datetimes, ``Actor``) whose own output is plain. Anything
    else goes to the library's transcoder: a value of a subclass or an unregistered type, NaN
    and the infinities (orjson writes ``null``), floats the two spell differently (with an
    exponent), an integer beyond 64 bits or a lone surrogate (orjson refuses them). So the
    stored bytes stay exactly the library's: compact separators, unicode unescaped, keys in
    order.
    """

    def __init__(self) -> None:
        self.library = JSONTranscoder()
        self.types: dict[type, Transcoding] = {}
        self.names: dict[str, Transcoding] = {}
        self._actors: dict[Actor, dict[str, Any]] = {}

    def register(self, transcoding: Transcoding) -> None:
        """Registers ``transcoding`` here and with the library's transcoder."""
        self.library.register(transcoding)
        self.types[transcoding.type] = transcoding
        self.names[transcoding.name] = transcoding
        self._actors.clear()

    def encode(self, obj: Any) -> bytes:
        if obj.__class__ is dict:
            plain: dict[str, Any] = {}
            types = self.types
            for key, value in obj.items():
                cls = value.__class__
                if cls is str or cls is int or value is None or cls is bool:
                    plain[key] = value
                elif cls is float:
                    if not (value == 0 or _SAME_SPELLING <= abs(value) < _EXPONENT_FROM):
                        return self.library.encode(obj)
                    plain[key] = value
                elif cls is list or cls is tuple or cls is dict:
                    # The stdlib writes these itself, whatever transcodings are registered.
                    if not _plain(value):
                        return self.library.encode(obj)
                    plain[key] = value
                elif cls is Actor and cls in types:
                    # Every event names its actor, and the same few actors act again and
                    # again: their plain encoding is made once. ``Actor`` is frozen, so an
                    # equal actor always encodes the same.
                    encoded = self._actors.get(value)
                    if encoded is None:
                        encoded = self._encode_value(value)
                        if encoded is None:
                            return self.library.encode(obj)
                        if len(self._actors) >= _ACTORS_REMEMBERED:
                            self._actors.clear()
                        self._actors[value] = encoded
                    plain[key] = encoded
                elif cls in types:
                    encoded = self._encode_value(value)
                    if encoded is None:
                        return self.library.encode(obj)
                    plain[key] = encoded
                else:
                    return self.library.encode(obj)
            try:
                return orjson.dumps(plain)
            except orjson.JSONEncodeError:  # an integer beyond 64 bits, a lone surrogate
                pass
        return self.library.encode(obj)

    def _encode_value(self, value: Any) -> dict[str, Any] | None:
        """A registered type's value in the stored format, or None when orjson would not
        write its encoding exactly as the stdlib does."""
        transcoding = self.types[value.__class__]
        data = transcoding.encode(value)
        if data.__class__ is not str and not _plain(data):
            return None
        return {_TYPE: transcoding.name, _DATA: data}

    def decode(self, data: bytes) -> Any:
        if _LONG_NUMBER.search(data):
            return self.library.decode(data)
        try:
            parsed = orjson.loads(data)
        except orjson.JSONDecodeError:
            return self.library.decode(data)
        return self._apply(parsed)

    def _apply(self, value: Any) -> Any:
        if value.__class__ is dict:
            for key, item in value.items():
                if item.__class__ is dict or item.__class__ is list:
                    value[key] = self._apply(item)
            if len(value) == 2 and _TYPE in value and _DATA in value:
                return self._decode_value(value)
            return value
        if value.__class__ is list:
            return [
                self._apply(item) if item.__class__ is dict or item.__class__ is list else item
                for item in value
            ]
        return value

    def _decode_value(self, value: dict[str, Any]) -> Any:
        name = value[_TYPE]
        transcoding = self.names.get(name) if isinstance(name, str) else None
        if transcoding is None:
            msg = (
                f"Data serialized with name '{name}' is not deserializable. "
                "Please register a custom transcoding for this type."
            )
            raise TranscodingNotRegisteredError(msg)
        return transcoding.decode(value[_DATA])


def _plain(value: Any) -> bool:
    """Whether orjson writes ``value`` exactly as the stdlib encoder does, transcoding nothing."""
    cls = value.__class__
    if cls is str or cls is int or value is None or cls is bool:
        return True
    if cls is float:
        return value == 0 or _SAME_SPELLING <= abs(value) < _EXPONENT_FROM
    if cls is list or cls is tuple:
        for item in value:  # noqa: SIM110 - a loop: all(...) sets up a generator, twice as slow
            if not _plain(item):
                return False
        return True
    if cls is dict:
        for key, item in value.items():
            if key.__class__ is not str or not _plain(item):
                return False
        return True
    return False
