"""Two applications on one store (as the CLI, dashboard and an import are): no stale state.

A command reads fast-forwarded aggregates and its write checks that nobody stored anything
since the command began (``domain.concurrency``, ``eventstore.sqlite_recorder``,
``eventstore.postgres_recorder``). What one
application stores must bind the other at its very next command, including a quarter
closed elsewhere, which is a different aggregate from the activity being evaluated, so the store's
version check alone would not catch it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from domain_story import (
    ADMIN,
    BDS,
    DISKOP,
    DISKOP_STAFF,
    OPEN_QUARTER,
    YEAR,
    assert_refused,
    build_story,
    open_application,
)
from eventsourcing.persistence import IntegrityError

from domain.agencies import Opd
from domain.application import Monev
from domain.errors import NotFoundError, QuarterClosedError, StoreMovedError
from eventstore.settings import Settings

DURABLE_STORES = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]
LATER_QUARTER = f"{YEAR}-Q3"  # no rakor in the story: not even a review exists yet


def evaluate(app: Monev, quarter: str, **changes: Any) -> None:
    kwargs: dict[str, Any] = {
        "activity_code": BDS,
        "quarter": quarter,
        "physical_pct": 50,
        "financial_rp": 50_000_000,
        "indicator_value": 10,
    }
    app.record_evaluation(DISKOP_STAFF, **{**kwargs, **changes})


def close(app: Monev, quarter: str, *, hold_rakor: bool) -> None:
    if hold_rakor:
        app.hold_rakor(ADMIN, quarter=quarter, held_on=date(YEAR, 10, 20))
    app.close_quarter(ADMIN, quarter=quarter)


@pytest.fixture(params=DURABLE_STORES)
def pair(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Monev, Monev]]:
    """Two applications on one store holding the story: ``first`` and ``second``."""
    store = str(request.param)
    env = request.getfixturevalue("fresh_postgres_env") if store == "postgres" else None
    first = open_application(store, tmp_path, env)
    second = open_application(store, tmp_path, env)
    try:
        build_story(first)
        yield first, second
    finally:
        first.close()
        second.close()


def test_a_quarter_closed_elsewhere_refuses_evaluations_here(pair: tuple[Monev, Monev]) -> None:
    first, second = pair
    evaluate(first, OPEN_QUARTER)  # ``first`` now holds the activity and the open review
    close(second, OPEN_QUARTER, hold_rakor=False)
    error = assert_refused(first, QuarterClosedError, lambda: evaluate(first, OPEN_QUARTER))
    assert "closed" in str(error)


def test_a_quarter_that_had_no_rakor_here_and_was_closed_elsewhere_is_closed(
    pair: tuple[Monev, Monev],
) -> None:
    """``first`` remembers that the quarter has no review at all; that memory must not last."""
    first, second = pair
    evaluate(first, LATER_QUARTER)
    close(second, LATER_QUARTER, hold_rakor=True)
    assert_refused(
        first, QuarterClosedError, lambda: evaluate(first, LATER_QUARTER, physical_pct=60)
    )


def test_an_evaluation_recorded_elsewhere_is_built_on_here(pair: tuple[Monev, Monev]) -> None:
    """A correction needs an earlier evaluation; ``first`` never saw it, but must not refuse."""
    first, second = pair
    evaluate(first, OPEN_QUARTER)
    evaluate(second, LATER_QUARTER, physical_pct=30)
    first.correct_evaluation(
        DISKOP_STAFF,
        activity_code=BDS,
        quarter=LATER_QUARTER,
        physical_pct=35,
        financial_rp=50_000_000,
        indicator_value=10,
        reason="Salah ketik",
    )
    for app in (first, second):
        evaluations = app.get_activity(BDS).evaluations
        assert evaluations[LATER_QUARTER]["physical_pct"] == 35
        assert evaluations[OPEN_QUARTER]["physical_pct"] == 50


def test_an_agency_registered_elsewhere_is_known_here(pair: tuple[Monev, Monev]) -> None:
    first, second = pair

    def register_program() -> object:
        return first.register_program(
            ADMIN, code="PRG-IND-2017", name="Industri", opd_code="DISPERINDAG", fiscal_year=YEAR
        )

    assert_refused(first, NotFoundError, register_program, match="not registered")
    second.register_opd(ADMIN, code="DISPERINDAG", name="Dinas Perindustrian")
    register_program()
    assert second.get_opd("DISPERINDAG").code == "DISPERINDAG"


def test_a_query_answers_with_what_was_stored_elsewhere(pair: tuple[Monev, Monev]) -> None:
    first, second = pair
    assert LATER_QUARTER not in first.get_activity(BDS).evaluations
    evaluate(second, LATER_QUARTER, physical_pct=70)
    assert first.get_activity(BDS).evaluations[LATER_QUARTER]["physical_pct"] == 70


class _WriteAfter(Monev):
    """Runs ``before_write`` once, between a command's checks and its write."""

    name = "monev"  # the library names an application after its class; same store as Monev
    before_write: Callable[[], None] | None = None

    def save(self, *objs: Any, **kwargs: Any) -> Any:
        hook, self.before_write = self.before_write, None
        if hook is not None:
            hook()
        return super().save(*objs, **kwargs)


