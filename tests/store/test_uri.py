"""Database URIs: taken apart once (`labournet.store.uri.parse_uri`), never echoed with their
credentials, whether the URI is well formed or not (no server needed: the ports are closed)."""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

import labournet
from labournet.errors import LabournetError, QueryError
from labournet.store.process import free_port
from labournet.store.uri import parse_uri

# each with its password and the pieces of it an old parser showed
AWKWARD = [
    ("bolt://neo4j:pa/ss@127.0.0.1:{port}", ["pa/ss", "'pa'", "ss@"]),
    ("bolt://neo4j:p@ss@127.0.0.1:{port}", ["p@ss", "@ss", "***"]),
    ("bolt://u:p@[::1", ["u:p", "p@"]),
    ("bolt+x://neo4j:p@ss@127.0.0.1:{port}", ["p@ss", "@ss", "***"]),  # unknown scheme
]


def _app() -> typer.Typer:
    from labournet.cli import app

    return app


@pytest.mark.parametrize(("uri", "secrets"), AWKWARD)
def test_the_cli_never_shows_a_password(
    uri: str, secrets: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = uri.format(port=free_port())
    result = CliRunner().invoke(
        _app(),
        ["db", "load", "--uri", text],
        env={"COLUMNS": "300", "LABOURNET_CONNECT_TIMEOUT": "2", "NEO4J_PASSWORD": ""},
    )
    assert result.exit_code in (1, 2), result.output
    assert not isinstance(result.exception, ValueError), result.exception
    assert "Traceback" not in result.output
    for secret in secrets:
        assert secret not in result.output, (secret, result.output)


@pytest.mark.parametrize(("uri", "secrets"), AWKWARD)
def test_connect_never_shows_a_password(uri: str, secrets: list[str]) -> None:
    text = uri.format(port=free_port())
    with pytest.raises(LabournetError) as caught:
        labournet.connect(text, timeout=2)
    for secret in secrets:
        assert secret not in str(caught.value), (secret, str(caught.value))


def test_the_password_ends_at_the_last_at_sign() -> None:
    slash = parse_uri("bolt://neo4j:pa/ss@localhost:7687")
    assert (slash.username, slash.password, slash.host, slash.port) == (
        "neo4j",
        "pa/ss",
        "localhost",
        7687,
    )
    at = parse_uri("bolt://neo4j:p@ss@localhost:7687/movies")
    assert (at.password, at.host, at.path, at.display) == (
        "p@ss",
        "localhost",
        "movies",
        "bolt://localhost:7687/movies",
    )
    escaped = parse_uri("falkordb://:p%40ss@[::1]:6390/g")
    assert (escaped.username, escaped.password, escaped.host, escaped.port) == (
        None,
        "p@ss",
        "::1",
        6390,
    )
    assert escaped.display == "falkordb://[::1]:6390/g"
    assert "p@ss" not in repr(escaped)


@pytest.mark.parametrize(
    "uri",
    [
        "bolt://u:p@[::1",
        "bolt://neo4j:secret",  # no '@': the password sits where the port goes
        "bolt://u:secret@localhost:secret",
        "bolt://u:secret@localhost:99999",
        "neo4j:secret@localhost",
        "bolt://u:secret@ho st",
    ],
)
def test_malformed_uris_are_query_errors_without_the_password(uri: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_uri(uri)
    assert "secret" not in str(caught.value) and "u:p" not in str(caught.value)
