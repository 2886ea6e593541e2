"""Scenarios: cut all or part of some candidates, let the regime re-route, see what it loses.

A cut ``id`` (or ``id=1``) removes every placement that depends on the candidate; a partial
cut ``id=0.5`` removes that fraction of each of them (a host that sends home half of the
workers, a sector ban that is half enforced). A placement that depends on several cut
candidates keeps the product of what each leaves (cut ``cn=0.5`` and ``garments=0.5``: China's
garment placements keep a quarter).

The regime re-routes. Of what the cuts remove, it places the share ``substitution`` (the
figure on the regime, drawn with the other figures; 0 without one) again, in the placements that
remain, in proportion to what each already carries: its remaining hosts take more workers, at
the yield per worker they already give. Nothing is re-routed if nothing remains. So:

* ``gross`` loss: what the cuts remove, before re-routing;
* ``rerouted``: substitution x gross, added to what remains (``rerouted_to`` per host);
* ``net`` loss: gross - rerouted; ``remaining``: before - net.

Each is low / best / high: best at the estimates, low and high the 5th and 95th percentiles of
the joint draws (`labournet.analysis.flows`). `scenarios` runs several cut sets on one model, for
a side-by-side comparison. The ranking of what remains weights every placement by what it keeps
after the cuts and the re-routing.

Example:
    >>> import labournet
    >>> result = labournet.scenario(labournet.load_dataset(), ["cn", "ru"])
    >>> round(result.gross.revenue.best / 1e6), round(result.net.revenue.best / 1e6)
    (240, 180)
    >>> half = labournet.scenario(labournet.load_dataset(), ["ru=0.5"])
    >>> round(half.gross.revenue.best / 1e6)
    54
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from labournet._display import table_html
from labournet._number import format_quantity
from labournet.analysis.flows import FlowModel, Range, Totals, as_flow_model
from labournet.analysis.pressure import PressureResult, pressure_points
from labournet.analysis.provenance import assumptions_behind
from labournet.errors import AnalysisError
from labournet.model.dataset import Dataset
from labournet.model.dates import DateLike, PartialDate
from labournet.names import resolve_graph_id

__all__ = [
    "scenario",
    "scenarios",
    "ScenarioResult",
    "Cut",
    "parse_cut",
    "REROUTE_RULE",
    "STAGES",
]

STAGES = ("before", "gross", "rerouted", "net", "remaining")
"""What a scenario reports, in order: the totals before the cuts, what they remove (gross), what
the regime re-routes, the net loss and what remains."""

REROUTE_RULE = (
    "the regime places its substitution share of what the cuts remove again, in the placements "
    "that remain, in proportion to what each carries; nothing is re-routed if nothing remains"
)


@dataclass(frozen=True)
class Cut:
    """A candidate and the fraction of each of its placements a cut removes (0 < fraction <= 1)."""

    item: str
    fraction: float = 1.0

    def __str__(self) -> str:
        return self.item if self.fraction == 1 else f"{self.item}={self.fraction:g}"


def parse_cut(text: str | Cut | tuple[str, float]) -> Cut:
    """``"ru"``, ``"ru=0.5"``, ``("ru", 0.5)`` or a `Cut`; `AnalysisError` for a bad fraction."""
    if isinstance(text, Cut):
        cut = text
    elif isinstance(text, tuple):
        cut = Cut(str(text[0]), float(text[1]))
    else:
        item, sep, value = str(text).strip().partition("=")
        try:
            fraction = float(value) if sep else 1.0
        except ValueError:
            raise AnalysisError(
                f"cut '{text}': '{value}' is not a fraction (write ID or ID=FRACTION, e.g. ru=0.5)"
            ) from None
        cut = Cut(item.strip(), fraction)
    if not cut.item:
        raise AnalysisError(f"cut '{text}' names no candidate (write ID or ID=FRACTION)")
    if not (0 < cut.fraction <= 1):
        raise AnalysisError(
            f"cut '{text}': the fraction must be above 0 and at most 1, not {cut.fraction:g}"
        )
    return cut


@dataclass(frozen=True, eq=False)
class ScenarioResult:
    """What cutting `cuts` does, gross and net of the regime's re-routing. USD per year."""

    cuts: tuple[Cut, ...]
    as_of: PartialDate
    before: Totals
    gross: Totals
    rerouted: Totals
    net: Totals
    remaining: Totals
    substitution: float
    rerouted_to: Mapping[str, float]
    placements_cut: int
    placements_touched: int
    placements: int
    lost_entirely: tuple[str, ...]
    """Candidates (other than the cuts) whose every placement the cuts remove."""
    ranking: PressureResult = field(repr=False)
    assumptions: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The cut set as written: ``cn, ru=0.5``."""
        return ", ".join(str(c) for c in self.cuts)

    @property
    def revenue_lost(self) -> Range:
        """Net revenue lost (after re-routing)."""
        return self.net.revenue

    @property
    def revenue_lost_share(self) -> float:
        """Best-estimate share of the regime's revenue lost, net of re-routing."""
        best = self.before.revenue.best
        return self.net.revenue.best / best if best else 0.0

    def rows(self) -> list[dict[str, Any]]:
        """One row per quantity (revenue/workers x before/gross/rerouted/net/remaining)."""
        out = []
        for measure in ("revenue", "workers"):
            for stage in STAGES:
                value: Range = getattr(getattr(self, stage), measure)
                out.append(
                    {
                        "cuts": self.label,
                        "measure": measure,
                        "stage": stage,
                        "low": value.low,
                        "best": value.best,
                        "high": value.high,
                    }
                )
        return out

    def to_frame(self) -> pd.DataFrame:
        """One row per stage (`STAGES`: before, gross, rerouted, net, remaining), indexed by
        stage, with revenue (USD per year) and workers as low, best and high."""
        rows = {
            stage: {
                f"{measure}_{part}": getattr(getattr(getattr(self, stage), measure), part)
                for measure in ("revenue", "workers")
                for part in ("low", "best", "high")
            }
            for stage in STAGES
        }
        return pd.DataFrame.from_dict(rows, orient="index").rename_axis("stage")

    def _repr_html_(self) -> str:
        """The stages as a table, escaped, under the net loss in a line."""
        title = (
            f"Cut {self.label} as of {self.as_of}: net revenue lost "
            f"{format_quantity(self.net.revenue.best)} USD a year "
            f"({self.revenue_lost_share:.0%} of the regime's), after re-routing "
            f"{self.substitution:.0%} of the loss"
        )
        notes = [f"rests on assumptions: {', '.join(self.assumptions)}"] if self.assumptions else []
        return table_html(self.to_frame(), title=title, notes=notes)

    def to_dict(self) -> dict[str, object]:
        """A JSON-friendly summary (without the ranking)."""

        def rng(r: Range) -> dict[str, float]:
            return {"low": r.low, "best": r.best, "high": r.high}

        stages = STAGES
        return {
            "cuts": [{"id": c.item, "fraction": c.fraction} for c in self.cuts],
            "as_of": str(self.as_of),
            "rule": REROUTE_RULE,
            "substitution": self.substitution,
            "placements": self.placements,
            "placements_cut": self.placements_cut,
            "placements_touched": self.placements_touched,
            "revenue": {s: rng(getattr(self, s).revenue) for s in stages},
            "workers": {s: rng(getattr(self, s).workers) for s in stages},
            "revenue_lost_share": self.revenue_lost_share,
            "rerouted_to": dict(self.rerouted_to),
            "assumptions": list(self.assumptions),
        }


