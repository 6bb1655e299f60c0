"""Random invalid or unauthorised commands are refused with a message and store nothing.

Hypothesis spoils one argument of a valid next command of the shared story (a percentage over
100, negative money, a quarter that is no triwulan, an unknown kecamatan, a garbage code) or
hands the command to someone who may not run it (a viewer; staff of another agency), on the
in-memory, SQLite and PostgreSQL stores. Each example must raise one of the project's errors
with a message and leave the store's last notification id where it was. The story is
recorded once per store, which is sound only because refusals store nothing; each test ends
by checking that the story is exactly as it was.
"""

from __future__ import annotations

import inspect
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from domain_story import (
    ADMIN,
    BDS,
    CLOSED_QUARTER,
    COMMANDS,
    MENTOR,
    NEXT_COMMANDS,
    OPD_CODES,
    RECOMMENDATION,
    STAFF,
    YEAR,
    Command,
    build_story,
    open_application,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.actors import Actor
from domain.application import Monev
from domain.errors import InvalidInputError, MonevError, NotFoundError, PermissionDeniedError
from domain.kecamatan import all_kecamatan
from domain.problems import PROBLEM_CATEGORIES
from domain.quarters import Quarter

EXAMPLES = {"memory": 150, "sqlite": 100, "postgres": 30}

STORES = [
    pytest.param("memory", id="memory"),
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


@dataclass
class StoriedApp:
    store: str
    app: Monev
    story_end: int


@pytest.fixture(scope="module", params=STORES)
def storied(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StoriedApp]:
    """The story, recorded once per store for the whole module (refusals store nothing)."""
    store = str(request.param)
    server = request.getfixturevalue("postgres_server") if store == "postgres" else None
    database = server.create_database() if server is not None else None
    env = server.settings(database) if server is not None and database is not None else None
    app = open_application(store, tmp_path_factory.mktemp(store), env)
    try:
        yield StoriedApp(store, app, build_story(app))
    finally:
        app.close()
        if server is not None and database is not None:
            server.drop_database(database)


def run_property(
    storied: StoriedApp, strategy: st.SearchStrategy[Any], check: Callable[[Any], None]
) -> None:
    """Runs ``check`` on examples of ``strategy``, as many as the store's budget allows."""

    @settings(
        max_examples=EXAMPLES[storied.store],
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(strategy)
    def property_holds(example: Any) -> None:
        check(example)

    property_holds()
    assert_story_intact(storied)


def assert_story_intact(storied: StoriedApp) -> None:
    app = storied.app
    assert app.last_position() == storied.story_end
    bds = app.get_activity(BDS)
    assert bds.merged_into is None
    assert set(bds.evaluations) == {CLOSED_QUARTER}
    assert bds.evaluations[CLOSED_QUARTER]["physical_pct"] == 25
    assert not app.get_recommendation(RECOMMENDATION).is_done
    assert set(app.get_mentor(MENTOR).assignments) == {"35.14.20"}


def assert_refused_with_message(
    app: Monev, error: type[MonevError], call: Callable[[], object]
) -> None:
    before = app.last_position()
    try:
        call()
    except MonevError as refusal:
        assert isinstance(refusal, error), f"{type(refusal).__name__}: {refusal}"
        assert str(refusal).strip(), "a refusal must say why"
    else:
        pytest.fail("the command was accepted")
    assert app.last_position() == before, "a refused command must store nothing"


# --- invalid values, generated -----------------------------------------------------------

NAN, INF = math.nan, math.inf
HUGE = 10**400  # an int too large for a float

negative_floats = st.floats(max_value=0, exclude_max=True).filter(lambda x: x < 0)
bad_percentages = st.one_of(
    negative_floats,
    st.floats(min_value=100, exclude_min=True),  # includes infinity
    st.integers(max_value=-1),
    st.integers(min_value=101),
    st.sampled_from([NAN, -INF, HUGE, -HUGE, "lots", "50%", "1,5", "", None]),
)
negative_or_not_a_number = st.one_of(
    negative_floats,  # includes minus infinity
    st.integers(max_value=-1),
    st.sampled_from([NAN, INF, -HUGE, "Rp 1.000", ""]),  # None keeps the pagu in a revision
)
bad_money = negative_or_not_a_number | st.integers(min_value=10**15 + 1) | st.just(HUGE)
bad_counts = st.one_of(
    st.integers(max_value=-1),
    st.floats(min_value=0, max_value=1e6).filter(lambda x: x != int(x)),
    st.sampled_from([NAN, INF, HUGE, "tiga"]),
)

implausible_years = st.integers(1000, 1999) | st.integers(2101, 9999)
years_other_than_the_story = st.integers(2000, 2100).filter(lambda y: y != YEAR)
not_a_triwulan = st.one_of(
    st.builds("{}-Q{}".format, st.integers(2000, 2100), st.sampled_from([0, 5, 6, 9])),
    st.builds(
        "{}-Q{}".format, st.integers(1000, 1999) | st.integers(2101, 9999), st.integers(1, 4)
    ),
    st.builds("V {}".format, st.integers(2000, 2100)),
    st.builds("Triwulan {} {}".format, st.sampled_from(["0", "5", "IIII", "VI"]), st.just(YEAR)),
    st.text(max_size=16).filter(lambda text: _not_a_quarter(text)),
)
quarter_outside_the_fiscal_year = st.builds(
    "{}-Q{}".format, years_other_than_the_story, st.integers(1, 4)
)


def _not_a_quarter(text: str) -> bool:
    try:
        Quarter.parse(text)
    except InvalidInputError:
        return True
    return False


KNOWN_KECAMATAN = {
    value for k in all_kecamatan() for value in (k.code, k.bps_code, k.name.casefold())
}
unknown_kecamatan = st.one_of(
    st.builds("35.14.{:02d}".format, st.integers(25, 99)),
    st.builds(
        "35.{:02d}.{:02d}".format, st.integers(0, 99).filter(lambda n: n != 14), st.integers(1, 24)
    ),
    st.builds("3514{:03d}".format, st.integers(0, 999)),
    st.sampled_from(["Surabaya", "Kota Pasuruan", "Probolinggo", "Grat", "Lekok Timur"]),
    st.text(min_size=1, max_size=24),
).filter(lambda value: value.strip().casefold() not in KNOWN_KECAMATAN)

CODE = re.compile(r"[A-Z0-9][A-Z0-9._/-]{0,39}")
garbage_codes = st.one_of(
    st.sampled_from(["", "   ", "-DISKOP", ".X", "DINAS KOPERASI", "KODE#1", "X" * 41, "Ä"]),
    st.text(max_size=48),
).filter(lambda text: not CODE.fullmatch(text.strip().upper()))
unregistered_codes = st.from_regex(r"ZZ[A-Z0-9]{1,12}", fullmatch=True)
blank_texts = st.text(alphabet=" \t\n\r\u3000\xa0", max_size=6)

four_floats = st.tuples(*[st.floats(0, 1000)] * 4)
bad_incremental_targets = st.one_of(  # for an annual target of 120
    four_floats.filter(lambda t: abs(sum(t) - 120) > 1e-3),
    st.lists(st.floats(0, 100), max_size=8).filter(lambda t: len(t) != 4),
    st.tuples(negative_floats, st.just(40), st.just(40), st.just(40)),
    st.sampled_from([(NAN, 40, 40, 40), (INF, 40, 40, 40)]),
)


def _goes_down(targets: tuple[float, ...]) -> bool:
    """Clearly down: the domain forgives float noise of a millionth."""
    return any(later < earlier - 1e-3 for earlier, later in pairwise(targets))


bad_cumulative_targets = st.one_of(  # for an annual target of 500
    four_floats.map(lambda t: (*t[:3], 500.0)).filter(_goes_down),
    st.tuples(*[st.floats(0, 400)] * 3).map(sorted).map(lambda t: (*t, 499.0)),
)


@dataclass(frozen=True, repr=False)
class Spoil:
    """Replace ``field`` of a valid next command with a value drawn from ``values``."""

    command: str
    field: str
    values: st.SearchStrategy[Any]
    error: type[MonevError] = InvalidInputError
    # What OPD staff get instead: naming another agency is refused before any lookup.
    staff_error: type[MonevError] | None = None

    def expected(self, actor: Actor) -> type[MonevError]:
        return self.staff_error if self.staff_error and not actor.is_admin else self.error

    def __repr__(self) -> str:
        return f"Spoil({self.command}.{self.field}, expecting {self.error.__name__})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # how Hypothesis prints it
        printer.text(repr(self))


SPOILS = (
    Spoil("register_opd", "code", garbage_codes),
    Spoil("register_opd", "name", blank_texts),
    Spoil("register_program", "code", garbage_codes),
    Spoil(
        "register_program",
        "fiscal_year",
        st.integers(max_value=1999) | st.integers(min_value=2101) | st.just(HUGE),
    ),
    Spoil("register_program", "opd_code", unregistered_codes, NotFoundError, PermissionDeniedError),
    Spoil(
        "join_program",
        "role",
        st.text(max_size=12).filter(lambda r: r.strip().lower() not in ("coordinator", "member")),
    ),
    Spoil("register_activity", "code", garbage_codes),
    Spoil("register_activity", "pagu_rp", bad_money),
    Spoil("register_activity", "kecamatan", unknown_kecamatan),
    Spoil("register_activity", "quarterly_targets", bad_incremental_targets),
    Spoil("register_activity", "annual_target", negative_or_not_a_number),
    Spoil("register_activity", "fiscal_year", years_other_than_the_story),
    Spoil("register_activity", "program_code", unregistered_codes, NotFoundError),
    Spoil("revise_activity_targets", "quarterly_targets", bad_cumulative_targets),
    Spoil("revise_activity_targets", "pagu_rp", bad_money),
    Spoil("revise_activity_targets", "reason", blank_texts),
    Spoil("revise_activity_targets", "activity_code", garbage_codes),
    Spoil("identify_problem", "kecamatan", unknown_kecamatan),
    Spoil(
        "identify_problem",
        "category",
        st.text(max_size=12).filter(lambda c: c.strip().lower() not in PROBLEM_CATEGORIES),
    ),
    Spoil("map_activity_to_problem", "problem_code", unregistered_codes, NotFoundError),
    Spoil("merge_activities", "joint_code", garbage_codes),
    Spoil("merge_activities", "activity_codes", st.lists(garbage_codes, min_size=1, max_size=3)),
    Spoil("hold_rakor", "quarter", not_a_triwulan),
    Spoil("close_quarter", "quarter", not_a_triwulan),
    Spoil("record_evaluation", "physical_pct", bad_percentages),
    Spoil("record_evaluation", "financial_rp", bad_money),
    Spoil("record_evaluation", "indicator_value", negative_or_not_a_number),
    Spoil("record_evaluation", "quarter", not_a_triwulan | quarter_outside_the_fiscal_year),
    Spoil("record_evaluation", "activity_code", garbage_codes),
    Spoil(
        "record_evaluation",
        "activity_code",
        unregistered_codes,
        NotFoundError,
        PermissionDeniedError,
    ),
    Spoil("correct_evaluation", "physical_pct", bad_percentages),
    Spoil("correct_evaluation", "financial_rp", bad_money),
    Spoil("correct_evaluation", "reason", blank_texts),
    Spoil("correct_evaluation", "quarter", not_a_triwulan),
    Spoil("issue_recommendation", "code", garbage_codes),
    Spoil("issue_recommendation", "due_quarter", not_a_triwulan),
    Spoil("issue_recommendation", "text", blank_texts),
    Spoil("follow_up_recommendation", "quarter", not_a_triwulan),
    Spoil("follow_up_recommendation", "progress", blank_texts),
    Spoil(
        "define_service_region",
        "kecamatan",
        st.lists(unknown_kecamatan, min_size=1, max_size=3).map(lambda ks: ["Grati", *ks]),
    ),
    Spoil("define_service_region", "code", garbage_codes),
    Spoil(
        "register_mentor",
        "kind",
        st.text(max_size=12).filter(lambda k: k.strip().lower() not in ("kecamatan", "kabupaten")),
    ),
    Spoil("register_mentor", "code", garbage_codes),
    Spoil("assign_mentor", "kecamatan", unknown_kecamatan),
    Spoil("unassign_mentor", "kecamatan", unknown_kecamatan),
    Spoil("evaluate_mentor_commitment", "score", bad_percentages),
    Spoil("evaluate_mentor_commitment", "umkm_assisted", bad_counts),
    Spoil("evaluate_mentor_commitment", "reports_submitted", bad_counts),
    Spoil("evaluate_mentor_commitment", "quarter", not_a_triwulan),
)


def authorised_actors(command: Command) -> st.SearchStrategy[Actor]:
    """Division staff, or staff of the agency the command is for."""
    return st.sampled_from([ADMIN, *(STAFF[owner] for owner in command.owners)])


user_ids = st.text(min_size=1, max_size=16)
any_agency = st.sampled_from(OPD_CODES) | st.from_regex(r"[A-Z][A-Z0-9]{1,11}", fullmatch=True)


def unauthorised_actors(command: Command) -> st.SearchStrategy[Actor]:
    """Viewers (even of the right agency) and staff of any agency the command is not for."""
    viewers = st.builds(Actor, user_ids, st.just("viewer"), st.none() | any_agency)
    other_agencies = any_agency.filter(lambda code: code not in command.owners)
    return viewers | st.builds(Actor, user_ids, st.just("opd"), other_agencies)


# Built once: strategies made inside a draw are rebuilt, and re-described, on every example.
AUTHORISED = {command.name: authorised_actors(command) for command in NEXT_COMMANDS}
UNAUTHORISED = {command.name: unauthorised_actors(command) for command in NEXT_COMMANDS}

invalid_commands = st.one_of(
    [st.tuples(st.just(spoil), AUTHORISED[spoil.command], spoil.values) for spoil in SPOILS]
)
unauthorised_commands = st.one_of(
    [st.tuples(st.just(command), UNAUTHORISED[command.name]) for command in NEXT_COMMANDS]
)
invalid_commands_from_anyone = st.one_of(
    [
        st.tuples(
            st.just(spoil), AUTHORISED[spoil.command] | UNAUTHORISED[spoil.command], spoil.values
        )
        for spoil in SPOILS
    ]
)


# --- the properties ------------------------------------------------------------------------


def test_every_spoilt_argument_is_named_by_a_command_of_the_story() -> None:
    for spoil in SPOILS:
        assert spoil.field in inspect.signature(getattr(Monev, spoil.command)).parameters, spoil
    assert {spoil.command for spoil in SPOILS} == set(COMMANDS), "every command is spoilt"


def test_random_invalid_commands_are_refused_with_a_message_and_store_nothing(
    storied: StoriedApp,
) -> None:
    def check(example: tuple[Spoil, Actor, Any]) -> None:
        spoil, actor, value = example
        command = COMMANDS[spoil.command]
        assert_refused_with_message(
            storied.app,
            spoil.expected(actor),
            lambda: command.run(storied.app, actor, **{spoil.field: value}),
        )

    run_property(storied, invalid_commands, check)


def test_random_unauthorised_commands_are_refused_with_a_message_and_store_nothing(
    storied: StoriedApp,
) -> None:
    def check(example: tuple[Command, Actor]) -> None:
        command, actor = example
        assert_refused_with_message(
            storied.app, PermissionDeniedError, lambda: command.run(storied.app, actor)
        )

    run_property(storied, unauthorised_commands, check)


def test_random_invalid_commands_from_anyone_are_refused_and_store_nothing(
    storied: StoriedApp,
) -> None:
    def check(example: tuple[Spoil, Actor, Any]) -> None:
        spoil, actor, value = example
        spoilt = {spoil.field: value}
        command = COMMANDS[spoil.command]
        assert_refused_with_message(
            storied.app, MonevError, lambda: command.run(storied.app, actor, **spoilt)
        )

    run_property(storied, invalid_commands_from_anyone, check)


def test_the_unspoilt_commands_are_accepted_so_the_refusals_above_mean_something(
    tmp_path: Path,
) -> None:
    for command in NEXT_COMMANDS:
        app = open_application("memory", tmp_path)
        build_story(app)
        before = app.last_position()
        command.run(app, ADMIN)
        assert app.last_position() > before, command.name
