"""PNG charts of a pressure table (matplotlib, Agg backend: no display needed).

Example:
    >>> import labournet, tempfile, pathlib
    >>> from labournet.report.charts import revenue_chart
    >>> table = labournet.pressure_points(labournet.load_dataset()).to_frame()
    >>> path = revenue_chart(table, pathlib.Path(tempfile.mkdtemp()) / "revenue.png")
    >>> path.stat().st_size > 10_000
    True
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ParamSpec

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from labournet._number import format_money  # noqa: E402
from labournet.errors import ExportError  # noqa: E402
from labournet.model.dates import as_date  # noqa: E402

__all__ = ["revenue_chart", "rank_chart", "workers_over_time_chart"]

P = ParamSpec("P")

TYPE_COLOURS = {
    "host": "#1f77b4",
    "sector": "#ff7f0e",
    "organisation": "#2ca02c",
    "relation": "#7f7f7f",
}


def _plain_text(chart: Callable[P, Path]) -> Callable[P, Path]:
    """Draw `chart` with every text as plain text: names from data may hold ``$``, which
    matplotlib would otherwise read as mathematics (and fail on, or garble)."""

    @functools.wraps(chart)
    def drawn(*args: P.args, **kwargs: P.kwargs) -> Path:
        with plt.rc_context({"text.parse_math": False}):
            return chart(*args, **kwargs)

    return drawn


def _label(candidate: object, row: pd.Series, width: int = 44) -> str:
    text = str(row.get("name", candidate))
    if row.get("type") == "relation":
        text = f"{text} ({row.get('kind', 'relation')})".replace(" -> ", " → ")
    text = text if len(text) <= width else text[: width - 1] + "…"
    return f"{text}{' *' if row.get('assumed') else ''}"


@_plain_text
def revenue_chart(
    table: pd.DataFrame,
    path: str | Path,
    *,
    top: int = 15,
    title: str | None = None,
    regime_name: str | None = None,
) -> Path:
    """Horizontal bars of best-estimate revenue at stake for the `top` ranked candidates.

    Black whiskers span the 90 % interval (5th-95th percentiles of the joint draws, the
    table's low and high); where the table has Monte Carlo columns, a diamond marks the median
    draw.
    """
    rows = table.head(top).iloc[::-1]
    if rows.empty:
        raise ExportError("nothing to chart: the pressure table is empty")
    y = np.arange(len(rows))
    fig, ax = plt.subplots(figsize=(10, 0.45 * len(rows) + 1.8), dpi=150)
    colours = [TYPE_COLOURS.get(t, "#9467bd") for t in rows["type"]]
    ax.barh(y, rows["revenue_best"], color=colours, alpha=0.85, height=0.6, zorder=2)
    err = np.vstack(
        [
            (rows["revenue_best"] - rows["revenue_low"]).clip(lower=0),
            (rows["revenue_high"] - rows["revenue_best"]).clip(lower=0),
        ]
    )
    ax.errorbar(
        rows["revenue_best"], y, xerr=err, fmt="none", ecolor="black", capsize=3, lw=1, zorder=3
    )
    if "revenue_p50" in rows.columns:
        ok = rows["revenue_p50"].notna().to_numpy()
        ax.plot(
            rows["revenue_p50"][ok], y[ok], "D", color="#d62728", ms=4, zorder=5,
            label="Monte Carlo median",
        )  # fmt: skip
    ax.set_yticks(y, [_label(c, r) for c, r in rows.iterrows()], fontsize=8)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: format_money(value, axis=True)))
    ax.set_xlabel("revenue reaching the regime through the candidate (USD per year)")
    ax.grid(axis="x", color="#dddddd", zorder=0)
    ax.set_axisbelow(True)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    handles = [
        plt.Rectangle((0, 0), 1, 1, color=c, alpha=0.85)
        for t, c in TYPE_COLOURS.items()
        if t in set(rows["type"])
    ]
    labels = [t for t in TYPE_COLOURS if t in set(rows["type"])]
    extra, extra_labels = ax.get_legend_handles_labels()
    whisker = plt.Line2D([0], [0], color="black", lw=1)
    ax.legend(
        [*handles, whisker, *extra],
        [*labels, "90 % interval (joint draws)", *extra_labels],
        loc="lower right", fontsize=8, frameon=False,
    )  # fmt: skip
    regime = regime_name or "the regime"
    ax.set_title(
        title or f"Revenue reaching {regime} through the top {len(rows)} pressure points\n"
        "ranked by expected revenue denied; * rests on an assumption",
        fontsize=10, loc="left",
    )  # fmt: skip
    fig.tight_layout()
    return _save(fig, path)


@_plain_text
def rank_chart(table: pd.DataFrame, path: str | Path, *, k: int, draws: int, top: int = 15) -> Path:
    """Rank intervals from the Monte Carlo (5–95 %) and P(top k) for the `top` candidates."""
    if "rank_p05" not in table.columns:
        raise ExportError("the table has no Monte Carlo columns (rank_p05, rank_p95)")
    rows = table.head(top).iloc[::-1]
    y = np.arange(len(rows))
    fig, ax = plt.subplots(figsize=(10, 0.45 * len(rows) + 1.8), dpi=150)
    ax.hlines(y, rows["rank_p05"], rows["rank_p95"], colors="#1f77b4", lw=5, alpha=0.6)
    ax.plot(rows["rank"], y, "o", color="black", ms=4, label="rank at the estimates")
    ax.plot(rows["rank_p50"], y, "D", color="#d62728", ms=4, label="median rank in the draws")
    where = ax.get_yaxis_transform()  # x in axes fraction, y in data
    ax.text(1.02, len(rows) - 0.4, f"P(top {k})", transform=where, fontsize=8, weight="bold")
    for yi, (_, row) in zip(y, rows.iterrows(), strict=True):
        ax.text(1.02, float(yi), f"{row['p_top_k']:.0%}", transform=where, va="center", fontsize=8)
    ax.set_yticks(y, [_label(c, r) for c, r in rows.iterrows()], fontsize=8)
    ax.invert_xaxis()
    ax.set_xlabel("rank (1 = strongest pressure point); bar = 5–95 % of the Monte Carlo draws")
    ax.grid(axis="x", color="#dddddd")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(loc="lower left", fontsize=8, frameon=False)
    ax.set_title(
        f"How stable is the ranking? Rank within its level in {draws} joint draws of the figures",
        fontsize=10, loc="left",
    )  # fmt: skip
    fig.tight_layout()
    return _save(fig, path)


def _save(fig: plt.Figure, path: str | Path) -> Path:
    file = Path(path)
    try:
        fig.savefig(file, format="png")
    except OSError as error:
        raise ExportError(f"cannot write {file}: {error}") from error
    finally:
        plt.close(fig)
    return file


@_plain_text
def workers_over_time_chart(
    over_time: pd.DataFrame, measures: Sequence[Any], path: str | Path, *, top: int = 8
) -> Path:
    """Workers per host over time: the best estimate as a line, low to high shaded, for the
    `top` hosts by their largest best estimate, each snapshot at its cutoff (the last day of
    its date); each measure a dotted vertical line at the day it came into force.

    `over_time` has the columns of `labournet.analysis.compare.workers_over_time`."""
    fig, ax = plt.subplots(figsize=(10, 5.5), dpi=110)
    frame = over_time.assign(when=pd.to_datetime(over_time["date"].map(_last_day)))
    largest = frame.groupby("id")["best"].max().sort_values(ascending=False).index[:top]
    for host in largest:
        rows = frame[frame["id"] == host].sort_values("when")
        (line,) = ax.plot(rows["when"], rows["best"], marker="o", label=str(rows["name"].iloc[0]))
        ax.fill_between(rows["when"], rows["low"], rows["high"], alpha=0.15, color=line.get_color())
    on_day: dict[Any, list[str]] = {}
    for measure in measures:  # one line and one label per day, however many measures
        on_day.setdefault(as_date(measure.date).first_day, []).append(str(measure.name))
    for day, names in on_day.items():
        when = mdates.date2num(pd.Timestamp(day))
        label = names[0][:40] + (f" (+{len(names) - 1})" if len(names) > 1 else "")
        ax.axvline(when, color="#999999", linestyle=":", linewidth=1)
        ax.annotate(label, (when, 1), xycoords=("data", "axes fraction"),
                    rotation=90, va="top", ha="right", fontsize=7, color="#555555")  # fmt: skip
    ax.set_ylabel("workers (best; shaded: low to high)")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_title("Workers per host over time, with the measures that came into force")
    ax.legend(fontsize=8, loc="upper right")
    fig.tight_layout()
    return _save(fig, path)


def _last_day(text: str) -> str:
    """A snapshot is as of the last day of the period its date names."""
    return as_date(text).last_day.isoformat()