def scenario(
    data: Dataset | nx.MultiDiGraph | FlowModel,
    cuts: Iterable[str | Cut | tuple[str, float]],
    *,
    regime: str | None = None,
    as_of: DateLike | None = None,
) -> ScenarioResult:
    """Cut the candidates `cuts` (ids, ``id=fraction``, or `Cut`), with re-routing.

    Raises `AnalysisError` naming an id that is unknown or not on any route to the regime, a
    fraction outside (0, 1], or when no cut is given.

    Examples
    --------
    >>> import labournet
    >>> result = labournet.scenario(labournet.load_dataset("tests/fixtures/mini"), ["cn"])
    >>> result.gross.revenue.best, result.remaining.revenue.best
    (225000000.0, 0.0)
    """
    model = as_flow_model(data, regime=regime, as_of=as_of)
    parsed = _cut_set(cuts, model.graph)
    model.check_candidates(c.item for c in parsed)
    keep = np.ones(model.n_placements)
    for cut in parsed:
        keep[model.placements_of(cut.item)] *= 1.0 - cut.fraction
    removed = 1.0 - keep

    def stages(revenue: np.ndarray, workers: np.ndarray, values: np.ndarray) -> list[np.ndarray]:
        _, kept = model.leverage(values)
        substitution = 1.0 - kept  # (n,)
        out = []
        for amount in (revenue, workers):
            before = amount.sum(axis=0)
            gross = removed @ amount
            left = keep @ amount
            rerouted = np.where(left > 0, substitution * gross, 0.0)
            out.append(
                np.vstack([before, gross, rerouted, gross - rerouted, before - gross + rerouted])
            )
        return out

    revenue, workers = model.ranges(stages, 5)
    totals = [
        Totals(Range(*map(float, r)), Range(*map(float, w)))
        for r, w in zip(revenue, workers, strict=True)
    ]
    estimates = model.estimates()
    substitution = float(1.0 - model.leverage(estimates)[1][0])
    best_revenue = model.evaluate(estimates)[0][:, 0]
    left = float(keep @ best_revenue)
    factor = 1.0 + (substitution * float(removed @ best_revenue) / left if left > 0 else 0.0)
    weight = keep * factor
    rerouted_to: dict[str, float] = {}
    if left > 0:
        gained = keep * best_revenue * (factor - 1.0)
        per_host = np.bincount(model.placement_host, weights=gained, minlength=len(model.hosts))
        rerouted_to = {h: float(v) for h, v in zip(model.hosts, per_host, strict=True) if v > 0}
    ranking = pressure_points(model, weight=weight)
    gone = np.asarray(model.incidence @ (keep > 0)).ravel() == 0
    cut_ids = {c.item for c in parsed}
    lost_entirely = tuple(
        c for c, g in zip(model.candidates, gone, strict=True) if g and c not in cut_ids
    )
    rows = np.array([model.candidate_index()[c.item] for c in parsed])
    found = assumptions_behind(model, rows)
    for row in model.substitution.rows():
        if row is not None:
            found.update(model.figures[row].assumptions)
    return ScenarioResult(
        cuts=parsed,
        as_of=model.as_of,
        before=totals[0],
        gross=totals[1],
        rerouted=totals[2],
        net=totals[3],
        remaining=totals[4],
        substitution=substitution,
        rerouted_to=dict(sorted(rerouted_to.items(), key=lambda kv: -kv[1])),
        placements_cut=int((keep == 0).sum()),
        placements_touched=int((removed > 0).sum()),
        placements=model.n_placements,
        lost_entirely=lost_entirely,
        ranking=ranking,
        assumptions=tuple(sorted(found)),
    )


