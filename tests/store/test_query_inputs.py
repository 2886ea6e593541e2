"""`labournet db query` refuses parameters the servers cannot take, and a write the server
refuses in a read-only query is the user's to fix (exit 2), never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from labournet.store import connect


def _invoke(*args: str):
    from labournet.cli import app

    return CliRunner().invoke(app, ["db", *args], env={"COLUMNS": "300"})


def test_a_parameter_that_is_not_utf8_is_refused_by_name() -> None:
    argv = [sys.executable, "-m", "labournet", "db", "query", "neighbourhood", "-p", "id=\udcff"]
    done = subprocess.run(
        [os.fsencode(arg) for arg in argv],
        capture_output=True,
        timeout=60,
        env={**os.environ, "LABOURNET_URI": "falkordb://127.0.0.1:1/none"},
    )
    err = done.stderr.decode(errors="replace")
    assert done.returncode == 2, err
    assert "Traceback" not in err and "--param id" in err and "not valid text" in err


@pytest.mark.falkordb
def test_an_integer_beyond_64_bits_is_refused_by_name(falkordb_uri: str) -> None:
    result = _invoke(
        "query", "hosts_by_workers", "-p", "limit=9223372036854775808", "--uri", falkordb_uri
    )
    assert result.exit_code == 2, result.output
    assert "parameter limit" in result.output and "64-bit" in result.output
    assert (
        _invoke(
            "query", "hosts_by_workers", "-p", "limit=9223372036854775807", "--uri", falkordb_uri
        ).exit_code
        == 0
    )


@pytest.mark.falkordb
def test_a_write_the_server_refuses_as_read_only_exits_2(falkordb_uri: str) -> None:
    with connect(falkordb_uri) as store:
        store.runner.run("CREATE (:Scratch {p: 'x'})", {}, write=True)
    # no write keyword for the local check to see: the server itself refuses it
    result = _invoke(
        "query", "CALL db.idx.fulltext.createNodeIndex('Scratch', 'p')", "--uri", falkordb_uri
    )
    assert result.exit_code == 2, result.output
    assert "read-only" in result.output and "--write" in result.output