def _settings(request: pytest.FixtureRequest, store: str, home: Path) -> Settings:
    if store == "postgres":
        return Settings.from_env(dict(request.getfixturevalue("fresh_postgres_env")), home=home)
    return Settings.from_env({}, home=home)


@pytest.mark.parametrize("store", DURABLE_STORES)
def test_a_quarter_closed_between_a_command_s_checks_and_its_write_refuses_it(
    request: pytest.FixtureRequest, tmp_path: Path, store: str
) -> None:
    """The write finds the store moved, stores nothing, and the command runs again and refuses.

    The quarter is another aggregate than the activity the evaluation is saved in, so only the
    check of the store's position inside the write catches this interleaving.
    """
    settings = _settings(request, store, tmp_path)
    first = open_application(store, tmp_path, settings.application_env())
    build_story(first)
    first.close()
    racing = _WriteAfter(env=settings.application_env())
    other = open_application(store, tmp_path, settings.application_env())
    try:
        evaluate(racing, OPEN_QUARTER)
        racing.before_write = lambda: close(other, OPEN_QUARTER, hold_rakor=False)
        before = other.last_position()
        with pytest.raises(QuarterClosedError):
            evaluate(racing, OPEN_QUARTER, physical_pct=60)
        assert racing.last_position() == before + 1  # only the closing
        assert racing.get_activity(BDS).evaluations[OPEN_QUARTER]["physical_pct"] == 50
    finally:
        racing.close()
        other.close()


@pytest.mark.parametrize("store", DURABLE_STORES)
def test_the_store_refuses_a_write_that_expects_an_older_end(
    request: pytest.FixtureRequest, tmp_path: Path, store: str
) -> None:
    """Also across a gap: PostgreSQL's failed insert below consumes a notification id."""
    settings = _settings(request, store, tmp_path)
    app = open_application(store, tmp_path, settings.application_env())
    try:
        build_story(app)
        end = app.last_position()
        opd = Opd(code="DISPERINDAG", name="Dinas Perindustrian", short_name="", actor=ADMIN)
        stored = [app.mapper.to_stored_event(e) for e in opd.collect_events()]
        with pytest.raises(StoreMovedError):
            app.recorder.insert_events(stored, expected_position=end - 1)
        with pytest.raises(StoreMovedError):
            app.recorder.insert_events([], expected_position=end - 1)
        existing = app.recorder.select_notifications(end, 1)
        with pytest.raises(IntegrityError):
            app.recorder.insert_events(existing, expected_position=end)
        assert app.last_position() == end
        assert app.recorder.insert_events([], expected_position=end) in ([], None)
        (stored_at,) = app.recorder.insert_events(stored, expected_position=end) or []
        # PostgreSQL's refused duplicate consumed end + 1: the check must not count on it.
        assert stored_at == (end + 2 if store == "postgres" else end + 1)
        assert app.last_position() == stored_at
        assert app.get_opd("DISPERINDAG").code == "DISPERINDAG"
        assert app.recorder.checks_expected_position  # type: ignore[attr-defined]
    finally:
        app.close()


