"""How numbers are written: exactly in data files, briefly for people.

One function per way of writing a number, so a table, a report, a page and a chart that show
the same amount show it the same way:

* `format_number`: a CSV field, exact (a pulled dataset diffs clean against its source);
* `format_money`: US$ a year, short (``$132.0M``), or shorter for a chart's axis;
* `format_count`: a head count, rounded, thousands separated;
* `format_amount`: a figure's value in its unit, for a sentence (``US$132M``, ``33,000``);
* `format_quantity`: any amount in prose, three significant digits, millions spelt out;
* `format_score`: a centrality score in a table, four significant digits.

The people's formats write a missing value (None, NaN) as a dash, except `format_quantity`,
which writes it as Python does.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = [
    "format_number",
    "format_money",
    "format_count",
    "format_amount",
    "format_quantity",
    "format_score",
    "MISSING",
]

MISSING = "–"
"""What a table or report shows for a value it does not have."""


def format_number(value: float | int | None) -> str:
    """Numbers as written to CSV: integers without a decimal point, floats exactly (repr).

    >>> [format_number(v) for v in (None, 3, 3.0, 0.1, 2.5e-7, 1e16, -0.0)]
    ['', '3', '3', '0.1', '2.5e-07', '1e+16', '0']
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def format_money(value: float | None, *, axis: bool = False) -> str:
    """US$ (a year), short: ``$1.25B``, ``$132.0M``, ``$400k``, ``$950``.

    ``axis=True`` writes a chart's tick labels, one digit shorter above a million
    (``$1.2B``, ``$132M``), where the axis gives the precision.

    >>> [format_money(v) for v in (1.25e9, 132e6, 400e3, 950, -2.5e6, None, float("nan"))]
    ['$1.25B', '$132.0M', '$400k', '$950', '$-2.5M', '–', '–']
    >>> [format_money(v, axis=True) for v in (1.25e9, 132e6, 400e3, 0)]
    ['$1.2B', '$132M', '$400k', '$0']
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    magnitude = abs(value)
    if magnitude >= 1e9:
        return f"${value / 1e9:.1f}B" if axis else f"${value / 1e9:.2f}B"
    if magnitude >= 1e6:
        return f"${value / 1e6:.0f}M" if axis else f"${value / 1e6:.1f}M"
    if magnitude >= 1e3:
        return f"${value / 1e3:.0f}k"
    return f"${value:.0f}"


def format_count(value: float | None) -> str:
    """A head count, rounded: ``33,000``.

    >>> [format_count(v) for v in (33000, 1234.6, 0.4, None, float("nan"))]
    ['33,000', '1,235', '0', '–', '–']
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    return f"{value:,.0f}"


def format_amount(value: float, unit: str) -> str:
    """A figure's value in its unit, for a sentence: whole US$ (millions above a million) for a
    ``USD...`` unit, else rounded and thousands separated.

    >>> format_amount(132.4e6, "USD/year"), format_amount(2.5e9, "USD"), format_amount(950.4, "USD")
    ('US$132M', 'US$2,500M', 'US$950')
    >>> format_amount(33000, "workers")
    '33,000'
    """
    if unit.startswith("USD"):
        if abs(value) >= 1e6:
            return f"US${value / 1e6:,.0f}M"
        return f"US${value:,.0f}"
    return f"{value:,.0f}"


def format_quantity(value: Any) -> str:
    """A number for people: 3 significant digits, thousands separated, millions spelt out.

    Anything that is not a number is written as its text.

    >>> [format_quantity(v) for v in (2.345e9, 1.5e6, 33_000.4, 12.0, 0.12345, "n/a")]
    ['2.35 billion', '1.5 million', '33,000', '12', '0.123', 'n/a']
    >>> format_quantity(float("inf")), format_quantity(float("nan"))
    ('inf', 'nan')
    """
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not math.isfinite(number):
        return str(number)
    size = abs(number)
    if size >= 1e9:
        return f"{number / 1e9:.3g} billion"
    if size >= 1e6:
        return f"{number / 1e6:.3g} million"
    if size >= 1000:
        return f"{round(number):,}"
    if number.is_integer():
        return str(int(number))
    return f"{number:.3g}"


def format_score(value: float | None) -> str:
    """A centrality score in a table: 4 significant digits; a dash for none (did not converge).

    >>> [format_score(v) for v in (0.123456, 1.0, 12345.0, 2.5e-7, None, float("nan"))]
    ['0.1235', '1', '1.234e+04', '2.5e-07', '–', '–']
    """
    if value is None or not math.isfinite(value):
        return MISSING
    return f"{value:.4g}"
