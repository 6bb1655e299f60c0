"""Every query the dashboard runs, in one module: plain SQL over the published warehouse.

How the dashboard reads, and why:

- Only ``$MONEV_HOME/warehouse.duckdb``, the file each refresh publishes whole by atomic rename,
  opened ``read_only`` for one query and closed again. DuckDB allows no reader beside a writer,
  so the dashboard never touches the projector's or dbt's working file, and a refresh never
  waits for the dashboard.
- Results are cached with ``st.cache_data`` under the file's publish key (inode, size and
  modification time, which every rename changes) plus the query's parameters. A page view after
  a refresh therefore misses the cache once and reads the new file; no restart is needed.
- DuckDB shares one database instance between connections of a process to the same path, and
  an instance opened before a rename keeps serving the old file. Connections are therefore
  opened one at a time under a process lock and closed before the next, so every connection
  opens whatever file the path names at that moment.
- Cached functions take the warehouse and plain values only, never the signed-in user, so one
  person's results are never served to another with different rights.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from apps.charts import data as chart_data

_LOCK = threading.Lock()


class WarehouseError(RuntimeError):
    """The published file exists but cannot be read as a monev warehouse."""


@dataclass(frozen=True)
class Warehouse:
    """One published version of the warehouse: its path and the key that changes with a publish."""

    path: str
    key: tuple[int, int, int]


@dataclass(frozen=True)
class Stamp:
    data_as_of: datetime | None
    published_at: datetime | None
    last_position: int
    # The event store's fingerprint at last_position (docs/fingerprint.md); None in a file
    # published before monev fingerprinted its store.
    fingerprint: str | None = None
    # The cut-off of an as-of build as given (rakor:2017-Q2, position:N, a time); None: live.
    as_of_cutoff: str | None = None


def locate(path: Path) -> Warehouse | None:
    """The current publish of the warehouse, or None before the first `monev refresh`."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    return Warehouse(str(path), (info.st_ino, info.st_size, info.st_mtime_ns))


@contextmanager
def _connect(path: str) -> Iterator[duckdb.DuckDBPyConnection]:
    with _LOCK:
        try:
            connection = duckdb.connect(path, read_only=True)
        except duckdb.Error as error:
            raise WarehouseError(str(error).splitlines()[0]) from None
        try:
            yield connection
        finally:
            connection.close()


@st.cache_data(show_spinner=False, max_entries=2000)
def _frame(path: str, key: tuple[int, int, int], sql: str, params: tuple[Any, ...]) -> pd.DataFrame:
    """One query's result; ``key`` is unused in the body but makes each publish its own entry."""
    del key
    with _connect(path) as connection:
        try:
            return connection.execute(sql, list(params)).df()
        except duckdb.Error as error:
            raise WarehouseError(str(error).splitlines()[0]) from None


def frame(warehouse: Warehouse, sql: str, *params: Any) -> pd.DataFrame:
    """A copy, so a page that adds a column never changes the cached result."""
    return _frame(warehouse.path, warehouse.key, sql, tuple(params)).copy()


def _scalar_list(warehouse: Warehouse, sql: str, *params: Any) -> tuple[Any, ...]:
    result = frame(warehouse, sql, *params)
    return tuple(result.iloc[:, 0].tolist()) if len(result) else ()


def _in_list(values: Sequence[object]) -> str:
    return ", ".join("?" for _ in values) or "null"


# -- the publish stamp and the quarters on record ---------------------------------------------


def stamp(warehouse: Warehouse) -> Stamp:
    """``main.warehouse_meta``: what the file holds (data as of, last position), for every page."""
    # ``select *``: the fingerprint columns are absent from files published before them.
    rows = frame(warehouse, "select * from main.warehouse_meta limit 1")
    if not len(rows):
        return Stamp(None, None, 0)
    row = rows.iloc[0]
    return Stamp(
        _moment(row["data_as_of"]),
        _moment(row["published_at"]),
        int(row["last_position"]),
        _text(row.get("fingerprint")),
        _text(row.get("as_of_cutoff")),
    )


def _text(value: Any) -> str | None:
    return None if value is None or pd.isna(value) else str(value)


def as_of_builds(home: Path) -> tuple[Path, ...]:
    """The published as-of builds (``monev refresh --as-of``), newest cut-off first."""

    def position(path: Path) -> int:
        tail = path.stem.removeprefix("warehouse-asof-")
        return int(tail) if tail.isdigit() else -1

    return tuple(sorted(home.glob("warehouse-asof-*.duckdb"), key=position, reverse=True))


