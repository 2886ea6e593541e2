"""Fixtures for the notebook tests: the small dataset with a hostile name in it."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest

import labournet

FIXTURES = Path(__file__).parents[1] / "fixtures"
HOSTILE = "<script>alert('x')</script> & \"China\""
"""A name that would run, or break an attribute, if any display wrote it unescaped."""


class _FixedClock:
    """`datetime` as `labournet.io.stamp` uses it, stopped at one second."""

    @staticmethod
    def now(tz: object = None) -> datetime:
        return datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stamps made in one test carry the same time, so that two pages built a second apart compare
    equal (the stamp's ``made`` is the only part of a page that depends on the clock)."""
    monkeypatch.setattr("labournet.io.stamp.datetime", _FixedClock)


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
