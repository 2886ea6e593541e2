"""Small hand-made networks in the graph model of `Dataset.to_networkx`, for export tests.

`toy_graph`: a regime, two hosts, two sectors, an actor and a measure, with figures, so cut
scenarios have hand-checked answers. `hostile_graph`: the same shape, with names, claims,
kinds, sources and the graph name full of text that would run if a page treated it as HTML
or script. Browser tests load this module by path.
"""

from __future__ import annotations

import networkx as nx

from labournet.model.dataset import Assumption, Figure, Source

# Each payload, if it ever ran, would set window.__pwned or change document.title.
PAYLOADS = (
    "<script>window.__pwned='script'</script>",
    "<img src=x onerror=\"window.__pwned='img'\">",
    '"><svg onload="window.__pwned=\'svg\'">',
    "</script><script>window.__pwned='close'</script>",
    "<!--<script>window.__pwned='comment'</script>-->",
    "' onmouseover='window.__pwned=\"quote\"' x='",
    "<script>document.title='pwned'</script>",
    "${window.__pwned='template'} {{7*7}} &lt;b&gt; &amp;",
    "line\u2028separator\u2029paragraph",
    "Ünïcødé 北朝鮮 😀 \u202eRTL",
    "<style>body{display:none}</style><b>bold</b>",
)

JS_URL = "javascript:window.__pwned='link'"


def _figure(fid: str, subject: str, measure: str, low: float, best: float | None, high: float,
            unit: str, *, claim: str = "", sources: tuple[str, ...] = ("s1",),
            assumptions: tuple[str, ...] = ()) -> Figure:  # fmt: skip
    return Figure(fid, subject, measure, low, high, best, unit, 2016, claim, sources, assumptions)


def toy_graph() -> nx.MultiDiGraph:
    """kp -> cn, ru (workers); cn -> garments, ru -> logging; cn, ru -> kp (revenue);
    us -pressures-> cn; us -takes_measure-> m1 -targets-> ru."""
    G = nx.MultiDiGraph(
        name="toy",
        sources={
            "s1": Source("s1", "The Straits Times", "New campaign", "2016-09-13", "", "print"),
            "s2": Source(
                "s2", "Voice of America", "Visa stop", "2016-06", "https://example.org/voa"
            ),
        },
        assumptions={"a1": Assumption("a1", "China takes 55%", "split of 80%", ("s1",))},
    )

    def node(nid: str, kind: str, name: str, **extra: object) -> None:
        G.add_node(nid, kind=kind, name=name, description=f"About {name}.", sources=("s1",),
                   assumptions=(), figures=(), **extra)  # fmt: skip

    node("kp", "country", "North Korea", role="regime", iso_code="KP")
    node("cn", "country", "China", role="host")
    node("ru", "country", "Russia", role="host")
    node("garments", "sector", "Garments")
    node("logging", "sector", "Logging")
    node("us", "country", "United States", role="actor")
    node("m1", "measure", "Visa stop", date="2016-01")
    G.nodes["cn"]["figures"] = (
        _figure("f-cn-share", "cn", "share_in_hosts", 0.4, 0.55, 0.7, "fraction",
                assumptions=("a1",)),
    )  # fmt: skip

    def edge(rid: str, u: str, v: str, kind: str, *figures: Figure, **extra: object) -> None:
        G.add_edge(u, v, key=rid, id=rid, kind=kind, claim=f"{u} {kind} {v}",
                   sources=("s1",), assumptions=(), figures=figures, **extra)  # fmt: skip

    edge("r-kp-cn", "kp", "cn", "sends_workers",
         _figure("f1", "r-kp-cn", "workers", 16000, 33000, 56000, "persons"))  # fmt: skip
    edge("r-kp-ru", "kp", "ru", "sends_workers",
         _figure("f2", "r-kp-ru", "workers", 12000, None, 48000, "persons"))  # fmt: skip
    edge("r-cn-garments", "cn", "garments", "works_in")
    edge("r-ru-logging", "ru", "logging", "works_in")
    edge("r-cn-kp", "cn", "kp", "remits_to",
         _figure("f3", "r-cn-kp", "revenue", 96e6, 132e6, 168e6, "USD per year",
                 sources=("s1", "s2")))  # fmt: skip
    edge("r-ru-kp", "ru", "kp", "remits_to",
         _figure("f4", "r-ru-kp", "revenue", 72e6, 108e6, 144e6, "USD per year"))  # fmt: skip
    edge("r-us-cn", "us", "cn", "pressures", date="2016")
    edge("r-us-m1", "us", "m1", "takes_measure")
    edge("r-m1-ru", "m1", "ru", "targets")
    return G


def hostile_graph() -> nx.MultiDiGraph:
    """Like `toy_graph`, with every text field (and one kind) replaced by a payload."""
    G = toy_graph()
    G.graph["name"] = PAYLOADS[6]
    names = {}
    for i, node in enumerate(sorted(G.nodes)):
        names[node] = PAYLOADS[i % len(PAYLOADS)]
        G.nodes[node]["name"] = names[node]
        G.nodes[node]["description"] = PAYLOADS[(i + 3) % len(PAYLOADS)]
        if node != "kp":  # the regime keeps its role
            G.nodes[node]["role"] = PAYLOADS[(i + 5) % len(PAYLOADS)]
    G.nodes["m1"]["kind"] = "<b onclick=alert(1)>kind</b>"
    for i, (_, _, data) in enumerate(G.edges(data=True)):
        data["claim"] = PAYLOADS[(i + 1) % len(PAYLOADS)]
    G.graph["sources"] = {
        "s1": Source("s1", PAYLOADS[0], PAYLOADS[1], PAYLOADS[8], JS_URL, PAYLOADS[2]),
        "s2": Source("s2", PAYLOADS[3], PAYLOADS[4], "2016", "https://example.org/a?b=<c>&d='e'"),
    }
    G.graph["assumptions"] = {"a1": Assumption("a1", PAYLOADS[5], PAYLOADS[7], ("s1",))}
    return G
