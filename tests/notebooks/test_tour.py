"""notebooks/tour.ipynb runs top to bottom in a real kernel, and shows tables and the view.

nbclient runs it in the ``python3`` kernel that ipykernel provides for the interpreter running
the tests (``.[dev]`` installs both), with the labournet under test first on its path. Without
nbclient the test skips on a developer's machine and fails in CI (``CI=true``); a cell that
raises fails it everywhere.
"""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path
from typing import Any

import pytest

import labournet

NOTEBOOK = Path(__file__).parents[2] / "notebooks" / "tour.ipynb"
NEEDED = ("nbclient", "nbformat", "ipykernel")


def _require_nbclient() -> None:
    missing = [name for name in NEEDED if importlib.util.find_spec(name) is None]
    if missing:
        reason = f"{', '.join(missing)} not installed (pip install '.[dev]')"
        if os.environ.get("CI") == "true":
            pytest.fail(f"the notebook must run in CI: {reason}")
        pytest.skip(reason)


def _html_outputs(notebook: Any) -> list[str]:
    return [
        output["data"]["text/html"]
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if "text/html" in output.get("data", {})
    ]


def test_the_committed_notebook_has_no_outputs() -> None:
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    code = [cell for cell in cells if cell["cell_type"] == "code"]
    assert code, "the tour has code cells"
    assert all(cell["outputs"] == [] and cell["execution_count"] is None for cell in code)


def test_the_tour_runs_and_shows_tables_and_the_view(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _require_nbclient()
    import nbclient
    import nbformat

    # the kernel imports the labournet under test, whatever else is installed or the cwd
    tree = str(Path(labournet.__file__).resolve().parents[1])
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join(filter(None, [tree, os.environ.get("PYTHONPATH")]))
    )

    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=300,
        resources={"metadata": {"path": str(tmp_path)}},  # runs where it can write
    )
    client.execute()  # raises CellExecutionError when a cell fails
    errors = [
        output
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]
    assert errors == []
    shown = _html_outputs(notebook)
    assert sum("<table" in page for page in shown) >= 4  # dataset, pressure, Monte Carlo, cut
    assert any("Pressure points on North Korea" in page for page in shown)
    views = [page for page in shown if page.startswith("<iframe srcdoc=")]
    assert len(views) == 1
    assert "&lt;!DOCTYPE html&gt;" in views[0] and 'sandbox="allow-scripts"' in views[0]
