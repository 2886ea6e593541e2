"""Time and measure the report pipeline stage by stage on generated networks of growing size.

For each size, a fresh Python process (so that its peak RSS belongs to that size alone) runs:

1. ``import labournet`` (and numpy, pandas, networkx), as the CLI pays it;
2. ``generate.py`` writes the network folder (setup: not part of the report's total);
3. ``read_dataset`` (read and validate the folder);
4. ``to_networkx`` and the flow model (`build_flow_model` on the graph);
5. ``pressure_points`` and its table, ``monte_carlo`` (1,000 draws, the CLI's default),
   ``key_players`` (naive picks and structural cuts), tensions and stamp: the stages of
   `labournet.report.build.build_report`, called one at a time with its arguments and under
   its hold on the cycle collector (`labournet._gc`);
6. the report's files: CSV and JSON, Markdown; PNG charts and HTML views only with
   ``--charts`` / ``--html``.

Each stage gets its wall time, CPU time (``time.process_time``: every thread of the process,
user + system), the peak RSS during the stage (Linux: the high-water mark is reset through
``/proc/self/clear_refs`` before each stage), how far that peak rose above the RSS at the
stage's start, and the process's RSS high-water mark after the stage (``ru_maxrss``). With
``--tracemalloc`` a second process per size runs the same stages under ``tracemalloc`` (which
numpy reports to as well) for the peak of Python allocations per stage; its times are not used,
since tracing makes the allocation-heavy stages several times slower (measured at 10,000
entities: 3.4x for the whole report, 4.7x for ``read_dataset``). Across sizes it fits, per
stage, the growth exponent of the wall time (least squares of log time on log entities) and
flags stages above 1.15, the goal of issue 15.

The whole report's wall time is compared, as a ratio, with the figures recorded in issue 15
(``labournet report`` from the CLI under ``/usr/bin/time -v``, PNG and HTML included, on the code
of that time): recorded figures, not measurements of this run.

Usage::

    PYTHONPATH=src python benchmarks/bench_scale.py                     # 50,000 and 200,000
    PYTHONPATH=src python benchmarks/bench_scale.py --sizes 10000,50000,200000
    PYTHONPATH=src python benchmarks/bench_scale.py --quick             # 2,000 and 10,000
    PYTHONPATH=src python benchmarks/bench_scale.py --sizes 1000000 --max-size 1000000
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_SIZES = (50_000, 200_000)
QUICK_SIZES = (2_000, 10_000)
DEFAULT_MAX_SIZE = 200_000
EXPONENT_LIMIT = 1.15
SETUP_STAGES = ("generate + write folder",)
# Issue 15: `labournet report` from the CLI under /usr/bin/time -v, 2 shared cores, on the
# code of the time the issue was filed (it gives no date). Entities: (wall s, peak RSS GB).
RECORDED = {50_000: (38.6, 1.32), 100_000: (98.6, 2.54), 200_000: (218.0, 4.90)}
TARGET_50K = 12.0


@dataclasses.dataclass
class Stage:
    """One stage's measurements (seconds and MB)."""

    name: str
    wall: float
    cpu: float
    rss_peak: float | None
    rss_rise: float | None
    maxrss: float
    py_peak: float | None = None


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_rss_peak() -> bool:
    """Reset the process's RSS high-water mark (Linux); False where that is not possible."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        return False
    return True


def _status_mb(field: str) -> float | None:
    """A memory line of /proc/self/status (``VmHWM``, ``VmRSS``) in MB; None elsewhere."""
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


class Meter:
    """Run stages one at a time and keep their measurements."""

    def __init__(self, trace: bool) -> None:
        self.trace = trace
        self.stages: list[Stage] = []

    def __call__(self, name: str, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        reset = _reset_rss_peak()
        start = _status_mb("VmRSS") if reset else None
        if self.trace:
            tracemalloc.reset_peak()
        wall, cpu = time.perf_counter(), time.process_time()
        result = function(*args, **kwargs)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        py_peak = tracemalloc.get_traced_memory()[1] / 2**20 if self.trace else None
        peak = _status_mb("VmHWM") if reset else None
        rise = peak - start if peak is not None and start is not None else None
        stage = Stage(name, wall, cpu, peak, rise, _maxrss_mb(), py_peak)
        self.stages.append(stage)
        print(f"    {_row(stage)}", flush=True)
        return result


def _mb(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def _row(stage: Stage) -> str:
    ratio = stage.cpu / stage.wall if stage.wall > 0 else 0.0
    return (
        f"{stage.name:<26} {stage.wall:8.2f} {stage.cpu:8.2f} {ratio:8.2f} "
        f"{_mb(stage.rss_peak):>11} {_mb(stage.rss_rise):>9} {_mb(stage.maxrss):>9} "
        f"{_mb(stage.py_peak):>10}"
    )


HEADER = (
    f"{'stage':<26} {'wall s':>8} {'cpu s':>8} {'cpu/wall':>8} "
    f"{'RSS peak MB':>11} {'RSS +MB':>9} {'maxrss MB':>9} {'py peak MB':>10}"
)


def _imports() -> dict[str, Any]:
    """Import what the pipeline uses; the CLI's process pays the same once."""
    sys.path.insert(0, str(HERE))
    from generate import generate

    import labournet
    from labournet.analysis import pressure
    from labournet.analysis.flows import build_flow_model
    from labournet.analysis.keyplayers import key_players
    from labournet.analysis.tensions import find_tensions
    from labournet.analysis.uncertainty import monte_carlo
    from labournet.io.stamp import make_stamp
    from labournet.io.validation import read_dataset
    from labournet.report import build

    try:  # the code `--against` runs may predate it
        from labournet import _gc
    except ImportError:
        _gc = None
    return {
        "gc": _gc,
        "generate": generate,
        "labournet": labournet,
        "build_flow_model": build_flow_model,
        "key_players": key_players,
        "pressure": pressure,
        "find_tensions": find_tensions,
        "monte_carlo": monte_carlo,
        "make_stamp": make_stamp,
        "read_dataset": read_dataset,
        "build": build,
    }


