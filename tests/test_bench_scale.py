"""benchmarks/bench_scale.py runs end to end: no timing is asserted, only that it completes, that
its stages give what `build_report` gives (``--check``) and that it fits every stage's growth."""

from __future__ import annotations

import csv
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PIPELINE = ("read_dataset (validate)", "flow model", "pressure_points", "monte_carlo",
            "key_players", "tensions", "write CSV + JSON", "write Markdown")  # fmt: skip


def test_bench_scale_quick_prints_an_exponent_per_stage(tmp_path: Path) -> None:
    path = os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_scale.py"), "--quick",
         "--sizes", "1000,2000", "--check"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": path},
        capture_output=True,
        text=True,
        timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    table = out[out.index("\n== 1,000 entities") :].split("\n")
    start = next(i for i, line in enumerate(table) if line.startswith("---")) + 1
    stop = next(i for i, line in enumerate(table) if line.startswith("report (all"))
    stages = [re.split(r"\s{2,}", line.strip())[0] for line in table[start:stop]]
    assert all(any(s.startswith(p) for s in stages) for p in PIPELINE), stages
    for stage in [*stages, "report (all but generate)"]:
        assert re.search(rf"^exponent {re.escape(stage)}\s+wall\s+-?\d+\.\d\d ", out, re.M), stage
    assert out.count("same table, key players and tensions as build_report in one call: True") == 2


def test_topical_citations_change_only_the_sources(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("generate", ROOT / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    folders = {
        kind: generate.generate(
            tmp_path / kind, entities=2000, relations=10000, seed=5, citations=kind
        )
        for kind in generate.CITATIONS
    }
    rows = {
        kind: {
            name: list(csv.DictReader((folder / f"{name}.csv").open(encoding="utf-8")))
            for name in ("entities", "relations", "figures")
        }
        for kind, folder in folders.items()
    }
    for name in ("entities", "relations", "figures"):  # the same network, cited otherwise
        random, topical = rows["random"][name], rows["topical"][name]
        assert [{**r, "sources": ""} for r in random] == [{**r, "sources": ""} for r in topical]
    cited: dict[str, set[str]] = {}
    for relation in rows["topical"]["relations"]:
        if relation["kind"] == "works_in":  # a host's own records: its few sources
            cited.setdefault(relation["source"], set()).add(relation["sources"])
    assert cited and max(map(len, cited.values())) <= generate.TOPIC_SOURCES
    randomly = {r["sources"] for r in rows["random"]["relations"] if r["kind"] == "works_in"}
    assert len(randomly) > generate.TOPIC_SOURCES * 2


def test_rounds_keep_each_stages_fastest_run(monkeypatch) -> None:
    spec = importlib.util.spec_from_file_location(
        "bench_scale", ROOT / "benchmarks" / "bench_scale.py"
    )
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "bench_scale", bench)  # its dataclasses look it up
    spec.loader.exec_module(bench)

    def run(read: float, rank: float, same: bool | None) -> dict:
        stages = [{"name": "read", "wall": read, "cpu": read}, {"name": "rank", "wall": rank}]
        return {"entities": 1000, "stages": stages, "same_as_build_report": same}

    merged = bench.fastest([run(2.0, 5.0, True), run(3.0, 4.0, True)])
    assert [s["wall"] for s in merged["stages"]] == [2.0, 4.0]
    assert merged["rounds"] == 2 and merged["same_as_build_report"] is True
    assert (
        bench.fastest([run(1.0, 1.0, True), run(1.0, 1.0, False)])["same_as_build_report"] is False
    )
    assert bench.fastest([run(1.0, 1.0, None)])["same_as_build_report"] is None
