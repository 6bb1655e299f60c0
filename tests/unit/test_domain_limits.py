"""The domain refuses the impossible whatever the entry point: one line naming value and limit."""

from __future__ import annotations

from pathlib import Path

import pytest
from domain_story import ADMIN, BDS, CLOSED_QUARTER, DISKOP_STAFF, OPEN_QUARTER, PAGU, build_story

from domain.application import Monev
from domain.errors import InvalidInputError
from domain.records import read_records
from domain.rules import money_digits, optional_text, required_text
from eventstore.bootstrap import build_application
from eventstore.settings import Settings


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Monev:
    home = tmp_path_factory.mktemp("limits")
    application = build_application(Settings.from_env({}, home=Path(home), event_store="memory"))
    build_story(application)
    return application


def evaluate(app: Monev, **values: object) -> None:
    kwargs = {"physical_pct": 50, "financial_rp": 1_000_000, "indicator_value": 100, **values}
    app.record_evaluation(DISKOP_STAFF, activity_code=BDS, quarter=OPEN_QUARTER, **kwargs)  # type: ignore[arg-type]


def refuses(app: Monev, match: str, call: object) -> None:
    before = app.last_position()
    with pytest.raises(InvalidInputError, match=match) as caught:
        call()  # type: ignore[operator]
    assert "\n" not in str(caught.value)
    assert app.last_position() == before


def test_cumulative_financial_realisation_cannot_exceed_the_pagu(app: Monev) -> None:
    spent = 100_000_000  # triwulan I of the story
    refuses(app, "above its pagu", lambda: evaluate(app, financial_rp=PAGU[BDS] - spent + 1))
    evaluate(app, financial_rp=PAGU[BDS] - spent)  # exactly the ceiling is possible
    assert read_records(app).activities[BDS].financial_realised_rp == PAGU[BDS]
    correct: dict[str, object] = {
        "activity_code": BDS,
        "quarter": CLOSED_QUARTER,
        "physical_pct": 25,
        "indicator_value": 90,
        "reason": "Uji",
    }
    too_much = spent + 1
    refuses(
        app,
        "above its pagu",
        lambda: app.correct_evaluation(ADMIN, financial_rp=too_much, **correct),
    )
    revise: dict[str, object] = {
        "activity_code": BDS,
        "annual_target": 400,
        "quarterly_targets": (100, 200, 300, 400),
        "reason": "Uji",
    }
    lower = PAGU[BDS] - 1
    refuses(
        app, "below the Rp", lambda: app.revise_activity_targets(ADMIN, pagu_rp=lower, **revise)
    )
    evaluate(app, financial_rp=1_000_000)  # back under the ceiling for the other tests


@pytest.mark.parametrize("value", [float("inf"), float("nan"), 1e308, 10**26, 4001])
def test_indicator_values_stay_within_ten_times_the_annual_target(app: Monev, value: float) -> None:
    refuses(app, "Indicator|indicator value", lambda: evaluate(app, indicator_value=value))


def test_an_indicator_at_the_bound_is_over_achievement_not_a_typo(app: Monev) -> None:
    evaluate(app, indicator_value=4000)  # 10 x the annual target of 400


@pytest.mark.parametrize("text", ["Dinas\nBaru", "Dinas\tBaru", "a\x00b", "\x1b[31mX"])
def test_texts_with_control_characters_are_refused(text: str) -> None:
    with pytest.raises(InvalidInputError, match="control character"):
        required_text(text, "OPD name")
    with pytest.raises(InvalidInputError, match="control character"):
        optional_text(text, "Notes")


@pytest.mark.parametrize("text", ["\u00a0", "\u200b", " \u2003 ", "\ufeff"])
def test_names_with_nothing_visible_are_refused(text: str) -> None:
    with pytest.raises(InvalidInputError, match="must not be empty"):
        required_text(text, "OPD name")
    assert optional_text(text, "Notes") == ""


def test_an_empty_kecamatan_is_refused_while_none_means_regency_wide(app: Monev) -> None:
    problem = {"title": "Uji", "category": "lainnya"}
    empty = {"code": "PRB-X", "kecamatan": "", **problem}
    refuses(app, "kecamatan is empty", lambda: app.identify_problem(ADMIN, **empty))
    app.identify_problem(ADMIN, code="PRB-Y", kecamatan=None, **problem)
    assert read_records(app).problems["PRB-Y"].kecamatan_code is None


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1250000", 1_250_000),
        ("1.250.000", 1_250_000),
        ("Rp 1.250.000,00", 1_250_000),
        ("1.250.000,-", 1_250_000),
        ("1250000.00", 1_250_000),
    ],
)
def test_money_is_digits_or_indonesian_grouping(text: str, amount: int) -> None:
    assert money_digits(text, "Pagu") == amount


@pytest.mark.parametrize("text", ["1e9", "1E9", "1,250,000", "12.50.000", "0x10", "1_000", "∞"])
def test_money_with_an_exponent_or_foreign_grouping_is_refused(text: str) -> None:
    with pytest.raises(InvalidInputError, match="not an amount of rupiah"):
        money_digits(text, "Pagu")