def lineage(
    warehouse: Warehouse,
    *,
    quarter: str | None = None,
    activity_code: str | None = None,
    opd_code: str | None = None,
    recommendation_code: str | None = None,
) -> pd.DataFrame:
    """ "Jejak data": the events behind one figure (``marts.lineage``), oldest first.

    An activity's quarter, an OPD's quarter or a recommendation: every key given must match.
    A warehouse built before the lineage mart existed gives no rows.
    """
    conditions, params = [], []
    for column, value in (
        ("quarter", quarter),
        ("activity_code", activity_code),
        ("opd_code", opd_code),
        ("recommendation_code", recommendation_code),
    ):
        if value is not None:
            conditions.append(f"{column} = ?")
            params.append(value)
    where = " and ".join(conditions) or "true"
    try:
        return frame(
            warehouse, f"select * from marts.lineage where {where} order by event_position", *params
        )
    except WarehouseError:
        return pd.DataFrame()


def _moment(value: Any) -> datetime | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).to_pydatetime()


def quarters(warehouse: Warehouse) -> tuple[str, ...]:
    """Quarters with rows in the marts, oldest first (codes like ``2017-Q2`` sort in time)."""
    return tuple(
        str(q)
        for q in _scalar_list(
            warehouse, "select distinct quarter from marts.opd_quarter order by quarter"
        )
    )


# -- Ringkasan ------------------------------------------------------------------------------


def overview(warehouse: Warehouse, quarter: str, previous: str) -> pd.DataFrame:
    """The regency's KPIs for a quarter and the one before it, one row each (as the report's)."""
    return frame(warehouse, chart_data.OVERVIEW, quarter, previous, quarter, previous)


def band_counts(warehouse: Warehouse, quarter: str, previous: str) -> pd.DataFrame:
    """Active activities per Permendagri 86 band (null band = nothing to band yet)."""
    return frame(warehouse, chart_data.BAND_COUNTS, quarter, previous)


# -- Kinerja OPD ----------------------------------------------------------------------------


def opd_league(warehouse: Warehouse, quarter: str) -> pd.DataFrame:
    """OPDs of a quarter, best average achievement first (no figure sorts last)."""
    return frame(
        warehouse,
        """
        select
            opd_code, opd_name, opd_short_name, activity_count, joint_activity_count, pagu_rp,
            financial_realisation_rp, absorption_pct, average_achievement_pct, band, band_en,
            band_rank, evaluations_submitted, evaluations_expected, reporting_compliance_pct,
            attended_rakor, recommendations_open, recommendations_done, recommendations_overdue
        from marts.opd_quarter
        where quarter = ?
        order by average_achievement_pct desc nulls last, absorption_pct desc nulls last,
            opd_code
        """,
        quarter,
    )


ACTIVITY_PAGE_SIZE = 50


def opd_activities(
    warehouse: Warehouse,
    quarter: str,
    opd_code: str,
    search: str = "",
    *,
    limit: int | None = None,
    offset: int = 0,
) -> pd.DataFrame:
    """An OPD's activities in a quarter: the active ones first, then merged originals.

    ``search`` keeps the activities whose code or name contains it (any case); ``limit`` and
    ``offset`` give one page of them. ``total_rows`` on every row counts all that match, so a
    page needs no second query to say how many there are.
    """
    needle = search.strip().lower()
    return frame(
        warehouse,
        f"""
        select
            activity_code, activity_name, kecamatan_name, is_active, merged_into_code, pagu_rp,
            absorption_pct, physical_to_date_pct, indicator_name, indicator_target,
            indicator_actual, achievement_pct, band, open_recommendations,
            count(*) over () as total_rows
        from marts.activity_quarter
        where quarter = ? and opd_code = ?
            and (? = '' or contains(lower(activity_code), ?)
                or contains(lower(activity_name), ?))
        order by is_active desc, activity_code
        {"limit ? offset ?" if limit is not None else ""}
        """,
        quarter,
        opd_code,
        needle,
        needle,
        needle,
        *((limit, offset) if limit is not None else ()),
    )


def opd_activity(
    warehouse: Warehouse, quarter: str, opd_code: str, activity_code: str
) -> pd.DataFrame:
    """One activity of an OPD in a quarter (no row when it is not one of the OPD's)."""
    return frame(
        warehouse,
        """
        select
            activity_code, activity_name, pagu_rp, absorption_pct, achievement_pct, band,
            drivers, obstacles
        from marts.activity_quarter
        where quarter = ? and opd_code = ? and activity_code = ?
        limit 1
        """,
        quarter,
        opd_code,
        activity_code,
    )


