"""The README's Python examples run as tests, so the documentation cannot rot."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).parents[1] / "README.md"
PYTHON_BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)


def test_readme_opens_with_the_two_commands() -> None:
    blocks = re.findall(r"```(\w*)\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    (_, main_job), (_, tests) = blocks[:2]
    assert main_job.strip().startswith("pip install ")
    assert "labournet " in main_job
    assert tests.strip().startswith("pip install ") and "pytest" in tests


@pytest.mark.parametrize("index", range(len(PYTHON_BLOCKS)))
def test_readme_python_example_runs(
    index: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    exec(compile(PYTHON_BLOCKS[index], f"README.md python block {index + 1}", "exec"), {})


def test_readme_centrality_example_prints_the_top_three(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import networkx as nx

    (block,) = [block for block in PYTHON_BLOCKS if "lesmis" in block]
    monkeypatch.chdir(tmp_path)
    exec(compile(block, "README.md", "exec"), {})
    lines = capsys.readouterr().out.splitlines()
    header = max(i for i, line in enumerate(lines) if line.split() == ["closeness"])
    assert lines[header + 1].split() == ["node"]
    printed = [line.split()[0] for line in lines[header + 2 : header + 5]]
    closeness = nx.closeness_centrality(nx.les_miserables_graph(), distance="weight")
    assert printed == sorted(closeness, key=closeness.__getitem__, reverse=True)[:3]
    assert printed == ["Gavroche", "Valjean", "Montparnasse"]


def test_the_readme_names_every_public_name() -> None:
    """The top level is the public API, and the README says what it holds."""
    import labournet

    text = README.read_text(encoding="utf-8")
    assert [name for name in labournet.__all__ if f"`{name}`" not in text] == ["__version__"]