def run_size(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    """The pipeline on one generated network, stage by stage, in this process."""
    if args.trace:
        tracemalloc.start()
    meter = Meter(args.trace)
    load = os.getloadavg()[0]
    m = meter("import labournet", _imports)
    build = m["build"]
    draws = args.draws
    net = meter(
        "generate + write folder",
        m["generate"],
        folder / "net",
        entities=args.entities,
        relations=args.relations,
        seed=args.seed,
        citations=args.citations,
    )
    dataset = meter("read_dataset (validate)", m["read_dataset"], net)
    gc_paused, gc_frozen = _collector(m["gc"])  # as build_report holds them
    with gc_paused():
        graph = meter("to_networkx", m["labournet"].to_networkx, dataset)
        model = meter("flow model", m["build_flow_model"], graph)
    with gc_frozen():
        report = _analyses(meter, m, dataset, graph, model, draws)
    out = folder / "report"
    out.mkdir()
    files = meter("write CSV + JSON", build.write_tables, report, out)
    files += meter("write Markdown", build.write_report, report, out, writers=[_markdown])
    if args.charts:
        files += meter("write PNG charts", build.write_charts, report, out)
    if args.html:
        files += meter("write HTML views", build.write_html_views, report, out)
    same = _check(m["build"], dataset, report, draws) if args.check else None
    return {
        "entities": len(dataset.entities),
        "relations": len(dataset.relations),
        "figures": len(dataset.figures),
        "placements": model.n_placements,
        "candidates": len(model.candidates),
        "output_mb": sum(path.stat().st_size for path in files) / 2**20,
        "load_start": load,
        "load_end": os.getloadavg()[0],
        "same_as_build_report": same,
        "stages": [dataclasses.asdict(stage) for stage in meter.stages],
    }


def _collector(module: Any) -> tuple[Callable[[], Any], Callable[[], Any]]:
    """`labournet._gc.paused` and `frozen`, or contexts that do nothing where the code has none."""
    if module is None:
        return contextlib.nullcontext, contextlib.nullcontext
    return module.paused, module.frozen


def _analyses(
    meter: Meter, m: dict[str, Any], dataset: Any, graph: Any, model: Any, draws: int
) -> Any:
    """The stages of `build_report` after the flow model, one at a time; its Report."""
    build = m["build"]
    k, seed, distribution = 3, 0, "triangular"  # the CLI's defaults
    parts, pressure = meter("pressure_points", _pressure, m["pressure"], model)
    table = meter("pressure table", pressure.to_frame)
    uncertainty = None
    if draws:
        uncertainty = meter(
            f"monte_carlo ({draws:,} draws)",
            m["monte_carlo"],
            model,
            draws=draws,
            seed=seed,
            k=k,
            distribution=distribution,
            result=pressure,
        )
        for column in build.MC_COLUMNS:
            table[column] = uncertainty.table[column]
    shared = {"parts": parts} if parts is not None else {}  # as build_report, where it can
    players = meter("key_players", m["key_players"], model, k, seed=seed, **shared)
    tensions = meter("tensions", m["find_tensions"], model)
    call = (
        f"build_report(k={k}, draws={draws}, seed={seed}, distribution={distribution!r}, "
        f"as_of={str(model.as_of)!r})"
    )
    stamp = meter("stamp", m["make_stamp"], dataset, as_of=model.as_of, seed=seed, call=call)
    report = build.Report(
        name=str(graph.graph.get("name", "")) or "dataset",
        model=model,
        pressure=pressure,
        table=table,
        key_players=players,
        uncertainty=uncertainty,
        k=k,
        sources=dict(graph.graph.get("sources", {})),
        assumptions=dict(graph.graph.get("assumptions", {})),
        tensions=tensions,
        doubts=build.dataset_doubts(dataset.path) if dataset.path else "",
        stamp=stamp,
    )
    return report


def _pressure(module: Any, model: Any) -> tuple[Any, Any]:
    """The pressure table as build_report makes it: from components it then shares with the
    key players, where the code has them (`--against` may run code from before they existed)."""
    if hasattr(module, "rank_components"):
        parts = module.components(model)
        return parts, module.rank_components(parts, trace_limit=25)
    return None, module.pressure_points(model, trace_limit=25)


def _markdown(report: Any, folder: Path) -> list[Path]:
    from labournet.report.markdown import write_markdown

    return [write_markdown(report, folder / "report.md")]


def _check(build: Any, dataset: Any, report: Any, draws: int) -> bool:
    """Whether `build_report` in one call gives the table, key players and tensions that the
    stages gave (the stages copy its body; this keeps the copy honest)."""
    whole = build.build_report(dataset, k=report.k, draws=draws, seed=0)
    return bool(
        whole.table.equals(report.table)
        and whole.key_players.to_dict() == report.key_players.to_dict()
        and whole.tensions == report.tensions
    )


def _worker(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="labournet-scale-") as tmp:
        result = run_size(args, Path(tmp))
    args.result.write_text(json.dumps(result), encoding="utf-8")
    return 0


def fit_exponent(sizes: Sequence[float], values: Sequence[float]) -> float | None:
    """Least-squares slope of log(value) on log(size); None with fewer than two usable points.

    >>> round(fit_exponent([1e3, 1e4, 1e5], [2.0, 20.0, 200.0]), 6)
    1.0
    """
    points = [(math.log(s), math.log(v)) for s, v in zip(sizes, values, strict=True) if v > 0]
    if len({x for x, _ in points}) < 2:
        return None
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in points)
    return sxy / sxx


