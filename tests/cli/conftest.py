"""The `entry` fixture: the installed ``labournet`` console script, run as a person would, on
this tree's sources (stdout a pipe, not a terminal, and no COLUMNS)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import labournet

SOURCES = Path(labournet.__file__).resolve().parents[1]


def entry_point() -> str:
    """The ``labournet`` script of the running environment."""
    beside = Path(sys.executable).with_name("labournet")
    found = str(beside) if beside.exists() else shutil.which("labournet")
    assert found, "the labournet console script is not installed"
    return found


def environment(**extra: str) -> dict[str, str]:
    """The current environment with this tree's sources first and no terminal width set."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SOURCES), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


def run(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """``labournet ARGS`` with output captured as text (stdout a pipe, not a terminal)."""
    kwargs.setdefault("env", environment())
    return subprocess.run(
        [entry_point(), *args], capture_output=True, text=True, timeout=300, check=False, **kwargs
    )


class Entry:
    """What the `entry` fixture gives: the script, its environment, and `run`."""

    exe = property(lambda self: entry_point())
    env = property(lambda self: environment())

    def __call__(self, *args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
        return run(*args, **kwargs)


@pytest.fixture
def entry() -> Entry:
    """Run ``labournet ARGS`` through its console script: ``entry("validate").returncode``."""
    return Entry()
