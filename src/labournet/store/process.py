"""What the local servers share: their status, their home folder, and process and port checks."""

from __future__ import annotations

import os
import signal
import socket
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "ServerStatus",
    "labournet_home",
    "alive",
    "port_free",
    "free_port",
    "command_line",
    "cpu_seconds",
    "stop_process",
    "kill_process",
    "log_tail",
]


@dataclass(frozen=True)
class ServerStatus:
    """Where a local server lives, whether it runs, and the URI to reach it."""

    running: bool
    pid: int | None
    host: str
    port: int
    home: Path
    log: Path
    message: str
    uri: str


def labournet_home(server: str) -> Path:
    """``$LABOURNET_HOME/<server>``, else ``~/.labournet/<server>``."""
    root = os.environ.get("LABOURNET_HOME")
    base = Path(root).expanduser() if root else Path.home() / ".labournet"
    return base / server


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now (for tests and throwaway servers)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def port_free(host: str, port: int) -> bool:
    """True if nothing listens on ``host:port``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def alive(pid: int) -> bool:
    """True if the process runs (a zombie does not count)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie still answers kill(0)
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        return state != "Z"
    except (OSError, IndexError):
        return True


def command_line(pid: int) -> bytes | None:
    """The process's command line, or None where /proc is missing (macOS)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None


def cpu_seconds(pid: int) -> float | None:
    """The CPU time the process has used so far, or None where /proc is missing (macOS)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def stop_process(pid: int, timeout: float) -> str:
    """SIGTERM, then SIGKILL if the process has not ended within `timeout`; what happened."""
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive(pid):
            return f"stopped (was pid {pid})"
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    return f"killed (pid {pid} did not stop in {timeout:.0f} s)"


def kill_process(pid: int) -> None:
    """SIGKILL at once, as a crash would, and wait (up to 10 s) until the process is gone."""
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.02)


def log_tail(path: Path, lines: int = 15) -> str:
    """The last `lines` non-empty lines of a log file, or "(no log)"."""
    try:
        text = path.read_text(errors="replace").splitlines()
    except OSError:
        return "(no log)"
    return "\n".join([line for line in text if line.strip()][-lines:])