def _report_stages(result: dict[str, Any]) -> list[Stage]:
    return [Stage(**s) for s in result["stages"] if s["name"] not in SETUP_STAGES]


def _peak_gb(result: dict[str, Any]) -> float:
    return max(s["maxrss"] for s in result["stages"]) / 1024


def print_size(result: dict[str, Any]) -> None:
    print(
        f"\n== {result['entities']:,} entities, {result['relations']:,} relations, "
        f"{result['figures']:,} figures ({result['placements']:,} placements, "
        f"{result['candidates']:,} candidates); load average {result['load_start']:.2f} at the "
        f"start, {result['load_end']:.2f} at the end"
    )
    print(HEADER)
    print("-" * len(HEADER))
    for stage in result["stages"]:
        print(_row(Stage(**stage)))
    report = _report_stages(result)
    wall, cpu = sum(s.wall for s in report), sum(s.cpu for s in report)
    print(
        f"{TOTAL:<26} {wall:8.2f} {cpu:8.2f} {cpu / wall:8.2f} "
        f"{'':>11} {'':>9} {_mb(_peak_gb(result) * 1024):>9}"
    )
    print(f"output files: {result['output_mb']:,.1f} MB")
    if result["same_as_build_report"] is not None:
        same = result["same_as_build_report"]
        print(f"same table, key players and tensions as build_report in one call: {same}")


