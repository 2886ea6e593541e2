"""One limit on the size of a CSV field, whatever else has set Python's.

`csv.field_size_limit` is global to the process, and some libraries raise it on import
(followthemoney sets 30 MB). labournet's readers refuse a field above `MAX_FIELD` as a located
problem, so they read within `field_limit`, which sets the limit and puts back the old one.
"""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Iterator

__all__ = ["MAX_FIELD", "field_limit"]

MAX_FIELD = 131_072
"""The longest field a data file may have: Python's own default (128 KiB)."""


@contextlib.contextmanager
def field_limit(limit: int = MAX_FIELD) -> Iterator[None]:
    """Read CSV with fields of at most `limit` characters while it runs."""
    old = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(old)
