"""Generate a large, realistic labour-export network in the labournet dataset format.

The network is seeded and reproducible, and it carries the figures that pressure-point analysis
needs, so every analysis can be timed on it:

* ``kp`` (role ``regime``) sends workers to many host countries (``sends_workers`` with a
  ``workers`` figure);
* each host places its workers in a few sectors (``works_in`` with ``workers`` figures that add up
  to the host's workers at the best estimate);
* each host remits revenue through employers or agencies (organisations, role ``employer``)
  based in it (``host -remits_to-> employer`` with a ``revenue`` figure); a few hosts also remit
  straight to the regime; employers pass the money on to brokers or front companies (role
  ``broker``) or straight to the regime, and brokers to the regime (``remits_to`` with
  ``revenue`` figures, used to split an employer's money between its onward routes);
* actors (role ``actor``) pressure hosts and take measures that target hosts, sectors and
  organisations; measures respond to events the regime conducts;
* people, outlets and ministries fill the rest of the relation budget (``affiliated_with``,
  ``estimates``, ``reports``, ``based_in``, ``leads``, ``exports_to``), as real networks do.

Some figures and relations rest on synthetic assumptions, as in the bundled dataset.

Usage::

    PYTHONPATH=src python benchmarks/generate.py --entities 50000 --relations 250000 \\
        --seed 7 --out /tmp/labournet-50k
    PYTHONPATH=src labournet validate /tmp/labournet-50k

From Python (for benchmarks of other modules)::

    from benchmarks.generate import generate
    folder = generate("/tmp/net", entities=5000, relations=25000, seed=1)
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

__all__ = ["generate", "main"]

ENTITY_COLUMNS = (
    "id",
    "kind",
    "name",
    "description",
    "sources",
    "iso_code",
    "role",
    "date",
    "instrument",
)
RELATION_COLUMNS = (
    "id",
    "kind",
    "source",
    "target",
    "claim",
    "sources",
    "assumptions",
    "date",
    "role",
)
FIGURE_COLUMNS = (
    "id", "subject", "measure", "low", "best", "high", "unit", "year",
    "claim", "sources", "assumptions", "stated_by",
)  # fmt: skip
SECTOR_NAMES = (
    "construction", "garments", "logging", "fishing", "shipbuilding", "medicine", "sculpture",
    "restaurants", "mining", "agriculture", "it-services", "seafood-processing", "textiles",
    "electronics-assembly", "forestry", "road-building", "domestic-work", "hospitality",
)  # fmt: skip
YEAR = 2016


def _plan(entities: int) -> dict[str, int]:
    """How many entities of each role a network of `entities` nodes gets."""
    if entities < 60:
        raise SystemExit("--entities must be at least 60")
    plan = {
        "host": max(5, entities // 250),
        "actor": max(2, entities // 1000),
        "sector": max(4, min(60, entities // 800)),
        "employer": max(10, entities // 5),
        "broker": max(3, entities // 25),
        "outlet": max(2, entities // 500),
        "measure": max(3, entities // 25),
        "event": max(2, entities // 100),
    }
    plan["person"] = entities - 1 - sum(plan.values())
    if plan["person"] < 1:
        raise SystemExit("--entities too small for the plan")
    return plan


CITATIONS = ("random", "topical")
"""How records cite sources: ``random``, each record one source of the whole pool (the pool
grows with the network, so the sources behind a ranked row do too); ``topical``, the records
about a host (its workers, sectors, remittances, employers' onward payments, the pressure on
it) one of `TOPIC_SOURCES` sources of its own, everything else one of `TOPIC_SOURCES` general
ones, as a real dataset cites a few reports per country. The same network either way: only the
citations differ (the same random stream)."""

TOPIC_SOURCES = 3


def generate(
    out: str | Path,
    *,
    entities: int = 50_000,
    relations: int = 250_000,
    seed: int = 0,
    citations: str = "random",
) -> Path:
    """Write a generated network with about `entities` entities and `relations` relations.

    The entity count is exact; the relation count is exact when `relations` is at least the
    structural minimum (about three relations per employer), otherwise that minimum is used.
    `citations` is one of `CITATIONS`. Returns the dataset folder.
    """
    if citations not in CITATIONS:
        raise SystemExit(f"--citations must be one of {', '.join(CITATIONS)}, not {citations!r}")
    rng = np.random.default_rng(seed)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    plan = _plan(entities)
    n_sources = max(5, entities // 100)
    source_ids = [f"s{i}" for i in range(n_sources)]
    assumption_ids = [f"a{i}" for i in range(max(3, entities // 2000))]

    def src(host: int | None = None) -> str:
        """A source (one draw of the stream either way); `host`: the host a record is about."""
        drawn = int(rng.integers(n_sources))
        if citations == "random":
            return source_ids[drawn]
        topic = 0 if host is None else host + 1
        return source_ids[(topic * TOPIC_SOURCES + drawn % TOPIC_SOURCES) % n_sources]

    def assumed(p: float) -> str:
        return assumption_ids[int(rng.integers(len(assumption_ids)))] if rng.random() < p else ""

    ents: list[tuple[str, ...]] = []
    rels: list[tuple[str, ...]] = []
    figs: list[tuple[str, ...]] = []

    def entity(
        eid: str, kind: str, name: str, role: str = "", date: str = "", instrument: str = ""
    ) -> str:
        ents.append((eid, kind, name, "", src(), "", role, date, instrument))
        return eid

    def relation(
        kind: str,
        source: str,
        target: str,
        assumptions: str = "",
        date: str = "",
        host: int | None = None,
    ) -> str:
        rid = f"r{len(rels)}"
        cited = src(host)
        rels.append(
            (rid, kind, source, target, f"{source} {kind} {target}", cited, assumptions, date, "")
        )
        return rid

    def figure(
        subject: str,
        measure: str,
        best: float,
        unit: str,
        spread: float,
        assumptions: str,
        host: int | None = None,
    ) -> None:
        low, high = best * (1 - spread), best * (1 + spread)
        figs.append(
            (f"f{len(figs)}", subject, measure, _num(low), _num(best), _num(high), unit, str(YEAR),
             f"{measure} of {subject}", src(host), assumptions, "")
        )  # fmt: skip

    regime = entity("kp", "country", "Regime", role="regime")
    hosts = [entity(f"host{i}", "country", f"Host {i}", role="host") for i in range(plan["host"])]
    actors = [
        entity(f"actor{i}", "country", f"Actor {i}", role="actor") for i in range(plan["actor"])
    ]
    sectors = [
        entity(
            f"sector{i}",
            "sector",
            SECTOR_NAMES[i % len(SECTOR_NAMES)] + (f"-{i}" if i >= len(SECTOR_NAMES) else ""),
        )
        for i in range(plan["sector"])
    ]
    employers = [
        entity(f"emp{i}", "organisation", f"Employer {i}", role="employer")
        for i in range(plan["employer"])
    ]
    brokers = [
        entity(f"broker{i}", "organisation", f"Broker {i}", role="broker")
        for i in range(plan["broker"])
    ]
    outlets = [
        entity(f"outlet{i}", "organisation", f"Outlet {i}", role="outlet")
        for i in range(plan["outlet"])
    ]
    events = [
        entity(f"event{i}", "event", f"Event {i}", date=f"{YEAR}-{1 + i % 12:02d}")
        for i in range(plan["event"])
    ]
    measures = [
        entity(
            f"measure{i}",
            "measure",
            f"Measure {i}",
            date=f"{YEAR}-{1 + i % 12:02d}",
            instrument="sanctions",
        )
        for i in range(plan["measure"])
    ]
    persons = [
        entity(f"person{i}", "person", f"Person {i}", role="expert") for i in range(plan["person"])
    ]

    # Hosts: a heavy-tailed spread of workers, as in reality (two hosts hold most workers).
    weights = rng.pareto(1.2, len(hosts)) + 0.05
    host_workers = np.maximum(10, np.round(weights / weights.sum() * 100_000 * len(hosts) / 20))
    revenue_per_worker = rng.uniform(2_000, 6_000, len(hosts))
    # Employers: each based in one host (more in big hosts); brokers serve many employers.
    employer_host = rng.choice(len(hosts), size=len(employers), p=weights / weights.sum())
    for h, host in enumerate(hosts):
        w = float(host_workers[h])
        a = assumed(0.5)
        relation("sends_workers", regime, host, assumptions=a, host=h)
        figure(rels[-1][0], "workers", w, "persons", 0.3, a, host=h)
        k = int(rng.integers(1, min(6, len(sectors)) + 1))
        chosen = rng.choice(len(sectors), size=k, replace=False)
        split = rng.dirichlet(np.ones(k))
        for s, share in zip(chosen, split, strict=True):
            a = assumed(0.6)
            relation("works_in", host, sectors[s], assumptions=a, host=h)
            figure(rels[-1][0], "workers", max(1.0, round(w * share)), "persons", 0.4, a, host=h)
        mine = np.flatnonzero(employer_host == h)
        revenue = w * revenue_per_worker[h]
        direct = len(mine) == 0 or rng.random() < 0.1
        routes = len(mine) + int(direct)
        shares = rng.dirichlet(np.ones(routes))
        for e, share in zip(mine, shares, strict=False):
            a = assumed(0.4)
            relation("remits_to", host, employers[e], assumptions=a, host=h)
            figure(rels[-1][0], "revenue", round(revenue * share), "USD per year", 0.5, a, host=h)
        if direct:
            a = assumed(0.4)
            relation("remits_to", host, regime, assumptions=a, host=h)
            figure(
                rels[-1][0], "revenue", round(revenue * shares[-1]), "USD per year", 0.5, a, host=h
            )
    for i, employer in enumerate(employers):
        h = int(employer_host[i])
        relation("based_in", employer, hosts[h], host=h)
        onward = [
            brokers[int(b)]
            for b in rng.choice(len(brokers), size=int(rng.integers(1, 3)), replace=False)
        ]
        if rng.random() < 0.15:
            onward = [regime]
        for target in onward:
            relation("remits_to", employer, target, host=h)
            paid = round(float(rng.uniform(1e4, 1e6)))
            figure(rels[-1][0], "revenue", paid, "USD per year", 0.5, "", host=h)
    for broker in brokers:
        relation("based_in", broker, hosts[int(rng.integers(len(hosts)))])
        relation("remits_to", broker, regime)
    # Pressure: every actor presses a handful of hosts and takes measures against placements.
    for actor in actors:
        for h in rng.choice(
            len(hosts), size=min(len(hosts), int(rng.integers(3, 25))), replace=False
        ):
            relation(
                "pressures", actor, hosts[h], assumptions=assumed(0.3), date=str(YEAR), host=int(h)
            )
    for i, measure in enumerate(measures):
        taker = (
            actors[i % len(actors)] if rng.random() < 0.7 else hosts[int(rng.integers(len(hosts)))]
        )
        relation("takes_measure", taker, measure, date=str(YEAR))
        pool = rng.random()
        if pool < 0.5:
            target = hosts[int(rng.integers(len(hosts)))]
        elif pool < 0.7:
            target = sectors[int(rng.integers(len(sectors)))]
        else:
            target = employers[int(rng.integers(len(employers)))]
        relation("targets", measure, target)
        relation("responds_to", measure, events[int(rng.integers(len(events)))])
    for event in events:
        relation("conducts", regime, event, date=str(YEAR))
    # Filler: the rest of a real network (people, outlets, trade), up to the relation budget.
    countries = [regime, *hosts, *actors]
    organisations = [*employers, *brokers, *outlets]
    budget = max(0, relations - len(rels))
    kinds = rng.choice(6, size=budget, p=[0.45, 0.2, 0.15, 0.1, 0.05, 0.05])
    picks = rng.random((budget, 2))
    for kind, (x, y) in zip(kinds, picks, strict=True):
        if kind == 0:
            relation("affiliated_with", _pick(persons, x), _pick(organisations, y))
        elif kind == 1:
            relation("estimates", _pick(persons, x), _pick(organisations, y))
        elif kind == 2:
            relation("reports", _pick(outlets, x), _pick([*measures, *events], y))
        elif kind == 3:
            relation("based_in", _pick(outlets, x), _pick(countries, y))
        elif kind == 4:
            relation("leads", _pick(persons, x), _pick(organisations, y))
        else:
            relation("exports_to", _pick(countries, x), _pick(countries, y))
    total = float(np.round(host_workers * revenue_per_worker).sum())
    figure(regime, "revenue", total, "USD per year", 0.2, "")

    sources = [
        (s, f"Publisher {i % 50}", f"Report {i}", f"{YEAR}-01-01", "", "synthetic")
        for i, s in enumerate(source_ids)
    ]
    assumptions = [
        (a, f"Synthetic assumption {a}", "Generated for benchmarking", source_ids[0])
        for a in assumption_ids
    ]
    _write(folder / "sources.csv", ("id", "publisher", "title", "date", "url", "note"), sources)
    _write(folder / "assumptions.csv", ("id", "statement", "reasoning", "sources"), assumptions)
    _write(folder / "entities.csv", ENTITY_COLUMNS, ents)
    _write(folder / "relations.csv", RELATION_COLUMNS, rels)
    _write(folder / "figures.csv", FIGURE_COLUMNS, figs)
    return folder


def _pick(items: Sequence[str], u: float) -> str:
    return items[min(len(items) - 1, int(u * len(items)))]


def _num(value: float) -> str:
    value = max(0.0, float(value))
    return str(int(round(value))) if value >= 10 else f"{value:.4g}"


def _write(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    """Command line: ``generate.py --entities N --relations M --seed S --out DIR``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--entities", type=int, default=50_000, help="number of entities (default 50000)"
    )
    parser.add_argument(
        "--relations", type=int, default=250_000, help="number of relations (default 250000)"
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--out", type=Path, default=Path("labournet-generated"), help="output folder"
    )
    parser.add_argument(
        "--citations",
        choices=CITATIONS,
        default="random",
        help="how records cite sources (default random; topical: a few sources per host)",
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    folder = generate(
        args.out,
        entities=args.entities,
        relations=args.relations,
        seed=args.seed,
        citations=args.citations,
    )
    lines = {name: sum(1 for _ in (folder / name).open(encoding="utf-8")) - 1
             for name in ("entities.csv", "relations.csv", "figures.csv")}  # fmt: skip
    print(
        f"wrote {folder}: {lines['entities.csv']} entities, {lines['relations.csv']} relations, "
        f"{lines['figures.csv']} figures in {time.perf_counter() - start:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