TOTAL = "report (all but generate)"


def print_exponents(results: Sequence[dict[str, Any]]) -> list[str]:
    """Print the growth exponent of every stage; return the stages above the goal."""
    sizes = [r["entities"] for r in results]
    print(
        f"\n== growth exponents: least squares of log(wall time) on log(entities) over "
        f"{', '.join(f'{n:,}' for n in sizes)} (goal <= {EXPONENT_LIMIT}); cpu: the same for "
        f"CPU time; RSS +: for how far each stage raised the RSS"
    )
    if len(set(sizes)) < 2:
        print("  (needs at least two sizes)")
        return []
    names = [s["name"] for s in results[0]["stages"]] + [TOTAL]
    above = []
    for name in names:
        if name == TOTAL:
            stages = [_report_stages(r) for r in results]
            walls = [sum(s.wall for s in x) for x in stages]
            cpus = [sum(s.cpu for s in x) for x in stages]
            rises = [_peak_gb(r) * 1024 for r in results]
            label = "RSS peak"
        else:
            rows = [Stage(**next(s for s in r["stages"] if s["name"] == name)) for r in results]
            walls = [s.wall for s in rows]
            cpus = [s.cpu for s in rows]
            rises = [s.rss_rise or 0.0 for s in rows]
            label = "RSS +"
        wall, cpu, rise = (fit_exponent(sizes, x) for x in (walls, cpus, rises))
        flag = ""
        if wall is not None and wall > EXPONENT_LIMIT:
            flag = f"  ABOVE {EXPONENT_LIMIT}"
            above.append(name)
            if walls[-1] < 0.5:
                flag += " (under 0.5 s: timer noise weighs)"
        print(
            f"exponent {name:<26} wall {_exp(wall)}  cpu {_exp(cpu)}  {label:<8} {_exp(rise)}"
            f"  ({walls[0]:.2f} s -> {walls[-1]:.2f} s){flag}"
        )
    print(f"stages above {EXPONENT_LIMIT}: {', '.join(above) if above else 'none'}")
    return above


def _exp(value: float | None) -> str:
    return "    -" if value is None else f"{value:5.2f}"


def print_recorded(results: Sequence[dict[str, Any]], args: argparse.Namespace) -> None:
    """The whole report against the figures issue 15 recorded, as ratios, labelled."""
    matched = [r for r in results if r["entities"] in RECORDED]
    if not matched:
        return
    extras = [name for name, on in (("PNG", args.charts), ("HTML", args.html)) if on]
    included = "import, read + validate, analyses, CSV/JSON/Markdown" + (
        f", {' and '.join(extras)}" if extras else "; no PNG, no HTML"
    )
    print(
        "\n== against the figures RECORDED in issue 15 (`labournet report` from the CLI under "
        "/usr/bin/time -v, PNG and HTML included, the code of the time the issue was filed): "
        "recorded figures, not measured in this run"
    )
    for result in matched:
        n = result["entities"]
        recorded_wall, recorded_rss = RECORDED[n]
        wall = sum(s.wall for s in _report_stages(result))
        peak = _peak_gb(result)
        line = (
            f"{n:,} entities: this run {wall:.1f} s, peak RSS {peak:.2f} GB ({included}); "
            f"recorded {recorded_wall:.1f} s, {recorded_rss:.2f} GB; recorded / this run: "
            f"{recorded_wall / wall:.2f}x time, {recorded_rss / peak:.2f}x memory"
        )
        if n == 50_000:
            line += f"; target < {TARGET_50K:.0f} s: {'met' if wall < TARGET_50K else 'NOT met'}"
        print(line)