def activity_history(warehouse: Warehouse, activity_code: str) -> pd.DataFrame:
    """Every event of one activity, oldest first: who recorded what, when, and the fields.

    ``events.event_log`` gives the envelope of every event; each event's own fields are in its
    typed table (``events.<event_table>``), read here for the positions found and turned into
    one JSON object per event, so the history needs no per-type SQL. All of it is read over one
    connection and cached as one result.
    """
    return _activity_history(warehouse.path, warehouse.key, activity_code).copy()


@st.cache_data(show_spinner=False, max_entries=500)
def _activity_history(path: str, key: tuple[int, int, int], activity_code: str) -> pd.DataFrame:
    del key
    with _connect(path) as connection:
        try:
            log = connection.execute(
                """
                select
                    log.position, log.event_type, log.event_table, log.aggregate_version,
                    log.recorded_at, log.actor_user, log.actor_role, log.actor_opd
                from events.event_log as log
                where log.aggregate_id = (
                    select aggregate_id from events.activity_registered where code = ? limit 1
                )
                order by log.position
                """,
                [activity_code],
            ).df()
            if not len(log):
                return log.drop(columns=["event_table"]).assign(details=pd.Series(dtype="object"))
            details: dict[int, dict[str, Any]] = {}
            for table in sorted(set(log["event_table"])):
                positions = [int(p) for p in log.loc[log["event_table"] == table, "position"]]
                rows = connection.execute(
                    f"""
                    select * exclude (aggregate_id, aggregate_version, recorded_at, actor_user,
                        actor_role, actor_opd)
                    from events."{table.replace('"', '""')}"
                    where position in ({_in_list(positions)})
                    """,
                    positions,
                ).df()
                for record in rows.to_dict("records"):
                    position = int(record.pop("position"))
                    details[position] = {k: v for k, v in record.items() if _present(v)}
        except duckdb.Error as error:
            raise WarehouseError(str(error).splitlines()[0]) from None
    log["details"] = [details.get(int(p), {}) for p in log["position"]]
    return log.drop(columns=["event_table"])


def _present(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, float | int | str | bool):
        return not (isinstance(value, float) and value != value) and value != ""
    try:
        return len(value) > 0
    except TypeError:
        return not pd.isna(value)


# -- Disparitas wilayah ---------------------------------------------------------------------


def disparity(warehouse: Warehouse) -> pd.DataFrame:
    """East vs rest and the inequality indices, every quarter on record."""
    return frame(warehouse, chart_data.DISPARITY)


def kecamatan_map(warehouse: Warehouse, quarter: str) -> pd.DataFrame:
    """The measures the disparity map can show, per kecamatan (the report reads the same)."""
    return frame(warehouse, chart_data.KECAMATAN_MAP, quarter, quarter)


def kecamatan(warehouse: Warehouse, quarter: str) -> pd.DataFrame:
    return frame(
        warehouse,
        """
        select
            kecamatan_code, kecamatan_name, is_east, service_region_name, activity_count,
            pagu_rp, financial_realisation_rp, absorption_pct, population, is_population_demo,
            pagu_per_capita_rp, mentor_count, umkm_assisted, umkm_target
        from marts.kecamatan_quarter
        where quarter = ?
        order by is_east desc, kecamatan_name
        """,
        quarter,
    )


# -- Rekomendasi ----------------------------------------------------------------------------


def recommendations(warehouse: Warehouse, quarter: str) -> pd.DataFrame:
    """Recommendations issued up to a quarter, with their status *at that quarter*.

    The mart states the status at the latest quarter on record; reading an older quarter, a
    recommendation done later is still open there, and overdue once its due quarter passed.
    Quarter codes (``2017-Q2``) compare in time order as text.
    """
    return frame(
        warehouse,
        """
        select
            recommendation_code, opd_code, opd_name, recommendation_text, activity_code,
            problem_code, issued_quarter, due_quarter, last_follow_up_quarter, last_progress,
            follow_up_count, done_quarter,
            coalesce(done_quarter <= ?, false) as is_done_then,
            case
                when coalesce(done_quarter <= ?, false) then 'done'
                when due_quarter < ? then 'overdue'
                else 'open'
            end as status_then
        from marts.recommendations
        where issued_quarter <= ?
        order by opd_code, issued_quarter, recommendation_code
        """,
        quarter,
        quarter,
        quarter,
        quarter,
    )


