"""Pressure-point tables for people and for files: a rich terminal table, CSV and JSON.

Example:
    >>> import labournet
    >>> from labournet.export.tables import rich_table
    >>> table = labournet.pressure_points(labournet.load_dataset())
    >>> rich_table(table, top=5).row_count
    5
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from rich.table import Table

from labournet.errors import ExportError

__all__ = ["rich_table", "write_csv", "write_json", "format_money", "format_count", "json_ready"]


def format_money(value: float) -> str:
    """USD per year, short: ``$132.0M``, ``$400k``, ``$950``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    magnitude = abs(value)
    if magnitude >= 1e9:
        return f"${value / 1e9:.2f}B"
    if magnitude >= 1e6:
        return f"${value / 1e6:.1f}M"
    if magnitude >= 1e3:
        return f"${value / 1e3:.0f}k"
    return f"${value:.0f}"


def format_count(value: float) -> str:
    """A head count, rounded: ``33,000``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:,.0f}"


def rich_table(table: pd.DataFrame, *, top: int | None = 15, title: str | None = None) -> Table:
    """The ranked pressure table for a terminal: ranges, reach, score and stability."""
    rows = table if top is None else table.head(top)
    k = table.attrs.get("k")
    out = Table(
        title=title or f"Pressure points ({len(rows)} of {len(table)})",
        title_justify="left",
        caption="revenue in USD per year; low–high ranges; * rests on an assumption",
        caption_justify="left",
    )
    out.add_column("#", justify="right")
    out.add_column("candidate")
    out.add_column("type")
    out.add_column("revenue best", justify="right")
    out.add_column("low–high", justify="right")
    out.add_column("workers", justify="right")
    out.add_column("actors", justify="right")
    out.add_column("measures")
    out.add_column("score", justify="right")
    has_mc = "p_top_k" in rows.columns
    if has_mc:
        out.add_column(f"P(top {k})" if k else "P(top k)", justify="right")
        out.add_column("rank 90%", justify="right")
    for candidate, row in rows.iterrows():
        cells = [
            str(row["rank"]),
            f"{candidate}{' *' if row['assumed'] else ''}",
            str(row["type"]),
            format_money(row["revenue_best"]),
            f"{format_money(row['revenue_low'])}–{format_money(row['revenue_high'])}",
            format_count(row["workers_best"]),
            str(row["n_actors"]),
            str(row["measures"]).replace(";", ", ") or "–",
            f"{row['score']:.3f}",
        ]
        if has_mc:
            cells.append(f"{row['p_top_k']:.0%}")
            low, high = row.get("rank_p05"), row.get("rank_p95")
            cells.append("–" if pd.isna(low) else f"{low:.0f}–{high:.0f}")
        out.add_row(*cells)
    return out


def write_csv(table: pd.DataFrame, path: str | Path) -> Path:
    """Write a table as UTF-8 CSV with its index."""
    file = Path(path)
    try:
        table.to_csv(file, encoding="utf-8", float_format="%.10g")
    except OSError as error:
        raise ExportError(f"cannot write {file}: {error}") from error
    return file


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
    if hasattr(value, "__dataclass_fields__"):
        return json_ready(vars(value))
    return value


def write_json(document: Mapping[str, Any], path: str | Path) -> Path:
    """Write a JSON document (UTF-8, indented, NaN as null)."""
    file = Path(path)
    try:
        file.write_text(json.dumps(json_ready(document), indent=2, ensure_ascii=False), "utf-8")
    except OSError as error:
        raise ExportError(f"cannot write {file}: {error}") from error
    return file
