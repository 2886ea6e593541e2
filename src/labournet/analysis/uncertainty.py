"""Uncertainty: how stable the ranking is when every figure is drawn within its range.

`monte_carlo` draws the figures the flow model uses ``draws`` times with a seeded
`numpy.random.Generator`, jointly (`labournet.model.formulas`): every *input* figure within
its range,

* ``triangular`` (default): triangular(low, best, high), where best is the figure's estimate
  (its best value, else the middle of the range); a figure with low = high is a constant;
* ``uniform``: uniform(low, high);

and every *derived* figure (one with a formula: a share of a total, a split over sectors, a
residual, revenue as workers x yield) computed in each draw from the drawn inputs, so shares of
one whole add up and totals keep their sourced ranges in every draw.

For each draw it recomputes every placement (`labournet.analysis.flows`), every candidate's
revenue and workers at stake and the pressure score (`labournet.analysis.pressure`; reach and
structure do not depend on figures), and ranks the candidates. It reports per candidate the
probability of being in the top ``k``, the 5th, 50th and 95th percentile of its rank (the rank
interval) and of its revenue at stake. Ranks are tracked for the ``track`` best-ranked
candidates at the estimates (all on small networks); ``p_top_k`` is exact for every candidate.

Results that rest on an assumption are flagged (``assumed`` and ``assumptions``, as in the
pressure table). Inputs are drawn independently of one another: a dependence the dataset does
not write as a formula is not modelled.

Example:
    >>> import labournet
    >>> from labournet.analysis.uncertainty import monte_carlo
    >>> result = monte_carlo(labournet.load_dataset(), draws=200, seed=1)
    >>> bool(result.table.loc["cn", "p_top_k"] > 0.5)
    True
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd

from labournet._display import table_html
from labournet._threads import Buffers, chunk_workers, in_order, shared_chunk
from labournet.analysis.flows import FlowModel, as_flow_model
from labournet.analysis.pressure import (
    DISPLAY_PER_LEVEL,
    Components,
    PressureResult,
    components,
    pressure_points,
)
from labournet.errors import AnalysisError
from labournet.model.dataset import Dataset
from labournet.model.dates import DateLike
from labournet.progress import stage

__all__ = ["monte_carlo", "UncertaintyResult", "draw_figures", "chunk_size", "DISTRIBUTIONS"]

DISTRIBUTIONS = ("triangular", "uniform")

DISPLAY_COLUMNS = (
    "name", "level", "rank", "p_top_k", "rank_p05", "rank_p50", "rank_p95", "revenue_p50",
    "assumed",
)  # fmt: skip
"""The columns of ``table`` a notebook shows (`UncertaintyResult._repr_html_`)."""

MEMORY_MB = 256.0
"""Default memory budget of one chunk of draws (`monte_carlo`'s ``memory_mb``)."""


@dataclass(frozen=True, eq=False)
class UncertaintyResult:
    """Monte Carlo results: one row per candidate (``table``), in pressure-table order."""

    draws: int
    seed: int | None
    distribution: str
    k: int
    tracked: int
    """Candidates whose rank and revenue percentiles are kept (the best ranked)."""
    table: pd.DataFrame = field(repr=False)
    chunk: int
    """Draws evaluated at a time (set by ``memory_mb``, or ``chunk``, of `monte_carlo`)."""

    def to_frame(self) -> pd.DataFrame:
        """The ``table``: one row per candidate, indexed by id (a copy)."""
        return self.table.copy()

    def _repr_html_(self) -> str:
        """The first `DISPLAY_PER_LEVEL` of each level: their rank interval and chance of the
        top k, escaped."""
        table = self.table
        shown = table.groupby("level", sort=False).head(DISPLAY_PER_LEVEL)
        title = (
            f"Monte Carlo over {self.draws:,} {self.distribution} draws (seed {self.seed}): "
            f"rank interval (5th-95th percentile) and chance of the top {self.k} of each level"
        )
        columns = [c for c in DISPLAY_COLUMNS if c in table.columns]
        return table_html(shown[columns], title=title, total=len(table), more="candidates")

    def to_dict(self) -> dict[str, object]:
        return {
            "draws": self.draws,
            "seed": self.seed,
            "distribution": self.distribution,
            "k": self.k,
            "tracked": self.tracked,
        }


def draw_figures(
    model: FlowModel, draws: int, rng: np.random.Generator, distribution: str = "triangular"
) -> np.ndarray:
    """Joint draws of every figure of `model`, ``(n_figures, draws)`` (`FlowModel.draw`)."""
    return model.draw(draws, rng, distribution)


def monte_carlo(
    data: Dataset | nx.MultiDiGraph | FlowModel,
    *,
    draws: int = 1000,
    seed: int | None = 0,
    k: int = 5,
    distribution: str = "triangular",
    track: int = 500,
    chunk: int | None = None,
    memory_mb: float = MEMORY_MB,
    regime: str | None = None,
    as_of: DateLike | None = None,
    result: PressureResult | None = None,
) -> UncertaintyResult:
    """Draw every figure within its range `draws` times; the rank stability of each candidate.

    Same ``seed``, same result; ``seed=None`` draws fresh entropy. Draws are evaluated a chunk
    at a time, so memory stays bounded: ``chunk`` draws at once in each thread (one per usable
    core, `labournet._threads`), by default as many as keep the threads' chunks
    within ``memory_mb`` megabytes together (`chunk_size`); neither the chunking nor the
    threads change the result. ``result``: the pressure result of `model`, if already computed (its
    components are reused). At the intervals' seed (0) and distribution, the draws are those
    behind the pressure table's intervals (the same stream, drawn again chunk by chunk, as
    every table draws them). Ranks are within levels and
    by the expected revenue denied, so they vary with every drawn figure, the hosts'
    compliance and the regime's substitution included.

    Returns an `UncertaintyResult` whose ``table`` has, per candidate: ``rank`` (at the
    estimates), ``p_top_k``, ``rank_p05``, ``rank_p50``, ``rank_p95``, ``revenue_p05``,
    ``revenue_p50``, ``revenue_p95``, ``workers_p05``, ``workers_p95``, ``assumed`` and
    ``assumptions``.
    """
    if not isinstance(draws, int | np.integer) or draws < 1:
        raise AnalysisError(f"draws must be a whole number >= 1, not {draws!r}")
    if not isinstance(k, int | np.integer) or k < 1:
        raise AnalysisError(f"k must be a whole number >= 1, not {k!r}")
    if chunk is not None and (not isinstance(chunk, int | np.integer) or chunk < 1):
        raise AnalysisError(f"chunk must be a whole number >= 1, not {chunk!r}")
    if not memory_mb > 0:
        raise AnalysisError(f"memory_mb must be a number > 0, not {memory_mb!r}")
    model = as_flow_model(data, regime=regime, as_of=as_of)
    base = result if result is not None else pressure_points(model, trace_limit=0)
    parts = base.parts if base.parts is not None and base.parts.model is model else None
    if parts is None:
        parts = components(model)
    order = {c: i for i, c in enumerate(model.candidates[r] for r in parts.rows)}
    position = np.array([order[c] for c in base.ids], dtype=np.int64)  # result -> parts row
    n_rows = len(position)
    tracked = position[: min(track, n_rows)]
    levels = _levels(parts, tracked)
    rng = np.random.default_rng(seed)
    if chunk is None:  # the threads' chunks share the memory budget
        chunk, threads = shared_chunk(draws, chunk_size(model, n_rows, draws, memory_mb))
    else:
        threads = chunk_workers(-(-draws // chunk))
    chunk = min(int(chunk), draws)
    top_counts = np.zeros(n_rows, dtype=np.int64)
    ranks = np.empty((len(tracked), draws), dtype=np.int32)
    revenue_draws = np.empty((len(tracked), draws))
    workers_draws = np.empty((len(tracked), draws))
    tracked_incidence = parts.incidence[tracked]
    # a block of placement values per thread, chunk after chunk
    scratches = Buffers(lambda: model.evaluation_scratch(chunk), threads)

    def chunks() -> Iterator[tuple[int, np.ndarray]]:
        """Each chunk's first draw and its figure values, drawn in order (one stream)."""
        for done in range(0, draws, chunk):
            yield done, draw_figures(model, min(chunk, draws - done), rng, distribution)

    def evaluate_chunk(item: tuple[int, np.ndarray]) -> tuple[np.ndarray, int]:
        """Write the chunk's columns of the tracked draws; its top-k counts and draws."""
        done, values = item
        n = values.shape[1]
        with scratches.lent() as scratch:
            revenue, workers = model.evaluate(values, scratch)
            revenue_draws[:, done : done + n] = np.asarray(tracked_incidence @ revenue)
            workers_draws[:, done : done + n] = np.asarray(tracked_incidence @ workers)
            scores = parts.denied(revenue, values)
        counts = np.zeros(n_rows, dtype=np.int64)
        for members, which, rows in levels:
            block = scores[members]
            counts[members] += _top_counts(block, k)
            if len(rows):
                ranks[which, done : done + n] = _ranks(block, rows)
        return counts, n

    with stage("Monte Carlo draws", total=draws) as progress:
        for counts, n in in_order(evaluate_chunk, chunks(), workers=threads):
            top_counts += counts
            progress.advance(n)
    out = pd.DataFrame(index=pd.Index(base.ids, name="id"))
    out["name"] = [p.name for p in base]
    out["type"] = [p.type for p in base]
    out["level"] = [p.level for p in base]
    out["rank"] = [p.rank for p in base]
    out["p_top_k"] = top_counts[position] / draws
    n_tracked = len(tracked)
    for name, array in (("rank", ranks), ("revenue", revenue_draws), ("workers", workers_draws)):
        quantiles = np.percentile(array, [5, 50, 95], axis=1) if n_tracked else np.zeros((3, 0))
        for q, values in zip(("p05", "p50", "p95"), quantiles, strict=True):
            if name == "workers" and q == "p50":
                continue
            column = np.full(n_rows, np.nan)
            column[:n_tracked] = values
            out[f"{name}_{q}"] = column
    out["assumed"] = [p.assumed for p in base]
    out["assumptions"] = [p.assumptions for p in base]
    return UncertaintyResult(
        draws=draws,
        seed=seed,
        distribution=distribution,
        k=k,
        tracked=n_tracked,
        table=out,
        chunk=chunk,
    )


def chunk_size(model: FlowModel, n_rows: int, draws: int, memory_mb: float = MEMORY_MB) -> int:
    """Draws per chunk that keep a chunk's arrays within `memory_mb` megabytes (at least 1).

    A draw (one column) holds about eight float64 values per figure (the draw and its
    temporaries), four per placement (revenue, workers, a scratch array and the compliance
    behind the denied revenue), two per slot and route, and five per candidate row (the
    scores, a level's block, its running tie count and sorted copy). Values stay float64:
    float32 placement values change the revenue and workers percentiles of the bundled
    datasets within the ten digits their CSV shows, and float32 scores would merge near ties
    that float64 ranks apart.
    """
    per_draw = 8 * (
        8 * len(model.system.figures)
        + 4 * model.n_placements
        + 2 * (len(model.slots.host) + len(model.routes.host))
        + 5 * n_rows
    )
    return max(1, min(draws, int(memory_mb * 2**20 // per_draw)))


def _levels(
    parts: Components, tracked: np.ndarray
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per level: its rows, which of `tracked` are in it, and their places among its rows."""
    out = []
    for level in np.unique(parts.levels):
        members = np.flatnonzero(parts.levels == level)
        which = np.flatnonzero(parts.levels[tracked] == level)
        out.append((members, which, np.searchsorted(members, tracked[which])))
    return out


def _top_counts(block: np.ndarray, k: int) -> np.ndarray:
    """In how many columns each row of `block` ranks in the top `k` (highest first; ties
    keep row order, as in the pressure table): a partition per column, no sort."""
    n = block.shape[0]
    if n <= k:
        return np.full(n, block.shape[1], dtype=np.int64)
    threshold = np.partition(block, n - k, axis=0)[n - k]  # the k-th highest of each column
    above = block > threshold
    tied = block == threshold
    room = k - np.count_nonzero(above, axis=0)  # places left for the rows at the threshold
    tied &= np.cumsum(tied, axis=0) <= room
    above |= tied
    return np.count_nonzero(above, axis=1)


def _ranks(block: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Rank (1 = highest) of `rows` of `block` in each column, ``(len(rows), n_columns)``;
    ties keep row order. One sort per column, and a stable argsort only where a tie counts."""
    n = block.shape[0]
    columns = np.array(block.T, order="C")  # a copy, sorted in place
    values = columns[:, rows]
    columns.sort(axis=1)
    out = np.empty((len(rows), columns.shape[0]), dtype=np.int32)
    for j, (column, value) in enumerate(zip(columns, values, strict=True)):
        above = np.searchsorted(column, value, side="right")
        rank = n + 1 - above
        tied = above - np.searchsorted(column, value, side="left") > 1
        if tied.any():
            order = np.argsort(-block[:, j], kind="stable")
            place = np.empty(n, dtype=np.int64)
            place[order] = np.arange(1, n + 1)
            rank[tied] = place[rows[tied]]
        out[:, j] = rank
    return out