def _export_code(ref: str, folder: Path) -> Path:
    """The ``src/`` folder of commit `ref`, written under `folder` (``git archive``)."""
    target = folder / "against"
    target.mkdir()
    root = HERE.parent
    archive = subprocess.run(
        ["git", "-C", str(root), "archive", ref, "src"], capture_output=True, check=False
    )
    if archive.returncode != 0:
        raise SystemExit(f"--against {ref}: {archive.stderr.decode().strip()}")
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target / "src"


def print_against(
    results: Sequence[dict[str, Any]], baselines: Sequence[dict[str, Any]], ref: str
) -> None:
    """Each stage and the whole report, this checkout against the code of `ref`, as ratios."""
    print(f"\n== against the code of {ref}, measured in this run (old / new: above 1 is faster)")
    for new, old in zip(results, baselines, strict=True):
        new_stages = {s.name: s for s in _report_stages(new)}
        print(f"{new['entities']:,} entities:")
        for stage in _report_stages(old):
            if stage.name in new_stages:
                now = new_stages[stage.name]
                ratio = stage.wall / now.wall if now.wall > 0 else math.inf
                print(
                    f"  {stage.name:<26} old {stage.wall:8.2f} s  new {now.wall:8.2f} s  "
                    f"{ratio:6.2f}x   cpu old {stage.cpu:8.2f} s  new {now.cpu:8.2f} s"
                )
        old_wall = sum(s.wall for s in _report_stages(old))
        new_wall = sum(s.wall for s in _report_stages(new))
        old_peak, new_peak = _peak_gb(old), _peak_gb(new)
        line = (
            f"  {TOTAL:<26} old {old_wall:8.2f} s  new {new_wall:8.2f} s  "
            f"{old_wall / new_wall:6.2f}x   peak RSS old {old_peak:.2f} GB  new {new_peak:.2f} GB"
        )
        if new["entities"] == 50_000:
            line += (
                f"; target < {TARGET_50K:.0f} s: {'met' if new_wall < TARGET_50K else 'NOT met'}"
            )
        print(line)


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a comma-separated list of sizes: {text!r}") from None
    if not sizes or min(sizes) < 1000:
        raise argparse.ArgumentTypeError("sizes must be at least 1000 entities")
    return sorted(set(sizes))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=_sizes,
        help="entity counts, comma-separated (default 50000,200000; with --quick 2000,10000)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="2,000 and 10,000 entities (well under a minute)"
    )
    parser.add_argument(
        "--max-size",
        type=int,
        default=DEFAULT_MAX_SIZE,
        help=f"refuse sizes above this (default {DEFAULT_MAX_SIZE}; raise it to ask for 1000000)",
    )
    parser.add_argument(
        "--relations-per-entity", type=float, default=5.0, help="relations per entity (default 5)"
    )
    parser.add_argument("--draws", type=int, default=1000, help="Monte Carlo draws (default 1000)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the network (default 7)")
    parser.add_argument(
        "--citations",
        choices=("random", "topical"),
        default="random",
        help="how the network's records cite sources (generate.py's CITATIONS; default random)",
    )
    parser.add_argument("--charts", action="store_true", help="also write the PNG charts")
    parser.add_argument("--html", action="store_true", help="also write the HTML views")
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="a second, traced process per size for the peak of Python allocations per stage",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="also run build_report in one call and compare its table, key players and tensions",
    )
    parser.add_argument(
        "--against",
        metavar="GIT_REF",
        help="also run the same stages on the code of this commit (git archive of its src/), "
        "size by size in the same run, and print the ratios",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="processes per size (and per code with --against, interleaved); each stage's "
        "fastest is reported (default 1)",
    )
    parser.add_argument("--json", type=Path, help="also write every measurement to this file")
    # The per-size worker process (internal).
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--entities", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--relations", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    return parser


