"""A build plan: the SQL dbt compiled for this project, kept to run again without dbt.

A refresh of the demo store spent about 10 s in dbt (importing it, parsing the project, then
some 40 ms of dbt's Python per node) for queries that run in milliseconds. The SQL of this
project does not depend on the rows it reads (macros/incremental.sql reads the stamp's position
when the query runs, not when dbt compiles), so what dbt compiles for one database holds for
every database of the same event tables, project and variables. The first refresh of such a
combination has dbt build an empty *template* of it (``dbt build``, the real one, with every
contract and test) and compile its incremental models for an incremental run; the plan keeps:

- every node of the build in dependency order, with its parents (models, seeds, sources),
  its kind (seed, view, table, incremental, ephemeral, test, operation) and dbt's compiled SQL
  (and an incremental model's SQL for an incremental run, and its unique key);
- each relation's DDL as dbt left it in the template (contracts' types and constraints, the
  documentation persisted as comments), so a table built from the plan is the table dbt makes;
- the template itself, from which the seeds' rows are copied.

``projections.plan_execution`` runs a plan on a candidate. A plan is found by its key: the
project's digest (files, variables, dbt version: ``dbt_build.project_digest``), the event tables'
columns, and the code that makes and runs plans. Not the database's file name, though
dbt-duckdb names the catalog after it and the compiled SQL names the catalog: a plan runs on a
database attached under the template's catalog name (``BuildPlan.catalog``), whatever its file
is called. Anything else is a new plan; dbt is the check that a plan is right
(tests/integration/test_build_plan.py compares a plan's warehouse with dbt's own build, table by
table, full and incremental).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from functools import cache
from pathlib import Path

import duckdb

from projections.schema import literal, quote

# The format of plan.json; the key also covers the code that makes and runs plans.
PLAN_VERSION = 1
PLAN_FILE = "plan.json"
# Plans kept per directory; older ones are removed when a new one is saved.
KEEP_PLANS = 8

KINDS = frozenset({"seed", "view", "table", "incremental", "ephemeral", "test", "operation"})
# Relations a plan builds; the others are DuckDB's or the projection's.
NOT_BUILT_SCHEMAS = frozenset({"events", "main", "projection", "information_schema", "pg_catalog"})


class PlanError(RuntimeError):
    """A plan could not be made or does not fit the database it was meant for."""


@dataclass(frozen=True)
class DataTest:
    """How a dbt data test's rows decide it (dbt's own defaults unless the test sets them)."""

    severity: str = "error"
    fail_calc: str = "count(*)"
    warn_if: str = "!= 0"
    error_if: str = "!= 0"
    limit: int | None = None


@dataclass(frozen=True)
class PlanNode:
    unique_id: str
    kind: str
    # Nodes and sources this one reads (dbt's depends_on), by unique id.
    parents: tuple[str, ...]
    # The relation it builds (seeds, views, tables), else None.
    schema: str | None = None
    name: str | None = None
    # The relation's DDL in the template: CREATE TABLE/VIEW, then its COMMENTs.
    create: tuple[str, ...] = ()
    # dbt's compiled SQL: a model's select, a test's failing rows, an operation's statement.
    sql: str | None = None
    # An incremental model: its select for an incremental run, and the key it replaces rows by.
    incremental_sql: str | None = None
    unique_key: tuple[str, ...] = ()
    test: DataTest | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise PlanError(f"{self.unique_id}: unknown kind {self.kind!r}")

    @property
    def relation(self) -> str:
        """``"schema"."name"``, quoted for SQL."""
        assert self.schema is not None and self.name is not None, self.unique_id
        return f"{quote(self.schema)}.{quote(self.name)}"


@dataclass(frozen=True)
class BuildPlan:
    key: str
    # In dependency order: every node after the nodes it reads.
    nodes: tuple[PlanNode, ...]
    # Source unique id -> the event table it names ("source.monev.events.rakor_held" -> ...).
    sources: dict[str, str] = field(default_factory=dict)
    # The directory holding plan.json and the template database.
    directory: Path | None = None
    template_name: str = ""

    @property
    def template(self) -> Path:
        assert self.directory is not None
        return self.directory / self.template_name

    @property
    def catalog(self) -> str:
        """The catalog name dbt compiled against (DuckDB names a file's catalog after it)."""
        return Path(self.template_name).stem

    def downstream_of(self, tables: Iterable[str]) -> set[str]:
        """Every node the rows of these event tables reach (what dbt selects as
        ``source:events.<table>+``), tests included."""
        reached = {source for source, table in self.sources.items() if table in set(tables)}
        for node in self.nodes:  # dependency order: parents are decided before children
            if any(parent in reached for parent in node.parents):
                reached.add(node.unique_id)
        return {node.unique_id for node in self.nodes} & reached

    # -- storage -------------------------------------------------------------------------------

    def to_json(self) -> str:
        document = {
            "version": PLAN_VERSION,
            "key": self.key,
            "template": self.template_name,
            "sources": self.sources,
            "nodes": [asdict(node) for node in self.nodes],
        }
        return json.dumps(document, indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str, directory: Path) -> BuildPlan:
        document = json.loads(text)
        if document.get("version") != PLAN_VERSION:
            raise PlanError(f"plan format {document.get('version')}, expected {PLAN_VERSION}")
        nodes = []
        for raw in document["nodes"]:
            test = raw.pop("test")
            nodes.append(
                PlanNode(
                    **{
                        **raw,
                        "parents": tuple(raw["parents"]),
                        "create": tuple(raw["create"]),
                        "unique_key": tuple(raw["unique_key"]),
                    },
                    test=None if test is None else DataTest(**test),
                )
            )
        return cls(
            key=document["key"],
            nodes=tuple(nodes),
            sources=dict(document["sources"]),
            directory=directory,
            template_name=document["template"],
        )


def plan_key(project_digest: str, database: Path) -> str:
    """The key of the plan for building ``database``: a candidate, stamped, its event tables
    filled. What dbt reads of it besides the rows: the event tables' columns, and whether the
    stamp has ``incremental_from`` (macros/incremental.sql)."""
    with duckdb.connect(str(database), read_only=True) as con:
        columns = con.execute(
            """SELECT table_name, column_name, data_type, is_nullable
               FROM duckdb_columns()
               WHERE database_name = current_database()
                 AND (schema_name = 'events'
                      OR (schema_name = 'main' AND table_name = 'warehouse_meta'
                          AND column_name = 'incremental_from'))
               ORDER BY schema_name, table_name, column_index"""
        ).fetchall()
    document = [PLAN_VERSION, _code_digest(), project_digest, columns]
    return hashlib.sha256(json.dumps(document, default=str).encode()).hexdigest()[:32]


@cache
def _code_digest() -> str:
    """The code that makes and runs plans: a plan made by other code is made again."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for name in ("build_plan.py", "plan_compiler.py", "plan_execution.py", "dbt_build.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


def find(key: str, roots: Iterable[Path]) -> BuildPlan | None:
    """The plan saved under this key in the first of ``roots`` that has it, else None."""
    for root in roots:
        directory = root / key
        try:
            text = (directory / PLAN_FILE).read_text(encoding="utf-8")
            plan = BuildPlan.from_json(text, directory)
        except (OSError, ValueError, KeyError, TypeError, PlanError):
            continue
        if plan.key == key and plan.template.is_file():
            return plan
    return None


def save(plan: BuildPlan, made_in: Path, roots: Iterable[Path]) -> BuildPlan:
    """Moves the plan made in ``made_in`` (its plan.json written here, its template already
    there) to the first root that can take it, as a whole directory renamed into place, so a
    reader finds a complete plan or none. Returns the plan as found there."""
    (made_in / PLAN_FILE).write_text(plan.to_json(), encoding="utf-8")
    for root in roots:
        try:
            root.mkdir(parents=True, exist_ok=True)
            target = root / plan.key
            if not target.exists():
                staged = root / f".{plan.key}.{os.getpid()}"
                shutil.rmtree(staged, ignore_errors=True)
                shutil.copytree(made_in, staged)
                try:
                    os.rename(staged, target)
                except OSError:  # another process saved the same plan first
                    shutil.rmtree(staged, ignore_errors=True)
            _prune(root, keep=plan.key)
        except OSError:  # a read-only project directory: try the next root
            continue
        found = find(plan.key, [root])
        if found is not None:
            return found
    raise PlanError(f"no directory could keep the build plan (tried {list(roots)})")


def _prune(root: Path, keep: str) -> None:
    plans = sorted(
        (entry for entry in root.iterdir() if entry.is_dir() and not entry.name.startswith(".")),
        key=lambda entry: entry.stat().st_mtime,
        reverse=True,
    )
    for stale in [entry for entry in plans if entry.name != keep][KEEP_PLANS - 1 :]:
        shutil.rmtree(stale, ignore_errors=True)


def relation_ddl(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> tuple[str, ...]:
    """The DDL that makes this relation as it is in ``con``'s database: DuckDB's own CREATE
    statement (with the contract's types and constraints) and the comments on it."""
    found = con.execute(
        """SELECT sql, comment FROM duckdb_tables()
           WHERE database_name = current_database() AND schema_name = ? AND table_name = ?
           UNION ALL
           SELECT sql, comment FROM duckdb_views()
           WHERE database_name = current_database() AND schema_name = ? AND view_name = ?""",
        [schema, name, schema, name],
    ).fetchall()
    if len(found) != 1:
        raise PlanError(f"{schema}.{name} is not one table or view in the template")
    create, comment = found[0]
    relation = f"{quote(schema)}.{quote(name)}"
    kind = "VIEW" if create.lstrip().upper().startswith("CREATE VIEW") else "TABLE"
    statements = [create]
    if comment:
        statements.append(f"COMMENT ON {kind} {relation} IS {literal(comment)}")
    columns = con.execute(
        """SELECT column_name, comment FROM duckdb_columns()
           WHERE database_name = current_database() AND schema_name = ? AND table_name = ?
             AND comment IS NOT NULL
           ORDER BY column_index""",
        [schema, name],
    ).fetchall()
    for column, text in columns:
        statements.append(f"COMMENT ON COLUMN {relation}.{quote(column)} IS {literal(text)}")
    return tuple(statements)


def make_template(candidate: Path, template: Path) -> None:
    """An empty database with the candidate's event tables and stamp table, for dbt to build
    a plan's template in: what dbt reads of the candidate besides its rows."""
    template.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(candidate), read_only=True) as con:
        tables = con.execute(
            """SELECT schema_name, sql FROM duckdb_tables()
               WHERE database_name = current_database()
                 AND (schema_name = 'events'
                      OR (schema_name = 'main' AND table_name = 'warehouse_meta'))
               ORDER BY schema_name, table_name"""
        ).fetchall()
    with duckdb.connect(str(template)) as con:
        for schema in sorted({schema for schema, _ in tables}):
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {quote(schema)}")
        for _, create in tables:
            con.execute(create)


def complete(
    key: str, nodes: Iterable[PlanNode], sources: dict[str, str], template: Path
) -> BuildPlan:
    """The plan, with each relation's DDL read from the template dbt built."""
    finished = []
    with duckdb.connect(str(template), read_only=True) as con:
        for node in nodes:
            if node.schema is not None and node.name is not None:
                node = replace(node, create=relation_ddl(con, node.schema, node.name))
            finished.append(node)
    return BuildPlan(
        key=key,
        nodes=tuple(finished),
        sources=sources,
        directory=template.parent,
        template_name=template.name,
    )
