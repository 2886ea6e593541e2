"""What the sanctions-list tests share: the hand-made lists (``fixtures/``, invented parties
only), the real UN list's path, a helper to find a line in a file, and one to run the
command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
REPOSITORY = Path(__file__).resolve().parents[2]
REAL_LIST = REPOSITORY.parent / "shared/data/sanctions-lists/un-sc-consolidated-2025-04-19.xml"


def real_list_path() -> Path:
    """The real list's path; skips without it, except under CI, where that is a failure."""
    path = Path(os.environ.get("LABOURNET_UN_LIST") or REAL_LIST)
    if not path.is_file():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but the real UN list is missing: {path}")
        pytest.skip(f"the real UN list is not here: {path}")
    return path


def line_of(path: Path, text: str) -> int:
    """The 1-based number of the first line of `path` that holds `text`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} is not in {path}")


def run_labournet(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``labournet ARGS`` as a person runs it, in `cwd`, on this tree's sources (stdout a pipe,
    no terminal width), with its output as text."""
    import labournet

    sources = Path(labournet.__file__).resolve().parents[1]
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(sources), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "labournet", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