def scenarios(
    data: Dataset | nx.MultiDiGraph | FlowModel,
    cut_sets: Sequence[Iterable[str | Cut | tuple[str, float]]],
    *,
    regime: str | None = None,
    as_of: DateLike | None = None,
) -> list[ScenarioResult]:
    """`scenario` for each cut set, on one flow model (for a side-by-side comparison)."""
    if not cut_sets:
        raise AnalysisError("no cut set given (e.g. ['cn', 'ru=0.5'])")
    model = as_flow_model(data, regime=regime, as_of=as_of)
    return [scenario(model, cuts) for cuts in cut_sets]


def _cut_set(
    cuts: Iterable[str | Cut | tuple[str, float]], graph: nx.MultiDiGraph
) -> tuple[Cut, ...]:
    """The cuts parsed, each named by its id (a name or ISO code is taken where unambiguous)."""
    if isinstance(cuts, str | Cut):
        cuts = [cuts]
    parsed: dict[str, Cut] = {}
    for given in map(parse_cut, cuts):
        cut = Cut(resolve_graph_id(graph, given.item, option="--cut"), given.fraction)
        held = parsed.get(cut.item)
        if held is not None and held.fraction != cut.fraction:
            raise AnalysisError(
                f"'{cut.item}' is cut twice with different fractions ({held}, {cut})"
            )
        parsed[cut.item] = cut
    if not parsed:
        raise AnalysisError("a scenario needs at least one cut (an id of a host, sector, ...)")
    return tuple(parsed.values())
