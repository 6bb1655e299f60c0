"""The dbt project keeps its promises to analysts, read from its files without running dbt.

The marts are a public interface (names, schema `marts`, typed and described columns), every
model states its grain, nothing is fetched from dbt's hub, and the reference data says what is
official and what is only a default or a demo value.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
PROJECT = ROOT / "dbt_project"
MODELS = PROJECT / "models"
SEEDS = PROJECT / "seeds"
MARTS = (
    "activity_quarter",
    "opd_quarter",
    "kecamatan_quarter",
    "disparity_quarter",
    "mentor_coverage_quarter",
    "mentor_quarter",
    "recommendations",
    "joint_activities",
    "problem_quarter",
    "lineage",  # "Jejak data": the events behind the figures (issue 14)
)
DUCKDB_TYPES = {"varchar", "bigint", "integer", "double", "boolean", "date", "varchar[]"}
DUCKDB_TYPES |= {"timestamp with time zone"}


def load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text("utf-8"))


def model_properties() -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for path in MODELS.rglob("*.yml"):
        for model in load(path).get("models", []):
            found[model["name"]] = {**model, "_file": path}
    return found


def test_the_project_sends_no_usage_statistics_and_needs_no_hub_package() -> None:
    project = load(PROJECT / "dbt_project.yml")
    assert project["flags"]["send_anonymous_usage_stats"] is False
    assert project["profile"] == "monev"
    assert not (PROJECT / "packages.yml").exists()
    assert not (PROJECT / "dependencies.yml").exists()


def test_the_profile_reads_the_database_path_from_the_environment() -> None:
    profile = load(PROJECT / "profiles.yml")["monev"]
    output = profile["outputs"][profile["target"]]
    assert output["type"] == "duckdb"
    assert output["path"] == "{{ env_var('MONEV_DUCKDB_PATH') }}"


@pytest.mark.parametrize("mart", MARTS)
def test_each_mart_has_an_enforced_contract_and_described_typed_columns(mart: str) -> None:
    assert (MODELS / "marts" / f"{mart}.sql").is_file()
    properties = model_properties()[mart]
    assert properties["_file"].parent == MODELS / "marts"
    assert properties["config"]["contract"]["enforced"] is True
    assert properties["description"].strip().startswith("One row per")
    assert properties["columns"]
    for column in properties["columns"]:
        assert column.get("description", "").strip(), f"{mart}.{column['name']}"
        assert column.get("data_type") in DUCKDB_TYPES, f"{mart}.{column['name']}"


def test_the_marts_are_built_in_schema_marts_as_tables() -> None:
    marts = load(PROJECT / "dbt_project.yml")["models"]["monev"]["marts"]
    assert marts["+schema"] == "marts"
    assert marts["+materialized"] == "table"
    assert marts["+contract"]["enforced"] is True
    macro = (PROJECT / "macros" / "generate_schema_name.sql").read_text("utf-8")
    assert "custom_schema_name | trim" in macro  # used as it is, not prefixed


def test_every_model_has_properties_beside_it_stating_its_grain() -> None:
    properties = model_properties()
    for sql in MODELS.rglob("*.sql"):
        model = properties.get(sql.stem)
        assert model is not None, f"{sql.stem} has no properties"
        assert model["_file"] == sql.with_suffix(".yml")
        assert "one row per" in model["description"].lower(), sql.stem


def test_the_kecamatan_seed_is_the_domain_reference_list_itself() -> None:
    project = load(PROJECT / "dbt_project.yml")
    assert "../domain/reference" in project["seed-paths"]
    assert not (SEEDS / "kecamatan_pasuruan.csv").exists()


def seed(name: str) -> list[dict[str, str]]:
    with (SEEDS / f"{name}.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_east_is_the_default_from_local_press() -> None:
    names = {row["kecamatan_name"] for row in seed("east_kecamatan")}
    assert names == {"Nguling", "Grati", "Lekok", "Rejoso", "Winongan", "Lumbang"}
    assert "EDITABLE DEFAULT" in (SEEDS / "_editable_seeds.yml").read_text("utf-8")
    assert "ILLUSTRATIVE" in (SEEDS / "_reference_seeds.yml").read_text("utf-8")


def test_the_default_service_regions_group_all_24_kecamatan_into_six() -> None:
    rows = seed("service_regions_default")
    assert len({row["kecamatan_code"] for row in rows}) == len(rows) == 24
    assert len({row["service_region_code"] for row in rows}) == 6


def test_the_bands_are_those_of_permendagri_86_2017() -> None:
    bands = {row["band"]: (row["min_achievement_pct"], row["max_achievement_pct"]) for row in
             seed("performance_bands")}  # fmt: skip
    assert bands == {
        "Sangat Tinggi": ("91", ""),
        "Tinggi": ("76", "91"),
        "Sedang": ("66", "76"),
        "Rendah": ("51", "66"),
        "Sangat Rendah": ("", "51"),
    }


def test_population_is_empty_unless_entered_and_demo_figures_say_so() -> None:
    assert seed("kecamatan_population") == []
    demo = seed("population_demo")
    assert len(demo) == 24
    assert {row["is_demo"] for row in demo} == {"true"}
    # An illustrative split of the regency total (Kepmendagri 2025), not invented totals.
    assert sum(int(row["population"]) for row in demo) == 1_665_922


def test_every_staging_model_is_in_the_test_of_event_positions() -> None:
    staging = {path.stem for path in (MODELS / "staging").rglob("stg_*.sql")}
    test = (PROJECT / "tests" / "assert_event_positions_are_unique.sql").read_text("utf-8")
    assert staging
    assert {name for name in staging if f"ref('{name}')" in test} == staging


def test_marts_are_public_and_everything_before_them_private_to_one_owned_group() -> None:
    project = load(PROJECT / "dbt_project.yml")["models"]["monev"]
    assert project["+group"] == "monev_warehouse"
    assert project["marts"]["+access"] == "public"
    assert project["staging"]["+access"] == "private"
    assert project["intermediate"]["+access"] == "private"
    [group] = load(MODELS / "_groups.yml")["groups"]
    assert group["name"] == "monev_warehouse" and group["owner"]["name"].strip()


def test_every_mart_the_code_reads_is_in_an_exposure() -> None:
    read: set[str] = set()
    for path in (ROOT / "apps").rglob("*.py"):
        read |= set(re.findall(r"marts\.([a-z_]+)", path.read_text("utf-8")))
    exposures = {e["name"]: e for e in load(MODELS / "exposures.yml")["exposures"]}
    assert {"dashboard", "evaluation_report", "mart_exports"} <= set(exposures)
    exposed = {
        ref.removeprefix("ref('").removesuffix("')")
        for exposure in exposures.values()
        for ref in exposure["depends_on"]
    }
    marts = {sql.stem for sql in (MODELS / "marts").glob("*.sql")}
    assert read <= exposed
    assert exposed <= marts
    # Every mart can be exported (`monev export mart`), so every one is an export's input.
    assert {
        ref.removeprefix("ref('").removesuffix("')")
        for ref in exposures["mart_exports"]["depends_on"]
    } == marts


def test_every_macro_is_documented() -> None:
    documented = {m["name"] for m in load(PROJECT / "macros" / "_macros.yml")["macros"]}
    defined: set[str] = set()
    for path in (PROJECT / "macros").glob("*.sql"):
        defined |= set(re.findall(r"{%-?\s*macro\s+(\w+)", path.read_text("utf-8")))
    for path in (PROJECT / "tests" / "generic").glob("*.sql"):
        defined |= {f"test_{n}" for n in re.findall(r"{%-?\s*test\s+(\w+)", path.read_text())}
    assert defined == documented
