"""Shared fixtures: the small valid dataset, copied so a test may break it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def mini_folder(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/mini, a valid six-entity dataset."""
    target = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", target)
    return target
