"""Pressure-point tables for people and for files: a rich terminal table, CSV and JSON.

Example:
    >>> import labournet
    >>> from labournet.report.tables import rich_table
    >>> table = labournet.pressure_points(labournet.load_dataset()).to_frame()
    >>> rich_table(table, top=5).row_count
    5
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import math
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, TextIO

import numpy as np
import pandas as pd
from rich import box
from rich.console import JustifyMethod
from rich.table import Table
from rich.text import Text

from labournet._json import encode_text, object_texts
from labournet._number import format_count, format_money
from labournet.errors import ExportError

__all__ = [
    "TextTable",
    "rich_table",
    "level_tables",
    "write_csv",
    "write_json",
    "json_ready",
]


class TextTable(Table):
    """A rich table whose text is plain text: a name from data such as ``China [/x]`` is shown
    as written, never read as rich markup (which fails, or styles the terminal)."""

    def __init__(self, *columns: Any, title: Any = None, caption: Any = None, **options: Any):
        super().__init__(
            *columns,
            title=Text(title) if isinstance(title, str) else title,
            caption=Text(caption) if isinstance(caption, str) else caption,
            **options,
        )

    def add_row(self, *renderables: Any, **options: Any) -> None:
        cells = (Text(cell) if isinstance(cell, str) else cell for cell in renderables)
        super().add_row(*cells, **options)


COMPACT_WIDTH = 120
"""Below this many terminal columns the table leaves out ranges, actors and measures."""


def rich_table(
    table: pd.DataFrame,
    *,
    top: int | None = 15,
    title: str | None = None,
    width: int | None = None,
    k: int | None = None,
) -> Table:
    """The ranked pressure table for a terminal: at stake, reach, expected loss and stability.

    On a terminal narrower than `COMPACT_WIDTH` (``width``) the low–high range, the actor count
    and the measures are left out rather than squeezed into unreadable stubs.
    """
    rows = table if top is None else table.head(top)
    compact = width is not None and width < COMPACT_WIDTH
    caption = (
        "USD per year; denied = expected revenue the regime loses if pressed there; "
        "* rests on an assumption; † residual bucket, not a lever"
    )
    caption += (
        "; wider terminal: type, ranges, actors, measures"
        if compact
        else "; low–high: 90 % interval of the joint draws"
    )
    out = TextTable(
        title=title or f"Pressure points ({len(rows)} of {len(table)})",
        title_justify="left",
        caption=caption,
        caption_justify="left",
        box=box.SIMPLE_HEAD if compact else box.HEAVY_HEAD,
        pad_edge=not compact,
        collapse_padding=compact,
    )
    has_mc = "p_top_k" in rows.columns
    columns: list[tuple[str, JustifyMethod, Any]] = [
        ("#", "right", lambda c, r: str(r["rank"])),
        ("candidate", "left", _candidate_cell),
        ("id", "left", lambda c, r: str(c)),
    ]
    if not compact:
        columns.append(("type", "left", lambda c, r: str(r["type"])))
    columns.append(
        ("at stake" if compact else "at stake best", "right",
         lambda c, r: format_money(r["revenue_best"]))
    )  # fmt: skip
    if not compact:
        columns.append(
            ("low–high", "right",
             lambda c, r: f"{format_money(r['revenue_low'])}–{format_money(r['revenue_high'])}")
        )  # fmt: skip
    columns.append(("workers", "right", lambda c, r: format_count(r["workers_best"])))
    if not compact:
        columns.append(("actors", "right", lambda c, r: str(r["n_actors"])))
        columns.append(("measures", "left", lambda c, r: ", ".join(r["measures"]) or "–"))
    columns.append(("denied/yr", "right", lambda c, r: format_money(r["score"])))
    if has_mc:
        columns.append(
            (f"P(top {k})" if k else "P(top k)", "right", lambda c, r: f"{r['p_top_k']:.0%}")
        )
        columns.append(("rank" if compact else "rank 90%", "right", _rank_interval))
    for name, justify, _ in columns:
        out.add_column(name, justify=justify, no_wrap=True)
    for candidate, row in rows.iterrows():
        out.add_row(*(cell(candidate, row) for _, _, cell in columns))
    return out


def _candidate_cell(candidate: Any, row: pd.Series) -> str:
    marks = (" *" if row["assumed"] else "") + (" †" if row.get("residual", False) else "")
    name = row.get("name")
    return f"{name if isinstance(name, str) and name else candidate}{marks}"


def level_tables(
    table: pd.DataFrame,
    *,
    top: int | None = 15,
    title: str = "",
    width: int | None = None,
    k: int | None = None,
) -> list[Table]:
    """One `rich_table` per level (hosts, sectors, ...): candidates compete within a level."""
    out = []
    for level, rows in table.groupby("level", sort=False):
        shown = min(top or len(rows), len(rows))
        heading = f"{LEVEL_TITLES.get(str(level), str(level))} ({shown} of {len(rows)})"
        named = f"{title}: {heading}" if title else heading
        out.append(rich_table(rows, top=top, title=named, width=width, k=k))
    return out


LEVEL_TITLES = {
    "host": "Hosts",
    "sector": "Sectors",
    "intermediary": "Intermediaries",
    "placement": "Host-sector placements",
    "route": "Routes",
}


def _rank_interval(candidate: Any, row: pd.Series) -> str:
    low, high = row.get("rank_p05"), row.get("rank_p95")
    return "–" if pd.isna(low) else f"{low:.0f}–{high:.0f}"


def write_csv(table: pd.DataFrame, path: str | Path) -> Path:
    """Write a table as UTF-8 CSV with its index; tuples and lists become ``;``-joined ids.

    Written `WRITE_ROWS` rows at a time into a file beside `path` that then replaces it, so a
    large table is never copied whole and a failed write leaves no half-written file.
    """
    file = Path(path)
    lists = [column for column in table.columns if _holds_lists(table[column])]
    with _replacing(file) as handle:
        for start in range(0, max(1, len(table)), WRITE_ROWS):
            part = table.iloc[start : start + WRITE_ROWS]
            if lists:
                part = part.copy()
                for column in lists:
                    part[column] = _joined(part[column])
            part.to_csv(handle, header=start == 0, float_format="%.10g", lineterminator="\n")
    return file


WRITE_ROWS = 5000
"""Table rows formatted at once by `write_csv` and `write_json`."""


def _holds_lists(column: pd.Series) -> bool:
    return column.dtype == object and any(isinstance(v, tuple | list) for v in column)


def _joined(column: pd.Series) -> list[Any]:
    """The column with each list joined by ``;``."""
    return _per_list(column.tolist(), lambda found: ";".join(map(str, found)), lambda v: v)


def _per_list(
    values: list[Any], of_list: Callable[[Any], Any], other: Callable[[Any], Any]
) -> list[Any]:
    """`of_list` of each list (or tuple) among `values`, worked out once per list object (the
    rows with the same list share one; `values` keeps them alive, so their ids stay theirs),
    and `other` of every other value."""
    seen: dict[int, Any] = {}
    out = []
    for value in values:
        if isinstance(value, tuple | list):
            found = seen.get(id(value))
            if found is None:
                found = seen[id(value)] = of_list(value)
            out.append(found)
        else:
            out.append(other(value))
    return out


@contextlib.contextmanager
def _replacing(file: Path) -> Iterator[TextIO]:
    """A text file written beside `file` that replaces it when the block ends without error."""
    partial = file.with_name(f".{file.name}.partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as handle:
            yield handle
        os.replace(partial, file)
    except BaseException as error:
        partial.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise ExportError(f"cannot write {file}: {error}") from error
        raise


def json_ready(value: Any) -> Any:
    """Turn numpy, pandas and dataclass values into plain JSON values (NaN -> null)."""
    if isinstance(value, Mapping):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    if isinstance(value, pd.DataFrame):
        return [json_ready(r) for r in value.reset_index().to_dict(orient="records")]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return json_ready({f.name: getattr(value, f.name) for f in dataclasses.fields(value)})
    return value


def write_json(document: Mapping[str, Any], path: str | Path) -> Path:
    """Write a JSON document (UTF-8, indented, NaN as null), as `json_text` gives it.

    A table (DataFrame) inside it is a list with one record per line: the records of a large
    network then go through the C encoder as whole lines instead of one value per line. The
    text is written as it is made, into a file that replaces `path` once complete.
    """
    file = Path(path)
    with _replacing(file) as handle:
        handle.writelines(json_chunks(document))
    return file


def json_text(value: Any, indent: str = "") -> str:
    """`value` as JSON text: mappings indented by two spaces a level, tables a record a line.

    >>> print(json_text({"a": 1, "t": pd.DataFrame({"x": [1.5, float("nan")]})}))
    {
      "a": 1,
      "t": [
        {"index": 0, "x": 1.5},
        {"index": 1, "x": null}
      ]
    }
    """
    return "".join(json_chunks(value, indent))


def json_chunks(value: Any, indent: str = "") -> Iterator[str]:
    """The text of `json_text`, piece by piece: a table `WRITE_ROWS` records at a time."""
    inner = indent + "  "
    if isinstance(value, Mapping) and value:
        yield "{\n"
        for i, (key, item) in enumerate(value.items()):
            comma = ",\n" if i else ""
            yield f"{comma}{inner}{json.dumps(str(key), ensure_ascii=False)}: "
            yield from json_chunks(item, inner)
        yield f"\n{indent}}}"
    elif isinstance(value, pd.DataFrame) and len(value):
        yield "[\n"
        for start in range(0, len(value), WRITE_ROWS):
            lines = (inner + line for line in _lines(value.iloc[start : start + WRITE_ROWS]))
            yield (",\n" if start else "") + ",\n".join(lines)
        yield f"\n{indent}]"
    else:
        text = json.dumps(json_ready(value), indent=2, ensure_ascii=False, allow_nan=False)
        yield text.replace("\n", "\n" + indent)


def _lines(frame: pd.DataFrame) -> list[str]:
    """Each row of a table (its index first) as one JSON object, NaN as null: the text
    ``json.dumps(row, ensure_ascii=False, allow_nan=False)`` gives, made a column at a time
    (a column of numbers through the encoder at once, the others value by value with each
    distinct list once) and filled into one template of the columns, instead of a dict per
    row through the encoder (3x slower at 50,000 entities)."""
    flat = frame.reset_index()
    columns = [_json_cells(flat[name]) for name in flat.columns]
    return object_texts([str(name) for name in flat.columns], columns)


def _json_cells(column: pd.Series) -> list[str]:
    """The JSON text of each value of a table column (as `_lines` says)."""
    values = column.tolist()
    if column.dtype.kind in "biuf":
        if column.dtype.kind == "f" and column.isna().any():
            values = [None if v != v else v for v in values]  # NaN is not equal to itself
        return json.dumps(values, allow_nan=False)[1:-1].split(", ")
    return _per_list(values, _value, _value)


def _value(value: Any) -> str:
    if type(value) is str:
        return encode_text(value)
    if isinstance(value, float) and value != value:
        return "null"  # a missing text in a column of text
    return _ENCODER.encode(value)


def _plain(value: Any) -> Any:
    """What the encoder cannot write itself: numpy scalars and other values of a table cell."""
    ready = json_ready(value)
    if ready is value:
        raise TypeError(f"cannot write {type(value).__name__} as JSON")
    return ready


_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, default=_plain)
"""The encoder of `_value`: ``json.dumps`` with its arguments makes one per call."""
