"""Fixtures for the notebook tests: the small dataset with a hostile name in it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import labournet

FIXTURES = Path(__file__).parents[1] / "fixtures"
HOSTILE = "<script>alert('x')</script> & \"China\""
"""A name that would run, or break an attribute, if any display wrote it unescaped."""


@pytest.fixture
def hostile_name() -> str:
    return HOSTILE


@pytest.fixture
def mini() -> labournet.Dataset:
    return labournet.load_dataset(FIXTURES / "mini")


@pytest.fixture
def hostile(mini: labournet.Dataset) -> labournet.Dataset:
    """The mini dataset with China (its leading host) named `HOSTILE`."""
    entities = tuple(
        dataclasses.replace(e, name=HOSTILE) if e.id == "cn" else e for e in mini.entities
    )
    return dataclasses.replace(mini, name=HOSTILE, entities=entities)
