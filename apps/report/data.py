"""What the rakor report reads: one quarter of the published warehouse, read-only.

The report is built from the file each refresh publishes (or from an as-of build of it),
never from the event store: what leadership reads is what the dashboard shows, with the same
"data as of" moment, event position and (where the warehouse carries one) fingerprint. The
charts' rows come from the SQL the dashboard runs (``apps/charts/data.py``); the tables' rows
from plain SQL over the marts below. Everything is read over one connection, then closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from apps.charts import data as chart_data
from apps.spreadsheets.export import open_warehouse
from domain.errors import MonevError
from domain.quarters import Quarter


class ReportError(MonevError):
    """The report cannot be made from this warehouse (no such quarter, unreadable file)."""


@dataclass(frozen=True)
class Stamp:
    """Where the data stands: ``main.warehouse_meta`` of the file the report was built from."""

    data_as_of: datetime | None
    last_position: int
    fingerprint: str | None
    as_of: datetime | None


@dataclass(frozen=True)
class RakorData:
    """Everything one quarter's report shows, as read from one warehouse file."""

    quarter: Quarter
    previous: Quarter
    quarters: tuple[str, ...]
    stamp: Stamp
    rakor_date: date | None
    overview: pd.DataFrame
    band_counts: pd.DataFrame
    league: pd.DataFrame
    weak_activities: pd.DataFrame
    recommendations: pd.DataFrame
    follow_ups: pd.DataFrame
    kecamatan_map: pd.DataFrame
    coverage: pd.DataFrame
    disparity: pd.DataFrame
    mentors: pd.DataFrame
    joint_activities: pd.DataFrame

    @property
    def has_previous(self) -> bool:
        return self.previous.code in self.quarters


def read_rakor(path: Path, quarter: Quarter) -> RakorData:
    """The quarter's data from the warehouse at ``path``; refuses a quarter with no rows.

    A report of a quarter the warehouse does not hold would be pages of dashes: it is refused
    with the quarters that are there, so the reader can pick one.
    """
    try:
        with open_warehouse(path) as connection:
            return _read(connection, quarter)
    except duckdb.Error as error:
        raise ReportError(
            "The warehouse {path} cannot be read as a monev warehouse: {error}",
            path=str(path),
            error=str(error).splitlines()[0],
        ) from None


def _frame(connection: duckdb.DuckDBPyConnection, sql: str, *params: Any) -> pd.DataFrame:
    return connection.execute(sql, list(params)).df()


def _read(connection: duckdb.DuckDBPyConnection, quarter: Quarter) -> RakorData:
    code, previous = quarter.code, quarter.previous()
    quarters = tuple(
        str(row[0])
        for row in connection.execute(
            "select distinct quarter from marts.opd_quarter order by quarter"
        ).fetchall()
    )
    if code not in quarters and quarters:
        raise ReportError(
            "The warehouse holds no data for {quarter}; quarters on record: {first} to {last}. "
            "Record its evaluations and run `monev refresh` first.",
            quarter=code,
            first=quarters[0],
            last=quarters[-1],
        )
    if code not in quarters:
        raise ReportError(
            "The warehouse holds no data for {quarter}, nor for any quarter yet. Record "
            "evaluations and run `monev refresh` first.",
            quarter=code,
        )
    return RakorData(
        quarter=quarter,
        previous=previous,
        quarters=quarters,
        stamp=_stamp(connection),
        rakor_date=_rakor_date(connection, code),
        overview=_frame(connection, chart_data.OVERVIEW, code, previous.code, code, previous.code),
        band_counts=_frame(connection, chart_data.BAND_COUNTS, code, previous.code),
        league=_frame(connection, LEAGUE, code),
        weak_activities=_frame(connection, WEAK_ACTIVITIES, code),
        recommendations=_frame(connection, RECOMMENDATIONS, code, code, code, code),
        follow_ups=_frame(connection, FOLLOW_UPS, code),
        kecamatan_map=_frame(connection, chart_data.KECAMATAN_MAP, code, code),
        coverage=_frame(connection, chart_data.MENTOR_COVERAGE, code),
        disparity=_frame(connection, chart_data.DISPARITY),
        mentors=_frame(connection, MENTORS, code),
        joint_activities=_frame(connection, JOINT_ACTIVITIES, code),
    )


