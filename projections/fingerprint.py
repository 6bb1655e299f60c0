"""What the warehouse keeps of the event store's fingerprint, and ``monev verify``.

Every published warehouse carries the hash chain of the events it was built from
(``eventstore.fingerprint``; canonical form in ``docs/fingerprint.md``):

- ``main.warehouse_meta.fingerprint``: the chain's head at ``last_position``, hex; the value a
  report prints beside its figures;
- ``main.fingerprint_chain(position, fingerprint)``: the head after every event, 32 bytes. It
  lets ``monev verify`` name the *first* position where the store no longer holds the history
  the warehouse was built from, not only say that something differs.

A refresh carries the chain: the candidate copied from the published warehouse already holds
it; a full build takes the chain the projection kept as it read the events (or, from a
projection file older than that, the published warehouse's of the same projection); either way
only the events after the carried head are read and hashed. A rebuild (a new projection)
recomputes it from the first event as it reads the store again, which is what makes it a check
of the carried one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
from eventsourcing.persistence import ApplicationRecorder

from eventstore.fingerprint import (
    GENESIS,
    PARALLEL_FROM,
    Chain,
    Link,
    RecorderFactory,
    extend,
    extend_parallel,
    links,
)
from projections.database import CHAIN_TABLE as PROJECTED_CHAIN
from projections.database import EVENT_LOG_TABLE, connect
from projections.schema import literal

CHAIN_TABLE = "main.fingerprint_chain"
META_TABLE = "main.warehouse_meta"
_PUBLISHED = "fingerprint_published"

_CHAIN_DDL = f"""CREATE TABLE IF NOT EXISTS {CHAIN_TABLE} (
    position BIGINT NOT NULL,
    fingerprint BLOB NOT NULL)"""

OnPage = Callable[[int], None]


def short(fingerprint: str) -> str:
    """The short form people read and compare aloud: the first 12 hex digits."""
    return fingerprint[:12]


# -- stamping a candidate ---------------------------------------------------------------------


@dataclass(frozen=True)
class Pending:
    """A candidate's chain as carried (from its own copy or the published warehouse), before
    the events after it are hashed: ``extend`` may run while the marts build (it reads only
    the event store), and ``write`` then stamps the candidate."""

    upto: int
    carried: Chain


@dataclass(frozen=True)
class Extension:
    positions: list[int]
    heads: list[bytes]


def stamp(
    candidate: Path,
    recorder: ApplicationRecorder,
    *,
    carry_from: Path | None,
    projection_id: str | None,
    as_of_label: str | None = None,
) -> Chain:
    """Brings the candidate's chain up to its ``last_position`` and stamps the head.

    ``carry_from`` is the published warehouse whose chain may be carried when the candidate
    has none (a full build): only when it came from the same projection (``projection_id``),
    which proves its events are a prefix of the candidate's. ``as_of_label`` is the cut-off
    of an as-of build as given (``rakor:2017-Q2``), stamped as ``as_of_cutoff``.
    """
    pending = prepare(candidate, carry_from=carry_from, projection_id=projection_id)
    return write(candidate, pending, extend_pending(recorder, pending), as_of_label=as_of_label)


def prepare(candidate: Path, *, carry_from: Path | None, projection_id: str | None) -> Pending:
    """The chain the candidate carries, up to where its stamp says its events end."""
    with connect(candidate) as con:
        rows = con.execute(f"SELECT last_position FROM {META_TABLE}").fetchall()
        assert rows, "the candidate has no stamp yet"
        upto = int(rows[0][0])
        con.execute(_CHAIN_DDL)
        chain = _carried(con)
        if chain.position > upto:  # never for a refresh's candidate; kept for safety
            con.execute(f"DELETE FROM {CHAIN_TABLE} WHERE position > ?", [upto]).fetchall()
            chain = _carried(con)
        if chain.position == 0 and carry_from is not None:
            _copy_published(con, carry_from, projection_id, upto)
            chain = _carried(con)
        con.execute("CHECKPOINT")
    return Pending(upto, chain)


def take_projected(candidate: Path) -> None:
    """Moves the chain the projection kept as it read the store (projections.database) into the
    candidate's own chain, when the candidate is a copy of the projection's file and that chain
    covers every event in it; runs before ``publish.finish`` drops the projection's tables. A
    build from scratch then need not read the whole store a second time."""
    with connect(candidate) as con:
        has_chain = con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
            "AND schema_name = ? AND table_name = ?",
            PROJECTED_CHAIN.split("."),
        ).fetchall()[0][0]
        if not has_chain:
            return
        # An as-of candidate has lost its later events already: the chain stops where they do.
        rows = con.execute(
            f"""WITH upto AS (SELECT coalesce(max(position), 0) AS position
                              FROM {EVENT_LOG_TABLE})
                SELECT (SELECT count(*) FROM {PROJECTED_CHAIN}, upto
                        WHERE {PROJECTED_CHAIN}.position <= upto.position),
                       (SELECT count(*) FROM {EVENT_LOG_TABLE}),
                       (SELECT max({PROJECTED_CHAIN}.position) FROM {PROJECTED_CHAIN}, upto
                        WHERE {PROJECTED_CHAIN}.position <= upto.position),
                       (SELECT position FROM upto)"""
        ).fetchall()
        chained, logged, last_chained, upto = rows[0]
        con.execute(_CHAIN_DDL)
        if chained == logged and (last_chained or 0) == upto and not _carried(con).position:
            con.execute(
                f"INSERT INTO {CHAIN_TABLE} SELECT position, fingerprint FROM {PROJECTED_CHAIN} "
                "WHERE position <= ? ORDER BY position",
                [upto],
            ).fetchall()
        con.execute(f"DROP TABLE {PROJECTED_CHAIN}")
        con.execute("CHECKPOINT")


def extend_pending(
    recorder: ApplicationRecorder,
    pending: Pending,
    should_stop: Callable[[], bool] | None = None,
) -> Extension:
    """Hashes the stored events after the carried head, up to the candidate's last position.
    Reads only the event store, so it may run beside the build of the marts."""

    def check(_: int) -> None:
        if should_stop is not None and should_stop():
            raise InterruptedError("Stopped while the fingerprint was computed.")

    positions: list[int] = []
    heads: list[bytes] = []
    chain = pending.carried
    for link in links(
        recorder, after=chain.position, upto=pending.upto, head=chain.head, on_page=check
    ):
        positions.append(link.position)
        heads.append(link.head)
    return Extension(positions, heads)


def write(
    candidate: Path, pending: Pending, extension: Extension, *, as_of_label: str | None = None
) -> Chain:
    """Appends the new links to the candidate's chain and stamps its head."""
    chain = pending.carried
    positions, heads = extension.positions, extension.heads
    with connect(candidate) as con:
        if positions:
            chain = Chain(heads[-1], positions[-1], chain.count + len(positions))
            table = pa.table(
                {"position": pa.array(positions, pa.int64()), "fingerprint": pa.array(heads)}
            )
            con.register("_chain_rows", table)
            con.execute(
                f"INSERT INTO {CHAIN_TABLE} SELECT position, fingerprint FROM _chain_rows"
            ).fetchall()
            con.unregister("_chain_rows")
        if chain.position != pending.upto:
            msg = (
                f"The event store ends at position {chain.position:,}, but the warehouse holds "
                f"events up to {pending.upto:,}: it was not built from this store."
            )
            raise FingerprintError(msg)
        for column in ("fingerprint", "as_of_cutoff"):
            con.execute(f"ALTER TABLE {META_TABLE} ADD COLUMN IF NOT EXISTS {column} VARCHAR")
        con.execute(
            f"UPDATE {META_TABLE} SET fingerprint = ?, as_of_cutoff = ?", [chain.hex, as_of_label]
        ).fetchall()
        con.execute("CHECKPOINT")
    return chain


