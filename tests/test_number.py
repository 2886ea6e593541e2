"""The one place numbers are written: exact in data files, short and alike for people."""

from __future__ import annotations

import csv
import math

import pytest

from labournet._number import (
    format_amount,
    format_count,
    format_money,
    format_number,
    format_quantity,
    format_score,
)
from labournet.resources import bundled_dataset_path


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (0, "0"),
        (-7, "-7"),
        (3.0, "3"),
        (0.55, "0.55"),
        (1 / 3, "0.3333333333333333"),
        (2.0**53, "9007199254740992.0"),  # past 2**53 a float is not written as an integer
        (1e-300, "1e-300"),
    ],
)
def test_csv_numbers_are_exact(value: float | int | None, text: str) -> None:
    assert format_number(value) == text
    if isinstance(value, float):
        assert float(text) == value


def test_the_bundled_figures_are_written_back_byte_for_byte() -> None:
    with (bundled_dataset_path() / "figures.csv").open(encoding="utf-8", newline="") as file:
        cells = [row[f] for row in csv.DictReader(file) for f in ("low", "best", "high")]
    numbers = [cell for cell in cells if cell]
    assert numbers and all(format_number(float(cell)) == cell for cell in numbers)


@pytest.mark.parametrize(
    ("value", "table", "axis"),
    [
        (2.345e9, "$2.35B", "$2.3B"),
        (132e6, "$132.0M", "$132M"),
        (1.5e6, "$1.5M", "$2M"),
        (400e3, "$400k", "$400k"),
        (999.4, "$999", "$999"),
        (0, "$0", "$0"),
    ],
)
def test_money_in_tables_and_on_chart_axes(value: float, table: str, axis: str) -> None:
    assert format_money(value) == table
    assert format_money(value, axis=True) == axis


@pytest.mark.parametrize("missing", [None, math.nan])
def test_missing_values_are_a_dash_for_people(missing: float | None) -> None:
    assert format_money(missing) == format_count(missing) == format_score(missing) == "–"


def test_counts_amounts_quantities_and_scores() -> None:
    assert format_count(32_999.5) == "33,000"
    assert format_amount(1.325e8, "USD per year") == "US$132M"
    assert format_amount(-45_000.0, "USD") == "US$-45,000"
    assert format_amount(1_200.0, "workers") == "1,200"
    assert format_quantity(1.234e9) == "1.23 billion"
    assert format_quantity(5.0) == "5"
    assert format_score(0.000123456) == "0.0001235"
    assert format_score(math.inf) == "–"