def _columns(connection: duckdb.DuckDBPyConnection, schema: str, table: str) -> set[str]:
    rows = connection.execute(
        "select column_name from information_schema.columns "
        "where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchall()
    return {str(row[0]) for row in rows}


def _stamp(connection: duckdb.DuckDBPyConnection) -> Stamp:
    """The publish stamp; ``fingerprint`` only where the warehouse carries one."""
    columns = _columns(connection, "main", "warehouse_meta")
    if not columns:
        return Stamp(None, 0, None, None)
    wanted = [
        f"{name} as {name}" if name in columns else f"null as {name}"
        for name in ("data_as_of", "last_position", "fingerprint", "as_of")
    ]
    row = connection.execute(
        f"select {', '.join(wanted)} from main.warehouse_meta limit 1"
    ).fetchone()
    if row is None:
        return Stamp(None, 0, None, None)
    data_as_of, position, fingerprint, as_of = row
    return Stamp(
        data_as_of if isinstance(data_as_of, datetime) else None,
        int(position or 0),
        str(fingerprint) if fingerprint else None,
        as_of if isinstance(as_of, datetime) else None,
    )


def _rakor_date(connection: duckdb.DuckDBPyConnection, code: str) -> date | None:
    """The day the quarter's rakor was held (the latest record of it), if it was recorded."""
    if "held_on" not in _columns(connection, "events", "rakor_held"):
        return None
    row = connection.execute(
        "select held_on from events.rakor_held where quarter = ? order by position desc limit 1",
        [code],
    ).fetchone()
    return row[0] if row and isinstance(row[0], date) else None


# The OPD league table: best average achievement first. Parameter: quarter.
LEAGUE = """
select
    opd_code, opd_name, activity_count, pagu_rp, financial_realisation_rp, absorption_pct,
    average_achievement_pct, band, evaluations_submitted, evaluations_expected,
    reporting_compliance_pct, recommendations_open, recommendations_done,
    recommendations_overdue
from marts.opd_quarter
where quarter = ?
order by average_achievement_pct desc nulls last, absorption_pct desc nulls last, opd_code
"""

# Active activities banded Rendah or Sangat rendah, weakest first. Parameter: quarter.
WEAK_ACTIVITIES = """
select
    activity_code, activity_name, opd_code, kecamatan_name, achievement_pct, band, obstacles
from marts.activity_quarter
where quarter = ? and is_active and band_rank <= 2
order by band_rank, achievement_pct, opd_code, activity_code
"""

# Recommendations issued up to the quarter, with their status at that quarter (as the
# dashboard's Rekomendasi page reads them). Parameters: quarter ×4.
RECOMMENDATIONS = """
select
    recommendation_code, opd_code, opd_name, recommendation_text, issued_quarter, due_quarter,
    last_follow_up_quarter, last_progress, done_quarter,
    case
        when coalesce(done_quarter <= ?, false) then 'done'
        when due_quarter < ? then 'overdue'
        else 'open'
    end as status_then,
    issued_quarter = ? as is_issued_now
from marts.recommendations
where issued_quarter <= ?
order by opd_code, issued_quarter, recommendation_code
"""

# Follow-ups recorded for the quarter, with the recommendation they answer. Parameter: quarter.
FOLLOW_UPS = """
select
    issued.code as recommendation_code, issued.opd_code, issued.text as recommendation_text,
    follow_up.progress, follow_up.is_done
from events.recommendation_followed_up as follow_up
join events.recommendation_issued as issued using (aggregate_id)
where follow_up.quarter = ?
order by issued.opd_code, issued.code, follow_up.position
"""

# Mentors of the quarter against their targets. Parameter: quarter.
MENTORS = """
select
    mentor_code, mentor_name, mentor_kind, kecamatan_count,
    array_to_string(kecamatan_codes, ', ') as kecamatan_codes, is_dobel, has_evaluation,
    commitment_score, reports_submitted, umkm_assisted, umkm_target, umkm_achievement_pct,
    permits_facilitated
from marts.mentor_quarter
where quarter = ?
order by mentor_code
"""

# Joint activities merged by the end of the quarter. Parameter: quarter.
JOINT_ACTIVITIES = """
select
    joint_activity_code, joint_activity_name, lead_opd_code,
    array_to_string(participating_opd_codes, ', ') as participating_opd_codes,
    array_to_string(merged_activity_codes, ', ') as merged_activity_codes,
    pagu_rp, merged_from_quarter, absorption_pct, achievement_pct, band
from marts.joint_activities
where merged_from_quarter <= ?
order by joint_activity_code
"""