def recommendations_per_opd(warehouse: Warehouse, quarter: str) -> pd.DataFrame:
    """Open, overdue and done per OPD at the end of a quarter, as ``opd_quarter`` counts them."""
    return frame(
        warehouse,
        """
        select opd_code, opd_name, recommendations_open, recommendations_overdue,
            recommendations_done
        from marts.opd_quarter
        where quarter = ?
        order by recommendations_overdue desc, recommendations_open desc, opd_code
        """,
        quarter,
    )


# -- Satrya Emas ----------------------------------------------------------------------------


def mentor_coverage(warehouse: Warehouse, quarter: str) -> pd.DataFrame:
    return frame(warehouse, chart_data.MENTOR_COVERAGE, quarter)


def mentors(warehouse: Warehouse, quarter: str) -> pd.DataFrame:
    return frame(
        warehouse,
        """
        select
            mentor_code, mentor_name, mentor_kind, recruited_by_opd_code, kecamatan_count,
            array_to_string(kecamatan_codes, ', ') as kecamatan_codes, is_dobel,
            has_evaluation, commitment_score, reports_submitted, umkm_assisted, umkm_target,
            umkm_achievement_pct, permits_facilitated, evaluation_notes
        from marts.mentor_quarter
        where quarter = ?
        order by mentor_code
        """,
        quarter,
    )


# -- Sinergi --------------------------------------------------------------------------------


def joint_activities(warehouse: Warehouse) -> pd.DataFrame:
    return frame(
        warehouse,
        """
        select
            joint_activity_code, joint_activity_name, fiscal_year, lead_opd_code,
            array_to_string(merged_activity_codes, ', ') as merged_activity_codes,
            array_to_string(participating_opd_codes, ', ') as participating_opd_codes,
            merged_activity_count, combined_pagu_rp, pagu_rp, merged_from_quarter,
            array_to_string(problem_codes, ', ') as problem_codes, latest_quarter,
            financial_realisation_rp, absorption_pct, indicator_target, indicator_actual,
            achievement_pct, band, band_en
        from marts.joint_activities
        order by joint_activity_code
        """,
    )


def merged_originals(warehouse: Warehouse) -> pd.DataFrame:
    """The activities closed by a merge, with what they did before it (their last row)."""
    return frame(
        warehouse,
        """
        select
            merged_into_code, activity_code, activity_name, opd_code, pagu_rp,
            financial_realisation_rp, achievement_pct, band, band_en
        from marts.activity_quarter
        where merged_into_code is not null and is_active
        qualify row_number() over (partition by activity_code order by quarter desc) = 1
        order by merged_into_code, activity_code
        """,
    )


def problems(warehouse: Warehouse, quarter: str) -> pd.DataFrame:
    return frame(
        warehouse,
        """
        select
            problem_code, problem_title, problem_category, kecamatan_name, activity_count,
            opd_count, pagu_rp, array_to_string(activity_codes, ', ') as activity_codes,
            is_unaddressed
        from marts.problem_quarter
        where quarter = ?
        order by is_unaddressed desc, problem_code
        """,
        quarter,
    )


def merge_candidates(warehouse: Warehouse) -> pd.DataFrame:
    """Suggested merges first, then the groups already merged (``marts.merge_candidates``)."""
    return frame(
        warehouse,
        """
        select
            candidate_key, reason, fiscal_year, problem_code, problem_category,
            kecamatan_code, array_to_string(problem_codes, ', ') as problem_codes,
            array_to_string(activity_codes, ', ') as activity_codes,
            array_to_string(opd_codes, ', ') as opd_codes, activity_count, opd_count,
            combined_pagu_rp, is_already_merged, merged_into_code
        from marts.merge_candidates
        order by is_already_merged, fiscal_year desc, combined_pagu_rp desc, candidate_key
        """,
    )


# -- choices for the Input page's forms ------------------------------------------------------


def opds(warehouse: Warehouse) -> pd.DataFrame:
    return frame(
        warehouse,
        """
        select opd_code, any_value(opd_name) as opd_name
        from marts.opd_quarter
        group by opd_code
        order by opd_code
        """,
    )


