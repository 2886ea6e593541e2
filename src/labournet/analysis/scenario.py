"""Scenarios: cut one or more candidates and see what the regime loses and what remains.

A cut removes every placement that depends on a cut candidate (its revenue and its workers
together) and nothing re-routes (see `labournet.analysis.flows`): a host that stops visas or
expels workers, a sector that is banned, a middleman that is closed or a relation that is
severed. The result gives the revenue and workers lost and remaining (low / best / high, each
end evaluated with every figure at that end) and the new ranking of what remains.

Example:
    >>> import labournet
    >>> result = labournet.scenario(labournet.load_dataset(), ["cn", "ru"])
    >>> round(result.revenue_lost.best / 1e6)
    240
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd

from labournet.analysis.flows import FlowModel, Range, Totals, as_flow_model
from labournet.analysis.pressure import pressure_points
from labournet.dataset import Dataset
from labournet.errors import AnalysisError

__all__ = ["scenario", "ScenarioResult"]


@dataclass(frozen=True, eq=False)
class ScenarioResult:
    """What cutting `cuts` does. Revenue in USD per year."""

    cuts: tuple[str, ...]
    before: Totals
    lost: Totals
    remaining: Totals
    placements_cut: int
    placements: int
    ranking: pd.DataFrame = field(repr=False)
    assumptions: tuple[str, ...] = ()

    @property
    def revenue_lost(self) -> Range:
        return self.lost.revenue

    @property
    def workers_lost(self) -> Range:
        return self.lost.workers

    @property
    def revenue_lost_share(self) -> float:
        """Best-estimate share of the regime's revenue that the cuts remove."""
        best = self.before.revenue.best
        return self.lost.revenue.best / best if best else 0.0

    def to_dict(self) -> dict[str, object]:
        """A JSON-friendly summary (without the ranking)."""

        def rng(r: Range) -> dict[str, float]:
            return {"low": r.low, "best": r.best, "high": r.high}

        return {
            "cuts": list(self.cuts),
            "placements_cut": self.placements_cut,
            "placements": self.placements,
            "revenue": {
                "before": rng(self.before.revenue),
                "lost": rng(self.lost.revenue),
                "remaining": rng(self.remaining.revenue),
            },
            "workers": {
                "before": rng(self.before.workers),
                "lost": rng(self.lost.workers),
                "remaining": rng(self.remaining.workers),
            },
            "revenue_lost_share": self.revenue_lost_share,
            "assumptions": list(self.assumptions),
        }


def scenario(
    data: Dataset | nx.MultiDiGraph | FlowModel,
    cuts: Iterable[str],
    *,
    regime: str | None = None,
    as_of: int | None = None,
) -> ScenarioResult:
    """Cut the candidates `cuts` (ids of hosts, sectors, organisations or flow relations).

    Raises `AnalysisError` naming an id that is unknown or not on any route to the regime, and
    when no cut is given.

    Examples
    --------
    >>> import labournet
    >>> result = labournet.scenario(labournet.load_dataset("tests/fixtures/mini"), ["cn"])
    >>> result.revenue_lost.best, result.remaining.revenue.best
    (225000000.0, 0.0)
    """
    cuts = tuple(dict.fromkeys(cuts))
    if not cuts:
        raise AnalysisError("a scenario needs at least one cut (an id of a host, sector, ...)")
    model = as_flow_model(data, regime=regime, as_of=as_of)
    alive = model.alive_after(cuts)
    dead = ~alive
    before, lost, remaining = model.totals_of(np.vstack([np.ones_like(alive), dead, alive]))
    ranking = pressure_points(model, cuts=cuts)
    rows = np.array([model.candidate_index()[c] for c in cuts])
    _, assumed = model.trace(rows)
    found = sorted({model.assumption_ids[a] for a in assumed.indices})
    return ScenarioResult(
        cuts=cuts,
        before=before,
        lost=lost,
        remaining=remaining,
        placements_cut=int(dead.sum()),
        placements=model.n_placements,
        ranking=ranking,
        assumptions=tuple(found),
    )
