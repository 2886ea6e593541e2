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
