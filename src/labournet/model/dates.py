"""Dates as the sources give them: a day, a month or only a year, and the snapshot rule.

A source often dates a fact only to its month or year ("in July 2016", "in 2019"). A
`PartialDate` keeps that precision: it names a period (a day, a month or a year) with a first
and a last day, and is written in ISO form (``2016``, ``2016-07``, ``2016-07-15``).

The snapshot rule (`Dataset.as_of`, every ``as_of=`` and ``--as-of``), in days:

* the cutoff of a snapshot as of a date is the last day of the period it names (``2016`` is
  31 December 2016, ``2019-06`` is 30 June 2019);
* a dated record starts on the first day of its start (``valid_from``, else ``date``) and ends on
  the last day of its ``valid_until``; it belongs to the snapshot when it has started by the
  cutoff and has not ended before it. A record dated only by a month or a year counts for the
  whole of that period: the 2016 article's campaign "in 2016" is in force as of 2016-09-13;
* an undated record belongs to every snapshot;
* a figure holds from the first day of the period it describes (its ``date``, else its ``year``),
  and the snapshot takes, for each item and measure, the figure of the latest such period.

Example:
    >>> july = parse_date("2016-07")
    >>> july.first_day, july.last_day
    (datetime.date(2016, 7, 1), datetime.date(2016, 7, 31))
    >>> in_period(start=parse_date("2016-07"), end=None, cutoff=parse_date("2016-07-15"))
    True
    >>> in_period(start=parse_date("2016"), end=parse_date("2016-06"), cutoff=parse_date("2016"))
    False
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "PartialDate",
    "parse_date",
    "as_date",
    "in_period",
    "record_period",
    "change_days",
    "DateLike",
    "START",
    "POINT",
    "END",
]

START = "valid_from"
"""The property a record's validity starts on (a measure in force from)."""
POINT = "date"
"""The property that dates a record at one time (when it happened or was observed); it is the
start of a record that has no ``valid_from``."""
END = "valid_until"
"""The property a record's validity ends on (the last period it holds)."""

_PATTERN = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A day, a month or a year; ordered by its first day, then its last.

    >>> parse_date("2019-12-16"), parse_date("2019").precision
    (PartialDate('2019-12-16'), 'year')
    """

    first_day: datetime.date
    last_day: datetime.date

    @property
    def precision(self) -> str:
        """``day``, ``month`` or ``year``."""
        if self.first_day == self.last_day:
            return "day"
        return "year" if self.first_day.month != self.last_day.month else "month"

    @property
    def year(self) -> int:
        return self.first_day.year

    def __repr__(self) -> str:
        return f"PartialDate('{self}')"

    def __str__(self) -> str:
        text = self.first_day.isoformat()
        return {"day": text, "month": text[:7], "year": text[:4]}[self.precision]


DateLike = PartialDate | datetime.date | str | int
"""What an ``as_of`` argument may be: a `PartialDate`, a `datetime.date`, ISO text or a year."""


def record_period(properties: Mapping[str, Any]) -> tuple[PartialDate | None, PartialDate | None]:
    """The start (``valid_from``, else ``date``) and end (``valid_until``) of a record with these
    properties or graph attributes; None where it has none. `ValueError` for a value that is not
    a date.

    >>> record_period({"date": "2017-08-05", "valid_until": "2019-12"})
    (PartialDate('2017-08-05'), PartialDate('2019-12'))
    """
    start = properties.get(START) or properties.get(POINT)
    end = properties.get(END)
    return (as_date(start) if start else None, as_date(end) if end else None)


def parse_date(text: str) -> PartialDate:
    """The period that ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` names.

    `ValueError` with the reason when the text is none of these or not a real day.
    """
    match = _PATTERN.match(text)
    if match is None:
        raise ValueError(f"'{text}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD, ASCII digits)")
    year = int(match[1])
    month, day = (int(part) if part else None for part in match.groups()[1:])
    if year < 1:
        raise ValueError(f"'{text}' is not a date: year 0 does not exist")
    try:
        if month is None:
            return PartialDate(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return PartialDate(datetime.date(year, month, 1), datetime.date(year, month, last))
        exact = datetime.date(year, month, day)
    except ValueError as error:
        raise ValueError(f"'{text}' is not a date: {error}") from None
    return PartialDate(exact, exact)


def as_date(value: DateLike) -> PartialDate:
    """Any accepted form of a date as a `PartialDate` (an int is a year)."""
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a date")
    if isinstance(value, int):
        return parse_date(f"{value:04d}")
    if isinstance(value, datetime.datetime):  # a moment: its day
        value = value.date()
    if isinstance(value, datetime.date):
        return PartialDate(value, value)
    return parse_date(str(value))


def in_period(start: PartialDate | None, end: PartialDate | None, cutoff: PartialDate) -> bool:
    """True when a record valid from `start` until `end` belongs to the snapshot at `cutoff`
    (the rule in the module docstring; None is an open end)."""
    if start is not None and start.first_day > cutoff.last_day:
        return False
    return end is None or end.last_day >= cutoff.last_day


def change_days(
    periods: Iterable[tuple[PartialDate | None, PartialDate | None]],
) -> list[datetime.date]:
    """The days on which the snapshot of records valid over these periods changes, in order:
    each start's first day (the record comes in) and the day after each end's last day (it
    goes out). Every snapshot from one of these days to the day before the next is the same.

    >>> change_days([(parse_date("2017-08-05"), parse_date("2019-12")), (parse_date("2018"), None)])
    [datetime.date(2017, 8, 5), datetime.date(2018, 1, 1), datetime.date(2020, 1, 1)]
    """
    days: set[datetime.date] = set()
    for start, end in periods:
        if start is not None:
            days.add(start.first_day)
        if end is not None and end.last_day < datetime.date.max:  # else it never ends
            days.add(end.last_day + datetime.timedelta(days=1))
    return sorted(days)