def activities_of(
    warehouse: Warehouse, opd_codes: tuple[str, ...], fiscal_year: int
) -> pd.DataFrame:
    """Activities of these OPDs in one fiscal year, each with its latest row."""
    if not opd_codes:
        return pd.DataFrame(
            columns=["activity_code", "activity_name", "opd_code", "merged_into_code"]
        )
    return frame(
        warehouse,
        f"""
        select activity_code, activity_name, opd_code, fiscal_year, is_joint, merged_into_code
        from marts.activity_quarter
        where fiscal_year = ? and opd_code in ({_in_list(opd_codes)})
        qualify row_number() over (partition by activity_code order by quarter desc) = 1
        order by activity_code
        """,
        fiscal_year,
        *opd_codes,
    )


def open_recommendations_of(warehouse: Warehouse, opd_codes: tuple[str, ...]) -> pd.DataFrame:
    if not opd_codes:
        return pd.DataFrame(columns=["recommendation_code", "recommendation_text", "opd_code"])
    return frame(
        warehouse,
        f"""
        select recommendation_code, recommendation_text, opd_code, due_quarter, status
        from marts.recommendations
        where not is_done and opd_code in ({_in_list(opd_codes)})
        order by recommendation_code
        """,
        *opd_codes,
    )


def mentor_codes(warehouse: Warehouse) -> pd.DataFrame:
    return frame(
        warehouse,
        """
        select mentor_code, any_value(mentor_name) as mentor_name
        from marts.mentor_quarter
        group by mentor_code
        order by mentor_code
        """,
    )


def program_codes(warehouse: Warehouse, opd_codes: tuple[str, ...]) -> tuple[str, ...]:
    if not opd_codes:
        return ()
    return tuple(
        str(code)
        for code in _scalar_list(
            warehouse,
            f"""
            select distinct program_code from marts.activity_quarter
            where opd_code in ({_in_list(opd_codes)})
            order by program_code
            """,
            *opd_codes,
        )
    )


# -- Unduh ----------------------------------------------------------------------------------


MARTS = (
    "activity_quarter",
    "opd_quarter",
    "kecamatan_quarter",
    "disparity_quarter",
    "mentor_coverage_quarter",
    "mentor_quarter",
    "problem_quarter",
    "recommendations",
    "joint_activities",
)


@st.cache_data(show_spinner=False, max_entries=200)
def _mart_csv(path: str, key: tuple[int, int, int], mart: str, quarter: str) -> bytes:
    from apps.spreadsheets.export import mart_bytes

    del key
    with _connect(path) as connection:
        return mart_bytes(connection, mart, quarter, "csv")


def mart_csv(warehouse: Warehouse, mart: str, quarter: str) -> bytes:
    """A mart's rows of one quarter as CSV (whole when it has no quarter column)."""
    return _mart_csv(warehouse.path, warehouse.key, mart, quarter)


@st.cache_data(show_spinner=False, max_entries=200)
def _evaluation_form(path: str, key: tuple[int, int, int], opd_code: str, quarter: str) -> bytes:
    from apps.spreadsheets.export import evaluation_form_bytes

    del key
    with _connect(path) as connection:
        return evaluation_form_bytes(connection, opd_code, quarter)


def evaluation_form(warehouse: Warehouse, opd_code: str, quarter: str) -> bytes:
    """The Permendagri 86 evaluation form (XLSX) of one OPD and quarter, built by the export."""
    return _evaluation_form(warehouse.path, warehouse.key, opd_code, quarter)


@st.cache_data(show_spinner=False, max_entries=50)
def _rakor_report(path: str, key: tuple[int, int, int], quarter: str, kind: str) -> bytes:
    from apps.report import read_report, write_report

    del key
    with _LOCK:  # one connection to the path at a time, as for every query here
        report = read_report(Path(path), quarter)
    return write_report(report, kind)[1]  # type: ignore[arg-type]


def rakor_report(warehouse: Warehouse, quarter: str, kind: str) -> bytes:
    """The rakor report (PDF or DOCX) of a quarter, built from this publish of the warehouse."""
    return _rakor_report(warehouse.path, warehouse.key, quarter, kind)


def mart_row_counts(warehouse: Warehouse, quarter: str) -> dict[str, int]:
    """Rows each download will hold, so the page can say so before anyone clicks."""
    parts = [
        f"select '{mart}' as mart, count(*) as n from marts.{mart}"
        + (" where quarter = ?" if mart.endswith("_quarter") else "")
        for mart in MARTS
    ]
    params = [quarter for mart in MARTS if mart.endswith("_quarter")]
    result = frame(warehouse, " union all ".join(parts), *params)
    return {str(r["mart"]): int(r["n"]) for r in result.to_dict("records")}