def test_a_batch_written_at_once_gets_the_ids_it_is_stored_under(tmp_path: Path) -> None:
    """The SQLite writer returns the id each row of a batch is stored under."""
    app = open_application("sqlite", tmp_path)
    try:
        build_story(app)
        end = app.last_position()
        opds = [
            Opd(code=f"OPD-{i}", name=f"Dinas {i}", short_name="", actor=ADMIN) for i in range(3)
        ]
        stored = [app.mapper.to_stored_event(e) for o in opds for e in o.collect_events()]
        ids = app.recorder.insert_events(stored, expected_position=end)
        notifications = app.recorder.select_notifications(end + 1, 10)
        assert ids == [n.id for n in notifications] == [end + 1, end + 2, end + 3]
        assert [n.originator_id for n in notifications] == [o.id for o in opds]
        late = [
            app.mapper.to_stored_event(e)
            for code in ("OPD-X", "OPD-Y")
            for e in Opd(code=code, name=code, short_name="", actor=ADMIN).collect_events()
        ]
        with pytest.raises(StoreMovedError):
            app.recorder.insert_events(late, expected_position=end)  # the store is at end + 3
        assert app.last_position() == end + 3
    finally:
        app.close()


def test_a_refusal_elsewhere_binds_nothing_here(pair: tuple[Monev, Monev]) -> None:
    """Sanity: a command refused by ``second`` leaves ``first``'s next command unaffected."""
    first, second = pair
    assert_refused(
        second,
        NotFoundError,
        lambda: second.record_evaluation(
            ADMIN,
            activity_code="ACT-NONE",
            quarter=OPEN_QUARTER,
            physical_pct=1,
            financial_rp=1,
            indicator_value=1,
        ),
    )
    evaluate(first, OPEN_QUARTER, physical_pct=42)
    assert second.get_activity(BDS).evaluations[OPEN_QUARTER]["physical_pct"] == 42
    assert DISKOP in second.get_activity(BDS).participant_opds


def test_a_cached_aggregate_is_fast_forwarded_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A command reads only the events stored since its cached aggregates' versions."""
    app = open_application("sqlite", tmp_path, None)
    try:
        build_story(app)
        evaluate(app, OPEN_QUARTER)  # the activity and the review are now cached
        reads: list[Any] = []
        select_events = app.recorder.select_events

        def counted(*args: Any, **kwargs: Any) -> Any:
            found = select_events(*args, **kwargs)
            reads.append((kwargs.get("gt"), len(found)))
            return found

        monkeypatch.setattr(app.recorder, "select_events", counted)
        evaluate(app, OPEN_QUARTER, physical_pct=60)
        assert reads and all(gt is not None for gt, _ in reads), reads
        assert app.get_activity(BDS).evaluations[OPEN_QUARTER]["physical_pct"] == 60
    finally:
        app.close()


def test_where_reads_copy_the_changed_copy_replaces_the_cached_one(tmp_path: Path) -> None:
    """With deep copies from the cache, the saved copy must take the cached original's place,
    or the next command would act on the original and collide with its own last write."""
    env = Settings.from_env({}, home=tmp_path).application_env()
    app = Monev(env={**env, "DEEPCOPY_FROM_AGGREGATE_CACHE": "y"})
    try:
        build_story(app)
        evaluate(app, OPEN_QUARTER, physical_pct=60)
        evaluate(app, OPEN_QUARTER, physical_pct=70)
        assert app.get_activity(BDS).evaluations[OPEN_QUARTER]["physical_pct"] == 70
    finally:
        app.close()
