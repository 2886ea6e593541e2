"""Progress: stages report to an installed reporter; the CLI draws bars only on a terminal."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from labournet.progress import reporting, stage


def test_stages_are_silent_without_a_reporter() -> None:
    with stage("quiet", total=3) as task:
        task.advance(3)
    assert task.done == 3


def test_a_stage_reports_start_advances_and_end_even_when_it_fails() -> None:
    seen: list[tuple[str, int, int | None]] = []
    try:
        with reporting(lambda *update: seen.append(update)), stage("work") as task:
            task.advance(2)
            raise RuntimeError("stop")
    except RuntimeError:
        pass
    assert seen == [("work", 0, None), ("work", 2, None), ("work", 2, 2)]


def _report(tmp_path: Path, *, terminal: bool) -> tuple[str, str]:
    """Run `labournet report` with stderr on a pseudo-terminal or a pipe; (stdout, stderr)."""
    command = [sys.executable, "-m", "labournet", "report", "-o", str(tmp_path), "--draws", "20"]
    env = {**os.environ, "COLUMNS": "120", "TERM": "xterm"}
    if not terminal:
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
        return done.stdout, done.stderr
    main, side = pty.openpty()
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=side, env=env) as process:
        os.close(side)
        chunks = []
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        stdout = process.stdout.read().decode() if process.stdout else ""
        assert process.wait() == 0
    os.close(main)
    return stdout, b"".join(chunks).decode(errors="replace")


def test_the_report_shows_bars_on_a_terminal(tmp_path: Path) -> None:
    stdout, stderr = _report(tmp_path, terminal=True)
    assert "ranking the pressure points" in stderr
    assert "writing the report" in stderr
    assert "Monte Carlo draws" in stderr
    assert "ranking the pressure points" not in stdout  # the bars never enter the output
    assert "Pressure points" in stdout


def test_the_report_is_quiet_when_piped(tmp_path: Path) -> None:
    stdout, stderr = _report(tmp_path, terminal=False)
    assert "Pressure points" in stdout
    for name in ("reading and checking", "ranking the pressure points", "writing the report"):
        assert name not in stderr and name not in stdout
