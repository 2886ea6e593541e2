"""A local Neo4j 5 Community server that labournet starts and stops itself, without Docker.

The server is Neo4j's own jars (Community edition, Bolt, APOC core, the open Graph Data Science
library and the static Neo4j Browser), resolved from Maven Central with ``mvn`` from the
``pom.xml`` that ships in ``labournet/store/neo4j_launcher/``, and run as its own JVM by the small
``Launcher.java`` beside it (Java's single-file source mode: no build step). Neo4j Community and
the open edition of GDS are licensed under the GPL v3; they are fetched, never shipped.

Two folders:

- the jar cache, ``$LABOURNET_HOME/neo4j/lib/<version>-<pom hash>/`` (default
  ``~/.labournet/neo4j``), filled once by `resolve_jars` and shared by every server;
- the server's home (default ``$LABOURNET_HOME/neo4j``): ``neo4j.conf``, ``neo4j.pid``,
  ``neo4j.log`` (the launcher's output), ``logs/`` (Neo4j's own) and ``data/``, which survives
  restarts.

Authentication is on. The password of user ``neo4j`` is set from the ``password`` given on the
first start of a home folder and kept afterwards; it travels to the JVM in its environment, never
on a command line or in a log. `Neo4jServer.start` and `Neo4jServer.stop` are safe to call twice.

Example::

    >>> from labournet.store.neo4j_server import Neo4jServer
    >>> server = Neo4jServer("/tmp/neo4j", port=7688, password="a long secret")  # doctest: +SKIP
    >>> server.start().uri                                              # doctest: +SKIP
    'bolt://127.0.0.1:7688'
    >>> server.stop().running                                           # doctest: +SKIP
    False
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path

from labournet.errors import ServerSetupError, StoreError
from labournet.store.process import (
    ServerStatus,
    alive,
    command_line,
    kill_process,
    labournet_home,
    log_tail,
    port_free,
    stop_process,
)

__all__ = ["Neo4jServer", "resolve_jars", "launcher_files", "NEO4J_VERSION", "MIN_PASSWORD"]

NEO4J_VERSION = "5.26.19"
"""The Neo4j version the shipped pom.xml pins (checked against it in the tests)."""
READY_LINE = b"labournet-neo4j: ready"
"""What the launcher prints once the database runs and its password is set."""
DEFAULT_PORT = 7687
DEFAULT_BROWSER_PORT = 7474
MIN_PASSWORD = 8
"""Neo4j refuses shorter passwords (``dbms.security.auth_minimum_password_length``)."""
PLUGIN_GROUPS = ("org.neo4j.gds.", "org.neo4j.procedure.")
"""Jars whose procedures Neo4j registers: the file names start with their Maven group id."""
JVM_OPTIONS = (
    "-XX:+UseG1GC",
    "-XX:+ExitOnOutOfMemoryError",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
)


def launcher_files() -> tuple[Path, Path]:
    """The shipped ``pom.xml`` and ``Launcher.java``."""
    folder = Path(str(files("labournet.store"))) / "neo4j_launcher"
    return folder / "pom.xml", folder / "Launcher.java"


def default_home() -> Path:
    """``$LABOURNET_HOME/neo4j``, else ``~/.labournet/neo4j``."""
    return labournet_home("neo4j")


def resolve_jars(cache: Path | None = None, *, report: Callable[[str], None] | None = None) -> Path:
    """Resolve the server's jars with Maven into the cache (once); return their folder.

    The folder holds every jar (named ``<group>.<artifact>-<version>.jar``) and ``plugins/``,
    links to the jars whose procedures Neo4j must register (APOC and GDS).
    """
    pom, _ = launcher_files()
    digest = hashlib.sha256(pom.read_bytes()).hexdigest()[:12]
    folder = (cache or default_home() / "lib") / f"{NEO4J_VERSION}-{digest}"
    done = folder / ".complete"
    if done.exists():
        return folder
    maven = shutil.which("mvn")
    if maven is None:
        raise ServerSetupError(
            "mvn is not on PATH: labournet resolves the Neo4j jars with Maven the first time "
            "(apt-get install maven), or use Docker: docker compose up -d"
        )
    if report:
        report(f"resolving Neo4j {NEO4J_VERSION}, APOC and GDS with Maven into {folder}")
    staging = folder.with_name(folder.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    shutil.copy(pom, staging / "pom.xml")
    log = folder.parent / "resolve.log"
    with log.open("wb") as output:
        finished = subprocess.run(
            [
                maven,
                "-B",
                "-q",
                "-f",
                str(staging / "pom.xml"),
                "dependency:copy-dependencies",
                f"-DoutputDirectory={staging}",
                "-Dmdep.prependGroupId=true",
                "-DincludeScope=runtime",
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    if finished.returncode != 0:
        raise ServerSetupError(
            f"Maven could not resolve the Neo4j jars (is Maven Central reachable?); see {log}"
        )
    plugins = staging / "plugins"
    plugins.mkdir()
    for jar in sorted(staging.glob("*.jar")):
        if jar.name.startswith(PLUGIN_GROUPS):
            _link(jar, plugins / jar.name)
    (staging / ".complete").write_text(NEO4J_VERSION + "\n")
    shutil.rmtree(folder, ignore_errors=True)
    staging.rename(folder)
    return folder


def _link(target: Path, link: Path) -> None:
    try:
        link.symlink_to(Path("..") / target.name)
    except OSError:  # no symlinks on this file system
        shutil.copy(target, link)


class Neo4jServer:
    """A Neo4j server process owned by a home folder."""

    def __init__(
        self,
        home: str | Path | None = None,
        *,
        port: int | None = None,
        host: str = "127.0.0.1",
        password: str | None = None,
        heap: str = "1g",
        page_cache: str = "512m",
        browser_port: int | None = None,
        cache: Path | None = None,
    ) -> None:
        self.home = Path(home).expanduser() if home is not None else default_home()
        self.host = host
        self.requested_port = port
        self.password = password
        self.heap = heap
        self.page_cache = page_cache
        self.browser_port = browser_port
        self.cache = cache
        self.config = self.home / "neo4j.conf"
        self.pidfile = self.home / "neo4j.pid"
        self.log = self.home / "neo4j.log"

    @property
    def port(self) -> int:
        """The Bolt port of the running server (from its config), else the one asked for."""
        configured = self._configured("server.bolt.listen_address")
        if self._pid() is not None and configured:
            return int(configured.rsplit(":", 1)[1])
        return self.requested_port or DEFAULT_PORT

    @property
    def browser_url(self) -> str | None:
        """The Neo4j Browser's address, pointed at this server's Bolt URI, if it serves one."""
        port = self._configured("labournet.browser.port") if self._pid() else self.browser_port
        if not port:
            return None
        return f"http://{self.host}:{port}/browser/?dbms={self._uri(self.port)}"

    def status(self) -> ServerStatus:
        pid = self._pid()
        port = self.port
        if pid is None:
            return self._status(None, port, f"not running (home {self.home})")
        return self._status(pid, port, f"running, pid {pid}, Bolt port {port}")

    def start(
        self, *, timeout: float = 240.0, report: Callable[[str], None] | None = None
    ) -> ServerStatus:
        """Start the server unless it runs already; wait until it answers on Bolt."""
        current = self.status()
        if current.running:
            if self.requested_port is not None and self.requested_port != current.port:
                raise ServerSetupError(
                    f"a Neo4j already runs on Bolt port {current.port} (pid {current.pid}, home "
                    f"{self.home}); stop it first (labournet db stop --backend neo4j) or drop "
                    "--port"
                )
            return self._status(current.pid, current.port, f"already running, pid {current.pid}")
        password = self._checked_password()
        java = _java()
        port = self.requested_port or DEFAULT_PORT
        for what, number in (("Bolt", port), ("Browser", self.browser_port)):
            if number is not None and not port_free(self.host, number):
                raise ServerSetupError(
                    f"port {number} on {self.host} ({what}) is taken by another program; "
                    "choose another with --port or --browser-port"
                )
        jars = resolve_jars(self.cache, report=report)
        self._write_config(port, jars / "plugins")
        _, launcher = launcher_files()
        command = [
            java,
            f"-Xms{self.heap}",
            f"-Xmx{self.heap}",
            *JVM_OPTIONS,
            "-cp",
            str(jars / "*"),
            str(launcher),
            str(self.config.resolve()),
        ]
        environment = {**os.environ, "LABOURNET_NEO4J_INITIAL_PASSWORD": password}
        if report:
            report(f"starting Neo4j {NEO4J_VERSION} on {self._uri(port)} (log {self.log})")
        offset = self.log.stat().st_size if self.log.exists() else 0
        with self.log.open("ab") as output:
            process = subprocess.Popen(
                command,
                stdout=output,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=environment,
                cwd=self.home.resolve(),
                start_new_session=True,  # outlives the command that started it
            )
        self.pidfile.write_text(f"{process.pid}\n")
        self._wait_until_up(process, port, password, timeout, offset)
        return self._status(process.pid, port, f"started, pid {process.pid}, Bolt port {port}")

    def stop(self, *, timeout: float = 60.0) -> ServerStatus:
        """Stop the server (Neo4j checkpoints and closes its store) unless it is not running."""
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

    def _checked_password(self) -> str:
        if not self.password:
            raise ServerSetupError(
                "Neo4j needs a password for user neo4j: set NEO4J_PASSWORD (authentication is on)"
            )
        if len(self.password) < MIN_PASSWORD:
            raise ServerSetupError(
                f"Neo4j refuses passwords shorter than {MIN_PASSWORD} characters; choose a longer "
                "NEO4J_PASSWORD"
            )
        return self.password

    def _wait_until_up(
        self,
        process: subprocess.Popen[bytes],
        port: int,
        password: str,
        timeout: float,
        offset: int,
    ) -> None:
        """Wait for the launcher's ready line (its password is set by then), then for Bolt."""
        import neo4j

        uri = self._uri(port)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                self.pidfile.unlink(missing_ok=True)
                raise StoreError(
                    f"Neo4j exited with code {process.returncode} while starting; log "
                    f"{self.log}:\n{self.log_tail()}"
                )
            if READY_LINE not in self._log_since(offset):
                time.sleep(0.25)
                continue
            try:
                with neo4j.GraphDatabase.driver(
                    uri, auth=("neo4j", password), connection_timeout=2
                ) as driver:
                    driver.verify_connectivity()
                return
            except neo4j.exceptions.AuthError as error:
                self.stop(timeout=30)
                raise ServerSetupError(
                    f"Neo4j runs on {uri} but refused the password: so it was stopped again: a "
                    f"home folder keeps the password set on its first start ({self.home}); use "
                    "that one, or start with a fresh --home"
                ) from error
            except Exception:  # not listening yet
                time.sleep(0.5)
        self.stop(timeout=30)
        raise StoreError(
            f"Neo4j did not answer on {uri} within {timeout:.0f} s; log {self.log}:\n"
            f"{self.log_tail()}"
        )

    def _log_since(self, offset: int) -> bytes:
        try:
            with self.log.open("rb") as log:
                log.seek(offset)
                return log.read()
        except OSError:
            return b""

    def _uri(self, port: int) -> str:
        return f"bolt://{self.host}:{port}"

    def _status(self, pid: int | None, port: int, message: str) -> ServerStatus:
        running = pid is not None
        return ServerStatus(
            running, pid, self.host, port, self.home, self.log, message, self._uri(port)
        )

    def _pid(self) -> int | None:
        """The pid of the running server, or None (no pid file, or a stale one)."""
        try:
            pid = int(self.pidfile.read_text().strip())
        except (OSError, ValueError):
            return None
        return pid if alive(pid) and self._is_ours(pid) else None

    def _is_ours(self, pid: int) -> bool:
        """Whether `pid` is the Neo4j of this home, not of a copy of it, nor a reused pid.

        A copied home holds the same pid file. The process tells them apart: one of its
        arguments is this home's config file (the whole path, resolved, so a copy at a relative
        path ending the same way does not match), and it runs in this home. Without /proc
        (macOS) the pid file is trusted.
        """
        command = command_line(pid)
        if command is None:
            return True
        if str(self.config.resolve()).encode() not in command.split(b"\0"):
            return False
        try:
            return Path(os.readlink(f"/proc/{pid}/cwd")) == self.home.resolve()
        except OSError:  # another user's process: its arguments still name its config
            return True

    def _configured(self, key: str) -> str | None:
        try:
            for line in self.config.read_text().splitlines():
                name, sep, value = line.partition("=")
                if sep and name.strip() == key:
                    return value.strip()
        except OSError:
            return None
        return None

    def _write_config(self, port: int, plugins: Path) -> None:
        settings = {
            "server.bolt.enabled": "true",
            "server.bolt.listen_address": f"{self.host}:{port}",
            "server.bolt.advertised_address": f"{self.host}:{port}",
            "server.directories.plugins": str(plugins),
            "server.memory.pagecache.size": self.page_cache,
            "dbms.security.auth_enabled": "true",
            "dbms.security.procedures.unrestricted": "gds.*,apoc.*",
            "dbms.usage_report.enabled": "false",
            "labournet.bolt.uri": self._uri(port),
        }
        if self.browser_port is not None:
            settings["labournet.browser.port"] = str(self.browser_port)
            settings["labournet.browser.host"] = self.host
        lines = ["# Written by `labournet db start --backend neo4j`; rewritten on every start."]
        lines += [f"{key}={_escape(value)}" for key, value in settings.items()]
        self.home.mkdir(parents=True, exist_ok=True)
        self.config.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _escape(value: str) -> str:
    """A value as java.util.Properties reads it back (backslashes are escapes there)."""
    return value.replace("\\", "\\\\")


def _java() -> str:
    java = shutil.which("java")
    if java is None:
        raise ServerSetupError(
            "java is not on PATH: Neo4j 5.26 needs a Java 17 or 21 runtime "
            "(apt-get install openjdk-17-jre-headless), or use Docker: docker compose up -d"
        )
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        shown = subprocess.run(
            [java, "-version"], capture_output=True, text=True, timeout=30, check=False
        )
        found = re.search(r'version "(\d+)', shown.stderr + shown.stdout)
        if found and int(found.group(1)) < 17:
            raise ServerSetupError(
                f"{java} is Java {found.group(1)}; Neo4j 5.26 needs Java 17 or 21"
            )
    return java