class FingerprintError(RuntimeError):
    """The chain cannot be stamped or checked; the message says why in plain words."""


def _carried(con: duckdb.DuckDBPyConnection) -> Chain:
    # fetchall: a result left unfinished would block registering the new rows.
    rows = con.execute(
        f"SELECT position, fingerprint, (SELECT count(*) FROM {CHAIN_TABLE}) FROM {CHAIN_TABLE} "
        "ORDER BY position DESC LIMIT 1"
    ).fetchall()
    if not rows:
        return Chain()
    position, head, count = rows[0]
    return Chain(bytes(head), int(position), int(count))


def _copy_published(
    con: duckdb.DuckDBPyConnection, published: Path, projection_id: str | None, upto: int
) -> None:
    """Copies the published chain up to ``upto`` when that file came from the same projection."""
    if projection_id is None or not published.exists():
        return
    con.execute(f"ATTACH {literal(published)} AS {_PUBLISHED} (READ_ONLY)")
    try:
        tables = {
            name
            for (name,) in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = ? "
                "AND schema_name = 'main'",
                [_PUBLISHED],
            ).fetchall()
        }
        if not {"fingerprint_chain", "warehouse_meta"} <= tables:
            return
        columns = {
            name
            for (name,) in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE database_name = ? "
                "AND table_name = 'warehouse_meta'",
                [_PUBLISHED],
            ).fetchall()
        }
        if "projection_id" not in columns:
            return
        row = con.execute(f"SELECT projection_id FROM {_PUBLISHED}.main.warehouse_meta").fetchone()
        if row is None or row[0] != projection_id:
            return
        con.execute(
            f"INSERT INTO {CHAIN_TABLE} SELECT position, fingerprint "
            f"FROM {_PUBLISHED}.main.fingerprint_chain WHERE position <= ? ORDER BY position",
            [upto],
        ).fetchall()
    finally:
        con.execute(f"DETACH {_PUBLISHED}")


