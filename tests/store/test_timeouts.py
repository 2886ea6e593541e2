"""FalkorDB connections time out: a port that accepts and never answers, and a server that
answers the handshake but not a query, fail with a clear StoreError instead of hanging.

The servers here are local sockets, not FalkorDB: one never says anything; the other speaks
just enough of the Redis protocol for the client's handshake (CLIENT, INFO, GRAPH.CONFIG,
EXISTS) and then never answers a query.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

import labournet
from labournet.errors import StoreError

pytest.importorskip("falkordb")


def _serve(answer_handshake: bool, loading_for: float = 0.0) -> Iterator[int]:
    """A fake server's port; with `loading_for`, it answers LOADING to FalkorDB's commands for
    that many seconds, as a restarted server does while it reads its data back."""
    listener = socket.socket()
    loading_until = time.monotonic() + loading_for
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    stop = threading.Event()

    def talk(conn: socket.socket) -> None:
        reader = conn.makefile("rb")
        try:
            while not stop.is_set():
                line = reader.readline()
                if not line:
                    return
                words = []
                for _ in range(int(line[1:])):
                    size = int(reader.readline()[1:])
                    words.append(reader.read(size + 2)[:-2].decode().upper())
                if not answer_handshake or words[0].startswith("GRAPH.") and "QUERY" in words[0]:
                    stop.wait()  # silent from here on
                    return
                if words[0].startswith("GRAPH.") and time.monotonic() < loading_until:
                    conn.sendall(b"-LOADING Redis is loading the dataset in memory\r\n")
                elif words[0] == "INFO":
                    info = b"# Server\r\nredis_mode:standalone\r\n"
                    conn.sendall(b"$%d\r\n%s\r\n" % (len(info), info))
                elif words[0] == "GRAPH.CONFIG":
                    conn.sendall(b"*2\r\n$7\r\nTIMEOUT\r\n:0\r\n")
                elif words[0] == "EXISTS":
                    conn.sendall(b":1\r\n")
                else:
                    conn.sendall(b"+OK\r\n")
        except (OSError, ValueError):
            return

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=talk, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        listener.close()


@pytest.fixture
def silent_port() -> Iterator[int]:
    yield from _serve(answer_handshake=False)


@pytest.fixture
def stalling_port() -> Iterator[int]:
    yield from _serve(answer_handshake=True)


def test_connecting_waits_while_a_restarted_server_loads_its_data() -> None:
    for port in _serve(answer_handshake=True, loading_for=1.5):
        started = time.monotonic()
        with labournet.connect(f"falkordb://127.0.0.1:{port}/g", timeout=5) as store:
            assert store.backend == "falkordb"
        assert time.monotonic() - started >= 1.4  # it waited, and did not call it absent


def test_a_server_loading_for_longer_than_a_query_may_take_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LABOURNET_QUERY_TIMEOUT", "1")
    for port in _serve(answer_handshake=True, loading_for=60):
        with pytest.raises(StoreError, match=r"still loading its data after 1 s .*db start"):
            labournet.connect(f"falkordb://127.0.0.1:{port}/g", timeout=5)


def test_a_port_that_never_answers_fails_after_the_connect_timeout(
    silent_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LABOURNET_CONNECT_TIMEOUT", "1.5")
    started = time.monotonic()
    with pytest.raises(StoreError, match=r"did not answer within 1.5 s of connecting"):
        labournet.connect(f"falkordb://127.0.0.1:{silent_port}/g")
    assert time.monotonic() - started < 10


def test_a_query_that_gets_no_answer_fails_after_the_query_timeout(
    stalling_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LABOURNET_QUERY_TIMEOUT", "1.5")
    store = labournet.connect(f"falkordb://127.0.0.1:{stalling_port}/g", timeout=5)
    started = time.monotonic()
    with store, pytest.raises(StoreError, match=r"did not answer the query within 1.5 s"):
        store.run("RETURN 1 AS one")
    assert time.monotonic() - started < 10


def test_the_query_timeout_must_be_a_number(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABOURNET_QUERY_TIMEOUT", "soon")
    with pytest.raises(StoreError, match="LABOURNET_QUERY_TIMEOUT must be a number"):
        labournet.connect("falkordb://127.0.0.1:1/g")
