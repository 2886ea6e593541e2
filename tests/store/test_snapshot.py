"""The network as of a date in the graph database: on FalkorDB and on Neo4j, the days a load
stores (starts_on, ends_on) and the shipped queries network_as_of and measures_in_force give
exactly what `Dataset.as_of` keeps, and a pull gives the dataset back without them.

The fixture (tests/fixtures/dated) dates records by a day, a month and a year: a measure in
force from 2017-08-05 until 2019-12, one from 2016-07, one from 2015 until 2016-03-15, an
undated one; a relation from 2018, one from 2014 until 2017-06, an organisation that ends in
2018-06 (and with it the relation it estimates by), and undated ones.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from pathlib import Path

import pytest

from labournet.errors import QueryError, SchemaError
from labournet.io.folder import load_dataset
from labournet.model.dataset import Dataset, Entity, Relation
from labournet.model.dates import parse_date
from labournet.model.schema import read_schema_text
from labournet.store import Store

DATED = Path(__file__).parents[1] / "fixtures" / "dated"
DATES = (
    "2010",
    "2015",
    "2016-03",
    "2016-03-15",
    "2016-07",
    "2017-08-04",
    "2017-08-05",
    "2017-08",
    "2018-06",
    "2018",
    "2019-12",
    "2019-12-31",
    "2020-01-01",
    "2020",
)
"""Years, months and days, before, on and after the fixture's starts and ends."""


@pytest.fixture(scope="module")
def dated() -> Dataset:
    return load_dataset(DATED)


@pytest.fixture
def loaded(store: Store, dated: Dataset) -> Store:
    store.load(dated)
    return store


def _ids(items: Iterable[Entity | Relation]) -> list[str]:
    return sorted(item.id for item in items)


def _first(value: str | None) -> str | None:
    return parse_date(value).first_day.isoformat() if value else None


def _last(value: str | None) -> str | None:
    return parse_date(value).last_day.isoformat() if value else None


def test_the_fixture_meets_every_case_of_the_rule(dated: Dataset) -> None:
    """By hand, so that the comparisons below compare snapshots that differ."""

    def has(date: str, item: str) -> bool:
        snapshot = dated.as_of(date)
        return item in {r.id for r in (*snapshot.entities, *snapshot.relations)}

    assert not has("2017-08-04", "m-visa") and has("2017-08-05", "m-visa")  # dated by a day
    assert has("2019-12", "m-visa") and has("2019-12-31", "m-visa")  # ends with its month
    assert not has("2020-01-01", "m-visa") and not has("2020", "m-visa")
    assert not has("2016-06", "m-permit") and has("2016-07-01", "m-permit")  # from a month
    assert has("2015", "m-old") and has("2016-03-15", "m-old") and not has("2016-03", "m-old")
    assert not has("2017-07", "r-mt-takes-visa") and has("2017-08-05", "r-mt-takes-visa")
    assert not has("2017-12-31", "r-send-cn") and has("2018-01-01", "r-send-cn")  # a year
    assert has("2018-06", "r-dbc-estimates") and not has("2018", "r-dbc-estimates")  # its end
    assert all(has(date, "m-ban") and has(date, "r-ban-targets-cn") for date in DATES)
    assert len({tuple(_ids(dated.as_of(date).relations)) for date in DATES}) >= 8


def test_the_load_stores_the_days_each_record_starts_and_ends_on(
    loaded: Store, dated: Dataset
) -> None:
    stored = loaded.run(
        "MATCH (n:Entity) RETURN n.id AS id, n.starts_on AS starts_on, n.ends_on AS ends_on "
        "UNION ALL MATCH (:Entity)-[r]->(:Entity) WHERE r.kind IS NOT NULL "
        "RETURN r.id AS id, r.starts_on AS starts_on, r.ends_on AS ends_on"
    ).rows
    expected = [
        [item.id, _first(item.properties.get("valid_from") or item.properties.get("date")),
         _last(item.properties.get("valid_until"))]
        for item in (*dated.entities, *dated.relations)
    ]  # fmt: skip
    assert sorted(stored) == sorted(expected)
    by_id = {row[0]: row[1:] for row in stored}
    assert by_id["m-visa"] == ["2017-08-05", "2019-12-31"]
    assert by_id["r-send-cn"] == ["2018-01-01", None]
    assert by_id["m-ban"] == [None, None]


def test_network_as_of_holds_what_the_snapshot_keeps(loaded: Store, dated: Dataset) -> None:
    for date in DATES:
        snapshot = dated.as_of(date)
        table = loaded.query("network_as_of", date=date)
        entities = table[table["element"] == "entity"]
        relations = table[table["element"] == "relation"].set_index("id")
        assert sorted(entities["id"]) == _ids(snapshot.entities), date
        assert sorted(relations.index) == _ids(snapshot.relations), date
        for relation in snapshot.relations:
            row = relations.loc[relation.id]
            assert (row["kind"], row["source"], row["target"]) == (
                relation.kind,
                relation.source,
                relation.target,
            ), date
        kinds = dict(zip(entities["id"], entities["kind"], strict=True))
        assert kinds == {e.id: e.kind for e in snapshot.entities}, date
        assert list(table["element"]) == sorted(table["element"])  # entities, then relations