# -- reading what a warehouse holds ------------------------------------------------------------


@dataclass(frozen=True)
class Witness:
    """A warehouse's record of the history it was built from: its chain, up to ``position``."""

    path: Path
    position: int
    fingerprint: str
    count: int


def read_witness(path: Path) -> Witness | None:
    """The stamped head of a published warehouse, or None if it carries no chain."""
    if not path.exists():
        return None
    with duckdb.connect(str(path), read_only=True) as con:
        if not _has_chain(con):
            return None
        row = con.execute(
            f"SELECT position, fingerprint, (SELECT count(*) FROM {CHAIN_TABLE}) "
            f"FROM {CHAIN_TABLE} ORDER BY position DESC LIMIT 1"
        ).fetchone()
    if row is None:
        return Witness(path, 0, GENESIS.hex(), 0)
    return Witness(path, int(row[0]), bytes(row[1]).hex(), int(row[2]))


def _has_chain(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND table_name = 'fingerprint_chain'"
    ).fetchone()
    return row is not None and int(row[0]) > 0


def read_fingerprint(path: Path) -> str | None:
    """The fingerprint stamped in a published warehouse; None if it has none."""
    witness = read_witness(path)
    return None if witness is None else witness.fingerprint


def head_in(path: Path, position: int) -> str | None:
    """The warehouse's chain value at ``position``, hex; None if it has none there."""
    if not path.exists():
        return None
    with duckdb.connect(str(path), read_only=True) as con:
        if not _has_chain(con):
            return None
        row = con.execute(
            f"SELECT fingerprint FROM {CHAIN_TABLE} WHERE position = ?", [position]
        ).fetchone()
    return None if row is None else bytes(row[0]).hex()


# -- verifying the store -----------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    """The first position where the store departs from a recorded history, and how."""

    position: int
    kind: str  # "changed" | "missing" | "added" | "reordered"
    detail: str


@dataclass(frozen=True)
class Verdict:
    intact: bool
    chain: Chain  # the store's chain, as far as it was computed
    checked_upto: int  # the position compared with the expected history (0: none)
    expected: str | None  # the expected head at checked_upto, hex
    difference: Difference | None = None
    witness: Path | None = None


