"""A seeded synthetic network in memory, for store tests that need more than the bundled data.

It follows the packaged schema (countries, sectors, organisations; sends_workers, works_in,
remits_to, based_in, pressures), and its text holds what breaks naive quoting: quotes,
backslashes, newlines, tabs, braces, Cypher comment markers and non-ASCII letters.
"""

from __future__ import annotations

import random

from labournet.model.dataset import Assumption, Dataset, Entity, Figure, Relation, Source
from labournet.model.schema import load_schema

AWKWARD = (
    'a "quoted" name',
    "it's",
    "back\\slash",
    "line\nbreak",
    "tab\there",
    "{braces: 1}",
    "// not a comment */",
    "Zürich – 北京 – Пхеньян",
    "$param `tick`",
    "",
)


def make_network(entities: int = 1000, relations: int = 4000, seed: int = 0) -> Dataset:
    """About `entities` entities and exactly `relations` relations, with figures on some."""
    rng = random.Random(seed)
    sources = tuple(
        Source(f"s{i}", f"Publisher {i}", AWKWARD[i % len(AWKWARD)], "2016", "", "")
        for i in range(5)
    )
    assumptions = (Assumption("a0", "An assumed split", 'Because "reasons"', ("s0",)),)
    n_countries = max(3, entities // 5)
    n_sectors = max(2, entities // 10)
    n_orgs = entities - n_countries - n_sectors
    countries = [f"c{i}" for i in range(n_countries)]
    sectors = [f"sec{i}" for i in range(n_sectors)]
    orgs = [f"o{i}" for i in range(n_orgs)]
    ents = [Entity("c0", "country", "Regime", "sends workers", ("s0",), (), {"role": "regime"})]
    for cid in countries[1:]:
        text = AWKWARD[rng.randrange(len(AWKWARD))]
        props = {"iso_code": cid.upper()[:3], "role": "host"} if rng.random() < 0.7 else {}
        ents.append(Entity(cid, "country", f"Country {cid} {text}", text, ("s1",), (), props))
    for sid in sectors:
        ents.append(Entity(sid, "sector", f"Sector {sid}", "", ("s2",)))
    for oid in orgs:
        assumed = ("a0",) if rng.random() < 0.1 else ()
        ents.append(
            Entity(oid, "organisation", f"Org {oid}", "", ("s3",), assumed, {"role": "employer"})
        )
    shapes = [
        ("sends_workers", countries[:1], countries[1:]),
        ("works_in", countries, sectors),
        ("remits_to", countries, orgs),
        ("based_in", orgs, countries),
        ("pressures", countries, countries),
    ]
    rels, figs = [], []
    for index in range(relations):
        kind, sources_pool, targets_pool = shapes[index % len(shapes)]
        source, target = rng.choice(sources_pool), rng.choice(targets_pool)
        props = {"date": "2016"} if kind in ("sends_workers", "pressures") else {}
        assumed = ("a0",) if rng.random() < 0.05 else ()
        rid = f"r{index}"
        rels.append(
            Relation(rid, kind, source, target, AWKWARD[index % len(AWKWARD)] + f" {rid}",
                     ("s0", "s4"), assumed, props)
        )  # fmt: skip
        if kind in ("sends_workers", "works_in") and index % 3 == 0:
            low = float(rng.randrange(1, 1000))
            best = None if index % 2 else low * 1.5
            figs.append(
                Figure(f"f{index}", rid, "workers", low, low * 2, best, "persons", 2016,
                       "A figure", ("s0",), assumed, None)
            )  # fmt: skip
    figs.append(
        Figure("f-regime", "c0", "revenue", 1e8, 3e8, 2e8, "USD per year", 2016,
               "Total \"revenue\"", ("s0",), (), "o0")
    )  # fmt: skip
    figs.append(  # more digits than FalkorDB answers with
        Figure("f-exact", "c0", "share_kept", 0.1 + 0.2, 1 / 3, None, "fraction", 2016,
               "A third", ("s0",), (), None)
    )  # fmt: skip
    return Dataset(
        "generated", tuple(ents), tuple(rels), tuple(figs), sources, assumptions, load_schema()
    )