def test_measures_in_force_are_the_snapshots_measures(loaded: Store, dated: Dataset) -> None:
    for date in DATES:
        snapshot = dated.as_of(date)
        found = loaded.run("measures_in_force", {"date": date}).records()
        rows = {row["measure"]: row for row in found}
        measures = [e for e in snapshot.entities if e.kind == "measure"]
        assert sorted(rows) == _ids(measures), date
        for measure in measures:
            row = rows[measure.id]
            takes = [
                r
                for r in snapshot.relations
                if r.kind == "takes_measure" and r.target == measure.id
            ]
            aims = [r for r in snapshot.relations if r.kind == "targets" and r.source == measure.id]
            assert sorted(row["taken_by"]) == sorted(r.source for r in takes), (date, measure.id)
            assert sorted(row["targets"]) == sorted(r.target for r in aims), (date, measure.id)
            assert sorted(row["relations"]) == _ids(takes + aims), (date, measure.id)
            for name in ("date", "valid_from", "valid_until", "instrument"):
                assert row[name] == (measure.properties.get(name) or None), (date, name)
            start = measure.properties.get("valid_from") or measure.properties.get("date")
            assert row["starts_on"] == _first(start)
            assert row["ends_on"] == _last(measure.properties.get("valid_until"))


def test_a_date_may_be_a_year_a_month_or_a_day_in_python(loaded: Store) -> None:
    def ids(date: object) -> list[str]:
        return list(loaded.query("network_as_of", date=date)["id"])

    assert ids(2018) == ids("2018") == ids("2018-12-31") == ids(datetime.date(2018, 12, 31))
    assert ids("2018-06") == ids("2018-06-30") != ids("2018")
    with pytest.raises(QueryError, match=r"network_as_of.cypher: parameter date: '2018-02-30'"):
        loaded.query("network_as_of", date="2018-02-30")
    with pytest.raises(QueryError, match="missing parameter date"):
        loaded.query("measures_in_force")


def test_the_command_line_takes_a_year_or_a_month(
    loaded: Store, store_uri: str, dated: Dataset
) -> None:
    from test_db_cli import invoke

    for date in ("2017", "2017-08", "2017-08-05"):
        result = invoke(
            "query", "network_as_of", "-u", store_uri, "-p", f"date={date}", "-f", "json"
        )
        assert result.exit_code == 0, result.output
        snapshot = dated.as_of(date)
        assert sorted(row["id"] for row in json.loads(result.output)) == sorted(
            _ids(snapshot.entities) + _ids(snapshot.relations)
        )
    result = invoke("query", "measures_in_force", "--uri", store_uri, "-p", "date=2020")
    assert result.exit_code == 0, result.output
    assert "m-permit" in result.output and "m-visa" not in result.output


@pytest.mark.parametrize("bad", ["2019-13", "2019-02-29", "soon", "19", "", "null"])
def test_a_bad_date_on_the_command_line_is_one_line_and_exit_2(bad: str) -> None:
    from test_db_cli import invoke

    # checked before any server is reached: this port has none
    result = invoke("query", "network_as_of", "-u", "falkordb://127.0.0.1:9/x", "-p", f"date={bad}")
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert "network_as_of.cypher: parameter date:" in lines[0]
    assert "Traceback" not in result.output


def test_a_pull_gives_the_dated_dataset_back_without_the_stored_days(
    loaded: Store, dated: Dataset, tmp_path: Path, store_uri: str
) -> None:
    from test_db_cli import invoke

    from labournet.model.dataset import FILES

    pulled = loaded.pull()
    assert pulled == dated
    for item in (*pulled.entities, *pulled.relations):
        assert not {"starts_on", "ends_on"} & set(item.properties), item.id
    result = invoke("pull", "--uri", store_uri, "-o", str(tmp_path / "pulled"))
    assert result.exit_code == 0, result.output
    for name in FILES:
        assert (tmp_path / "pulled" / name).read_bytes() == (DATED / name).read_bytes(), name


def test_a_schema_cannot_declare_the_stored_days() -> None:
    for name in ("starts_on", "ends_on"):
        text = (
            "entities:\n  thing:\n    label: Thing\n    properties: [" + name + "]\n"
            "relations:\n  near:\n    type: NEAR\n    source: [thing]\n    target: [thing]\n"
            "measures:\n  count:\n    unit: items\n"
        )
        with pytest.raises(SchemaError, match=f"'{name}' is a name labournet uses itself"):
            read_schema_text(text, "schema.yaml")
