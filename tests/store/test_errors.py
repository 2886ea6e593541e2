"""Which error a store raises, and the exit code it becomes (no server: fake runners).

Adding the Cypher file's name to an error keeps its class: a `QueryError` stays the user's to
fix (exit 2), a `StoreConflict` a lost race, a `StoreError` the server's failure (exit 1).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from typer.testing import CliRunner

from labournet.cli import app
from labournet.dataset import Dataset
from labournet.errors import QueryError, StoreError
from labournet.store import Result, Store, StoreConflict


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


# -- the exit codes ----------------------------------------------------------------------------


def _invoke(monkeypatch: pytest.MonkeyPatch, runner: FailingRunner, *args: str) -> Any:
    def connect(uri: str | None = None, *, batch_size: int = 5000, **_: Any) -> Store:
        return Store(runner, batch_size=batch_size)

    monkeypatch.setattr("labournet.store.connect", connect)
    return CliRunner().invoke(app, ["db", *args], env={"COLUMNS": "200"})


@pytest.mark.parametrize(("cls", "code"), [(QueryError, 2), (StoreConflict, 1), (StoreError, 1)])
def test_a_query_error_exits_by_its_class(
    monkeypatch: pytest.MonkeyPatch, cls: type[StoreError], code: int
) -> None:
    result = _invoke(monkeypatch, FailingRunner(cls("said no")), "query", "MATCH (n) RETURN n")
    assert result.exit_code == code, result.output
    assert "<query>: said no" in result.output