def _run_worker(
    args: argparse.Namespace, n: int, folder: Path, trace: bool, code: Path | None = None
) -> dict[str, Any]:
    """One size in a fresh process (on the code in `code`, by default this checkout's); its
    measurements."""
    relations = round(n * args.relations_per_entity)
    what = "traced by tracemalloc, for the py peak column only" if trace else "timed"
    where = f", code of {args.against}" if code is not None else ""
    print(f"\n-- {n:,} entities, {relations:,} relations: fresh process, {what}{where}", flush=True)
    print(f"    {HEADER}", flush=True)
    result_file = folder / f"{n}-{int(trace)}-{int(code is not None)}.json"
    command = [
        sys.executable, str(Path(__file__).resolve()), "--worker",
        "--entities", str(n), "--relations", str(relations), "--draws", str(args.draws),
        "--seed", str(args.seed), "--citations", args.citations, "--result", str(result_file),
    ]  # fmt: skip
    for flag, on in (
        ("--charts", args.charts),
        ("--html", args.html),
        ("--trace", trace),
        ("--check", args.check and not trace),
    ):
        if on:
            command.append(flag)
    env = dict(os.environ)
    if code is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(code), env.get("PYTHONPATH", "")])
    done = subprocess.run(command, check=False, env=env)
    if done.returncode != 0:
        raise SystemExit(f"the {n:,}-entity process failed (exit status {done.returncode})")
    result: dict[str, Any] = json.loads(result_file.read_text(encoding="utf-8"))
    return result


def fastest(runs: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """One size's runs as one: each stage as measured in the run where it took the least wall
    time (the machine's speed drifts between processes; the fastest is the least disturbed)."""
    merged = dict(runs[0])
    merged["stages"] = [
        min((run["stages"][i] for run in runs), key=lambda stage: stage["wall"])
        for i in range(len(runs[0]["stages"]))
    ]
    checks = [run["same_as_build_report"] for run in runs]
    merged["same_as_build_report"] = None if None in checks else all(checks)
    merged["rounds"] = len(runs)
    return merged


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.worker:
        return _worker(args)
    sizes = args.sizes or list(QUICK_SIZES if args.quick else DEFAULT_SIZES)
    if max(sizes) > args.max_size:
        parser.error(f"size {max(sizes):,} is above --max-size {args.max_size:,}")
    if args.rounds < 1:
        parser.error(f"--rounds must be at least 1, not {args.rounds}")
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.2f} at the start; {args.draws:,} draws; {args.citations} "
        f"citations; {args.rounds} process{'es' if args.rounds > 1 else ''} per size"
        + ("; a second, traced process per size" if args.tracemalloc else "")
    )
    results, baselines = [], []
    with tempfile.TemporaryDirectory(prefix="labournet-scale-") as tmp:
        old_code = _export_code(args.against, Path(tmp)) if args.against else None
        for n in sizes:
            runs: dict[str, list[dict[str, Any]]] = {"old": [], "new": []}
            for round_ in range(args.rounds):  # old and new interleaved, the order alternating
                order = ["old", "new"] if round_ % 2 == 0 else ["new", "old"]
                for which in order if old_code is not None else ["new"]:
                    code = old_code if which == "old" else None
                    runs[which].append(_run_worker(args, n, Path(tmp), trace=False, code=code))
            if old_code is not None:
                baselines.append(fastest(runs["old"]))
            result = fastest(runs["new"])
            if args.tracemalloc:
                traced = _run_worker(args, n, Path(tmp), trace=True)
                peaks = {s["name"]: s["py_peak"] for s in traced["stages"]}
                for stage in result["stages"]:
                    stage["py_peak"] = peaks.get(stage["name"])
            results.append(result)
    for result in results:
        print_size(result)
    print_exponents(results)
    print_recorded(results, args)
    if baselines:
        print_against(results, baselines, args.against)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(f"\nload average {os.getloadavg()[0]:.2f} at the end")
    if args.check and not all(r["same_as_build_report"] for r in results):
        print("the stages did NOT give what build_report gives")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