def verify_store(
    recorder: ApplicationRecorder,
    *,
    witness: Path | None,
    fingerprint: str | None = None,
    position: int | None = None,
    on_page: OnPage | None = None,
    factory: RecorderFactory | None = None,
) -> Verdict:
    """Recomputes the store's chain and compares it with a recorded history.

    With ``fingerprint`` and ``position`` (from a report): the store's head at that position
    must equal it. Without: the head at the witness warehouse's last position must equal its
    stamp. Either way the chain is then carried to the store's last event. On a difference the
    witness's per-event chain (when it holds that history) names the first position that
    changed, went missing, was added or reordered. With ``factory`` (opens the store in a
    worker process) a large store is read by worker processes (``extend_parallel``).
    """

    def carry(chain: Chain, upto: int | None = None) -> Chain:
        end = upto if upto is not None else (recorder.max_notification_id() or 0)
        if factory is not None and end - chain.position >= PARALLEL_FROM:
            chain = extend_parallel(factory, chain, end, on_page=on_page)
        return extend(recorder, chain, upto=upto, on_page=on_page)

    if fingerprint is not None:
        assert position is not None
        expected: str | None = fingerprint.lower()
        checked = position
    else:
        found = None if witness is None else read_witness(witness)
        if found is None:
            return Verdict(intact=True, chain=carry(Chain()), checked_upto=0, expected=None)
        expected, checked = found.fingerprint, found.position
    upto_chain = carry(Chain(), checked)
    if upto_chain.position == checked and upto_chain.hex == expected:
        chain = carry(upto_chain)
        return Verdict(True, chain, checked, expected, witness=witness)
    ledger = witness if witness is not None and head_in(witness, checked) == expected else None
    difference = (
        None if ledger is None else first_difference(recorder, ledger, checked, expected or "")
    )
    return Verdict(False, upto_chain, checked, expected, difference, ledger)


def first_difference(
    recorder: ApplicationRecorder, witness: Path, upto: int, expected: str
) -> Difference:
    """Walks the store's events beside the witness's chain and names the first departure."""
    with duckdb.connect(str(witness), read_only=True) as con:
        recorded = con.execute(
            f"SELECT position, fingerprint FROM {CHAIN_TABLE} WHERE position <= ? "
            "ORDER BY position",
            [upto],
        ).fetchall()
        events = {
            (str(aggregate_id), int(version)): int(where)
            for where, aggregate_id, version in con.execute(
                f"SELECT position, aggregate_id, aggregate_version FROM {EVENT_LOG_TABLE} "
                "WHERE position <= ?",
                [upto],
            ).fetchall()
        }
    found = _first_departure(recorded, links(recorder, upto=upto))
    if found is None:
        return Difference(
            upto, "changed", f"the fingerprint at position {upto:,} is not {expected}"
        )
    if isinstance(found, Difference):
        return found
    moved_from = events.get((str(found.originator_id), found.originator_version))
    if moved_from is not None and moved_from != found.position:
        return Difference(
            found.position,
            "reordered",
            f"position {found.position:,} now holds the event recorded at position "
            f"{moved_from:,} (events were reordered)",
        )
    return Difference(
        found.position, "changed", f"the event at position {found.position:,} was changed"
    )


def _missing(position: int) -> Difference:
    return Difference(
        position, "missing", f"the event at position {position:,} is missing from the store"
    )


def _first_departure(
    recorded: list[tuple[int, bytes]], store: Iterator[Link]
) -> Difference | Link | None:
    """The first store event whose head differs (a Link), or a missing or added position."""
    expected = iter(recorded)
    want = next(expected, None)
    for link in store:
        if want is None or link.position < want[0]:
            return Difference(
                link.position,
                "added",
                f"the store holds an event at position {link.position:,} that the recorded "
                "history does not have",
            )
        if link.position > want[0]:
            return _missing(want[0])
        if link.head != bytes(want[1]):
            return link
        want = next(expected, None)
    return None if want is None else _missing(want[0])
