"""Tensions: where a number the model derives contradicts a number a source states.

The flow model computes totals and per-worker yields from many figures, some sourced and some
assumed. `find_tensions` compares what it derives with what the sources say directly:

* **total**: the model's revenue (or workers) over every placement against the regime's stated
  ``revenue`` (or ``workers_abroad``) figure. A best estimate outside the stated range is a
  tension; so is a model interval (the 5th-95th percentiles of the joint draws) wider than the
  stated range, which happens when the parts are typed in on their own instead of derived from
  the stated total (`labournet.model.formulas`).
* **yield per worker**: a ``works_in`` relation that carries a monthly ``wage`` and the
  ``earnings_kept`` by the worker implies ``(wage - kept) x 12`` US$ a year reaching the regime
  per worker; the model's yield per worker in that host (its revenue over its workers, at the
  estimates and over the joint draws) is compared with it. A sourced yield outside the model's
  interval is a tension.

Each `Tension` names both numbers and the figures (with their sources) behind them, so an
analyst can say which to doubt.

Example:
    >>> import labournet
    >>> from labournet.analysis.flows import build_flow_model
    >>> found = find_tensions(build_flow_model(labournet.load_dataset()))
    >>> [t.kind for t in found]
    ['yield per worker']
    >>> seamstress = found[-1]
    >>> seamstress.subject, round(seamstress.sourced), round(seamstress.derived)
    ('r-cn-works-garments', 2400, 4000)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from labournet._number import format_amount
from labournet.analysis.flows import FlowModel, Range
from labournet.model.dataset import Figure, figures_as_of

__all__ = ["Tension", "find_tensions"]


@dataclass(frozen=True)
class Tension:
    """A derived number against a sourced one, with the evidence for each."""

    kind: str
    subject: str
    derived: float
    derived_range: Range
    sourced: float
    sourced_range: Range
    unit: str
    derived_from: tuple[str, ...]
    sourced_from: tuple[str, ...]
    sources: tuple[str, ...]
    message: str


def find_tensions(model: FlowModel) -> tuple[Tension, ...]:
    """Every tension between the model's derived numbers and the figures that state them."""
    return (*_totals(model), *_yields(model))


def _stated(model: FlowModel, node: str, measure: str) -> Figure | None:
    figures = [f for f in model.graph.nodes[node].get("figures", ()) if f.measure == measure]
    chosen = figures_as_of(figures, model.as_of)
    return chosen[0] if chosen else None


def _totals(model: FlowModel) -> list[Tension]:
    totals = model.totals()
    found = []
    for measure, derived, unit, what in (
        ("revenue", totals.revenue, "USD per year", "revenue"),
        ("workers_abroad", totals.workers, "persons", "workers"),
    ):
        stated = _stated(model, model.regime, measure)
        if stated is None:
            continue
        source = Range(stated.low, stated.estimate, stated.high)
        outside = not stated.low <= derived.best <= stated.high
        wider = derived.low < stated.low * 0.999 or derived.high > stated.high * 1.001
        if not (outside or wider):
            continue
        stated_range = f"{format_amount(stated.low, unit)}–{format_amount(stated.high, unit)}"
        if outside:
            message = (
                f"the model's {what} ({format_amount(derived.best, unit)}) lies outside the stated "
                f"{stated_range} ({stated.id})"
            )
        else:
            message = (
                f"the model's {what} range {format_amount(derived.low, unit)}–"
                f"{format_amount(derived.high, unit)} is wider than the stated "
                f"{stated_range} ({stated.id}): the "
                "figures that make it up are not derived from it"
            )
        found.append(
            Tension(
                kind="total",
                subject=model.regime,
                derived=derived.best,
                derived_range=derived,
                sourced=stated.estimate,
                sourced_range=source,
                unit=unit,
                derived_from=tuple(f.id for f in model.figures),
                sourced_from=(stated.id,),
                sources=stated.sources,
                message=message,
            )
        )
    return found


def _yields(model: FlowModel) -> list[Tension]:
    found: list[Tension] = []
    pay: list[tuple[str, str, Figure, Figure]] = []
    for relation in model.slot_relation:
        if relation is None:
            continue
        u, v, _ = model.relations()[relation]
        figures = model.graph.edges[u, v, relation].get("figures", ())
        wages = figures_as_of([f for f in figures if f.measure == "wage"], model.as_of)
        kepts = figures_as_of([f for f in figures if f.measure == "earnings_kept"], model.as_of)
        if wages and kepts:
            pay.append((relation, u, wages[0], kepts[0]))
    if not pay:
        return found
    hosts = np.array([model.hosts.index(u) for _, u, _, _ in pay])
    mine = (model.placement_host[None, :] == hosts[:, None]).astype(float)

    def per_worker(revenue: np.ndarray, workers: np.ndarray, _: np.ndarray) -> list[np.ndarray]:
        money, people = mine @ revenue, mine @ workers
        with np.errstate(divide="ignore", invalid="ignore"):
            return [np.where(people > 0, money / np.where(people > 0, people, 1), 0.0)]

    (yields,) = model.ranges(per_worker, len(pay))
    for (relation, u, wage, kept), ends in zip(pay, yields, strict=True):
        sourced = (wage.estimate - kept.estimate) * 12
        sourced_range = Range((wage.low - kept.high) * 12, sourced, (wage.high - kept.low) * 12)
        derived = Range(*map(float, ends))
        if derived.low <= sourced <= derived.high:
            continue
        host_figures = [f.id for f in model.figures if f.subject in _host_items(model, u)]
        found.append(
            Tension(
                kind="yield per worker",
                subject=relation,
                derived=derived.best,
                derived_range=derived,
                sourced=sourced,
                sourced_range=sourced_range,
                unit="USD per worker per year",
                derived_from=tuple(host_figures),
                sourced_from=(wage.id, kept.id),
                sources=tuple(dict.fromkeys((*wage.sources, *kept.sources))),
                message=(
                    f"{u}: the model has each worker yield "
                    f"{format_amount(derived.best, 'USD')} a year "
                    f"(90% interval {format_amount(derived.low, 'USD')}–"
                    f"{format_amount(derived.high, 'USD')}); the "
                    f"sourced pay in {relation} leaves {format_amount(sourced, 'USD')} "
                    f"(({wage.estimate:g} - {kept.estimate:g}) x 12: {wage.id}, "
                    f"{kept.id})"
                ),
            )
        )
    return found


def _host_items(model: FlowModel, host: str) -> set[str]:
    """The host and the relations of its flows: the subjects of its workers and revenue."""
    items = {host}
    for key, (u, v, kind) in model.relations().items():
        if (kind == "sends_workers" and v == host) or (
            kind in ("works_in", "remits_to") and u == host
        ):
            items.add(key)
    return items
