"""`labournet db`: load datasets into Neo4j or FalkorDB, read them back, query and score them.

The URI picks the database: ``falkordb://localhost:6379/labournet``, ``bolt://localhost:7687``,
``neo4j+s://host``. Without ``--uri`` it is ``$LABOURNET_URI``, else the local server that
``labournet db start`` runs (on the port it was given), else
``falkordb://localhost:6379/labournet``. Neo4j credentials come from ``NEO4J_USERNAME`` /
``NEO4J_PASSWORD`` (or ``LABOURNET_NEO4J_...``), else a prompt; they are never printed.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from labournet._text import plural
from labournet.cli._common import (
    CONTEXT_SETTINGS,
    DatasetPath,
    LabournetGroup,
    OutputFormat,
    check_writable_folder,
    console,
    dataset_counts,
    err_console,
    load_dataset,
    print_table,
)
from labournet.errors import ExportError, QueryError
from labournet.io.stamp import make_stamp
from labournet.progress import stage
from labournet.report.tables import TextTable

__all__ = ["db_app", "query_table"]

db_app = typer.Typer(
    cls=LabournetGroup,
    name="db",
    help=(
        "Load a dataset into a graph database (Neo4j or FalkorDB), pull it back, run the shipped "
        "Cypher queries and write analysis scores back.\n\n"
        "Example: labournet db start && labournet db load && labournet db query hosts_by_workers"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings=CONTEXT_SETTINGS,
)

UriOption = typer.Option(
    None,
    "--uri",
    "-u",
    envvar="LABOURNET_URI",
    help="Database URI: falkordb://host:port/graph, bolt://host:7687, neo4j+s://host ... "
    "\\[default: the local server `labournet db start` runs, else "
    "falkordb://localhost:6379/labournet]",
    show_default=False,
)
HomeOption = typer.Option(
    None,
    "--home",
    help="Folder of the local server \\[default: $LABOURNET_HOME/<backend> or "
    "~/.labournet/<backend>]",
    show_default=False,
)


OutOption = typer.Option(..., "--out", "-o", help="Dataset folder to write.")
QueryArgument = typer.Argument(
    None,
    help="A .cypher file, the name of a shipped query (see --list), or Cypher text.",
    show_default=False,
)
ParamOption = typer.Option(
    None,
    "--param",
    "-p",
    help="A parameter as NAME=VALUE; repeatable. A date parameter may name a year or a month "
    "(date=2019 is its last day, 2019-12-31).",
    show_default=False,
)
FormatOption = typer.Option(OutputFormat.table, "--format", "-f", help="Output format.")


def _connect(uri: str | None, batch_size: int | None = None) -> Any:
    from labournet.store import connect

    def ask(question: str) -> str:
        return str(typer.prompt(question, hide_input=True))

    prompt = ask if sys.stdin.isatty() else None
    if batch_size is not None:
        return connect(uri, prompt=prompt, batch_size=batch_size)
    return connect(uri, prompt=prompt)


@db_app.command("load")
def load_command(
    path: Path | None = DatasetPath,
    uri: str | None = UriOption,
    replace: bool = typer.Option(
        False,
        "--replace",
        help="Empty the graph (the database, on Neo4j) before loading; needed when it holds "
        "another dataset.",
    ),
    batch_size: int = typer.Option(
        5000, "--batch-size", help="Rows per statement or bulk command (one transaction each)."
    ),
) -> None:
    """Load a dataset in batches, one transaction each.

    Into an empty FalkorDB graph (or with --replace) by CREATE under a load lock, the
    relationship indexes built after the data; otherwise by MERGE after the constraints and
    indexes, so concurrent loads create no duplicates. Loading twice changes nothing; sources,
    claims, assumptions and figures are loaded too. A graph that holds another dataset is
    refused unless --replace empties it first.

    Example: labournet db load data/dprk-labour-2016 --uri bolt://localhost:7687
    """
    dataset = load_dataset(path)
    with _connect(uri, batch_size) as store, stage(f"loading {dataset.name}") as task:
        summary = store.load(
            dataset, replace=replace, progress=lambda _, done, total: task.update(done, total)
        )
    if summary.replaced and summary.removed is not None and summary.removed.total_nodes:
        held = f"dataset {summary.previous}" if summary.previous else "labournet data"
        console.print(
            f"Emptied the graph first: removed {held} ({summary.removed.total_nodes:,} nodes, "
            f"{summary.removed.total_relationships:,} relationships).",
            highlight=False,
        )
    console.print(_summary_table(summary))
    rate = summary.rows / summary.seconds if summary.seconds else 0
    console.print(
        f"Loaded [bold]{dataset.name}[/] into {summary.target}: "
        f"{plural(summary.rows, 'row', grouped=True)} in "
        f"{plural(summary.batches, 'batch', 'batches')}, {summary.seconds:.2f} s "
        f"({rate:,.0f} rows/s); created {plural(summary.nodes_created, 'node', grouped=True)} "
        f"and {plural(summary.relationships_created, 'relationship', grouped=True)}"
        + (f"; rebuilt {plural(summary.repaired, 'changed record')}" if summary.repaired else "")
        + ".",
        highlight=False,
    )


@db_app.command("pull")
def pull_command(
    out: Path = OutOption,
    uri: str | None = UriOption,
    force: bool = typer.Option(
        False, "--force", help="Overwrite the dataset files of a folder that already holds some."
    ),
) -> None:
    """Read the graph back into a dataset folder (CSV files, and schema.yaml if not the default).

    A folder that already holds dataset files is left alone unless --force is given.

    Example: labournet db pull --uri falkordb://localhost:6379/labournet -o pulled
    """
    held = _dataset_files(out)
    check_writable_folder(out)
    if held and not force:
        raise ExportError(
            f"{out} already holds a dataset ({', '.join(held)}); pass --force to overwrite it, "
            "or choose another folder"
        )
    with _connect(uri) as store:
        dataset = store.pull()
    folder = _write_pulled(dataset, out)
    console.print(
        f"Wrote {dataset.name} to {folder}: {dataset_counts(dataset)}"
        + (f" (replaced {', '.join(held)})" if held else "")
        + ".",
        highlight=False,
    )


def _dataset_files(folder: Path) -> list[str]:
    """The files of a dataset folder (CSV files, schema.yaml) that `folder` already holds."""
    from labournet.model.dataset import FILES

    return [name for name in (*FILES, "schema.yaml") if (folder / name).is_file()]


def _write_pulled(dataset: Any, out: Path) -> Path:
    """Write `dataset` into a new folder beside `out`, then move its files into `out`.

    Nothing is written into `out` until every file is complete, so a failure leaves the folder as
    it was; a schema.yaml the pulled dataset does not have is removed. A path that cannot be a
    folder is an `ExportError` naming it.
    """
    from labournet.io.folder import write_error_message

    try:
        return _move_pulled(dataset, out)
    except OSError as error:
        raise ExportError(write_error_message(out, error)) from error


def _move_pulled(dataset: Any, out: Path) -> Path:
    import os
    import shutil
    import tempfile

    from labournet.io.folder import write_dataset
    from labournet.model.schema import load_schema
    from labournet.store.rows import schema_to_yaml

    if out.exists() and not out.is_dir():
        raise FileExistsError(17, "File exists", str(out))  # before staging anything beside it
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-pull-", dir=out.parent))
    try:
        write_dataset(dataset, staging)
        if dataset.schema != load_schema():
            (staging / "schema.yaml").write_text(schema_to_yaml(dataset.schema), encoding="utf-8")
        out.mkdir(exist_ok=True)
        written = sorted(path.name for path in staging.iterdir())
        for name in written:
            os.replace(staging / name, out / name)
        if "schema.yaml" not in written:
            (out / "schema.yaml").unlink(missing_ok=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out


@db_app.command("query")
def query_command(
    query: str | None = QueryArgument,
    param: list[str] | None = ParamOption,
    fmt: OutputFormat = FormatOption,
    write: bool = typer.Option(
        False, "--write", help="Allow a query that writes (CREATE, MERGE, SET, DELETE ...)."
    ),
    uri: str | None = UriOption,
    list_queries: bool = typer.Option(False, "--list", help="List the shipped queries and exit."),
) -> None:
    """Run a Cypher file, a shipped query or Cypher text; read-only unless --write is given.

    A date parameter takes a day, a month or a year (--param date=2019 is 31 December 2019).

    Example: labournet db query neighbourhood --param id=cn --format csv
    """
    from labournet.store import library, resolve_query

    if list_queries:
        console.print(_library_table(library()))
        return
    if not query:
        raise QueryError(
            "name a query file or a shipped query: labournet db query NAME [--param k=v] "
            "(labournet db query --list shows the shipped ones)"
        )
    file = resolve_query(query)
    parameters = _parse_params(param)
    if "param" in file.header:
        file.bind(parameters)  # a mistake in them (a date that is not one) needs no server
    with _connect(uri) as store:
        result = store.run(file, parameters, write=write)
    if fmt is OutputFormat.csv:
        import pandas as pd

        frame = pd.DataFrame(
            [[_cell(v) for v in row] for row in result.rows], columns=result.columns
        )
        frame.to_csv(sys.stdout, index=False)
    elif fmt is OutputFormat.json:
        from labournet.report.tables import json_ready

        sys.stdout.write(json.dumps(json_ready(result.records()), indent=2, ensure_ascii=False))
        sys.stdout.write("\n")
    else:
        print_table(query_table(file.title or file.name, result.columns, result.rows))
        console.print(plural(len(result.rows), "row"), style="dim")


def query_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> Table:
    """A query's rows as a terminal table: numbers right-aligned and never folded over two
    lines; text folds."""
    table = TextTable(title=title, title_justify="left")
    for i, column in enumerate(columns):
        numeric = bool(rows) and all(
            isinstance(row[i], int | float) and not isinstance(row[i], bool)
            for row in rows
            if row[i] is not None
        )
        if numeric:
            table.add_column(column, justify="right", no_wrap=True)
        else:
            table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(_cell(value) for value in row))
    return table


class Engine(StrEnum):
    labournet = "labournet"
    gds = "gds"


EngineOption = typer.Option(
    Engine.labournet,
    "--engine",
    help="Where centralities are computed: labournet (pulled into Python) or gds (inside Neo4j "
    "by Graph Data Science; needs --write).",
)


@db_app.command("analyse")
def analyse_command(
    uri: str | None = UriOption,
    write: bool = typer.Option(
        False, "--write", help="Write the scores back as node and relationship properties."
    ),
    engine: Engine = EngineOption,
    top: int = typer.Option(15, "--top", help="Rows of the terminal table."),
    regime: str | None = typer.Option(None, "--regime", help="Id of the regime (default: role)."),
) -> None:
    """Pull the graph, compute centralities and pressure points, and optionally write them back.

    Scores become properties score_<measure> (centralities) and pressure_<column> (pressure
    points, e.g. pressure_score), and each run an AnalysisRun node, so Cypher can sort by them.
    With --engine gds the centralities are computed in the database by GDS's write procedures
    and brought to networkx's conventions there (see labournet.store.gds).

    Example: labournet db analyse --uri bolt://localhost:7687 --engine gds --write
    """
    from labournet.analysis.centrality import centrality
    from labournet.analysis.pressure import SCORE_FORMULA, pressure_points
    from labournet.report.tables import level_tables

    if engine is Engine.gds and not write:
        raise QueryError("--engine gds writes its scores into the database: add --write")
    with _connect(uri) as store:
        dataset = store.pull(regime=regime)
        result = pressure_points(dataset, regime=regime)
        table = result.to_frame()
        for level_table in level_tables(table, top=top, width=console.width):
            print_table(level_table)
        if not write:
            console.print("Scores not written (pass --write to store them).", style="dim")
            return
        written = []
        stamp = make_stamp(dataset, as_of=result.as_of, call="db analyse")
        if engine is Engine.gds:
            from labournet.store.gds import write_gds_centrality

            with console.status("computing centralities with GDS in the database ..."):
                run = write_gds_centrality(store, stamp=stamp)
            for measure, why in run.failed.items():
                console.print(f"[yellow]not computed[/] {measure}: {why}", highlight=False)
            written.append(run.summary)
        else:
            from labournet.io.networkx import to_networkx

            centralities = centrality(to_networkx(dataset))
            numeric = centralities.select_dtypes(include=["number", "bool"])
            written.append(
                store.write_scores(
                    numeric,
                    prefix="score_",
                    settings={
                        "analysis": "centrality",
                        "engine": "labournet",
                        "measures": list(numeric.columns),
                    },
                    stamp=stamp,
                )
            )
        numeric = table.select_dtypes(include=["number", "bool"])
        written.append(
            store.write_scores(
                numeric,
                prefix="pressure_",
                settings={
                    "analysis": "pressure_points",
                    "regime": result.regime,
                    "formula": SCORE_FORMULA,
                },
                stamp=stamp,
            )
        )
    for summary in written:
        console.print(
            f"Run {summary.run_id}: wrote {plural(len(summary.properties), 'property')} "
            f"({summary.properties[0]} ...) on {plural(summary.entities, 'entity')} and "
            f"{plural(summary.relations, 'relation')}"
            + (
                f"; {plural(len(summary.unmatched), 'id')} not in the graph"
                if summary.unmatched
                else ""
            ),
            highlight=False,
        )


NOT_RUNNING = 3
"""Exit code of `labournet db status` when the server does not run (as LSB init scripts use)."""


class Backend(StrEnum):
    falkordb = "falkordb"
    neo4j = "neo4j"


BackendOption = typer.Option(
    Backend.falkordb, "--backend", "-b", help="Which local server: falkordb or neo4j."
)


def _local_server(
    backend: Backend,
    home: Path | None,
    *,
    port: int | None = None,
    browser_port: int | None = None,
    heap: str = "1g",
    page_cache: str = "512m",
    password: str | None = None,
) -> Any:
    if backend is Backend.neo4j:
        from labournet.store.neo4j_server import Neo4jServer

        return Neo4jServer(
            home,
            port=port,
            password=password,
            browser_port=browser_port,
            heap=heap,
            page_cache=page_cache,
        )
    from labournet.store.server import FalkorDBServer

    return FalkorDBServer(home, port=port)


def _neo4j_password() -> str | None:
    """NEO4J_PASSWORD (or LABOURNET_NEO4J_PASSWORD), else a hidden prompt on a terminal."""
    import os

    secret = os.environ.get("LABOURNET_NEO4J_PASSWORD") or os.environ.get("NEO4J_PASSWORD")
    if secret or not sys.stdin.isatty():
        return secret
    return str(
        typer.prompt("Password for Neo4j user neo4j", hide_input=True, confirmation_prompt=True)
    )


@db_app.command("start")
def start_command(
    backend: Backend = BackendOption,
    home: Path | None = HomeOption,
    port: int | None = typer.Option(
        None,
        "--port",
        help="Port to listen on, localhost only \\[default: 6379 for FalkorDB, 7687 (Bolt) for "
        "Neo4j].",
        show_default=False,
    ),
    browser_port: int = typer.Option(
        7474, "--browser-port", help="Neo4j only: HTTP port of the Neo4j Browser."
    ),
    browser: bool = typer.Option(
        True, "--browser/--no-browser", help="Neo4j only: serve the Neo4j Browser."
    ),
    heap: str = typer.Option("1g", "--heap", help="Neo4j only: JVM heap (-Xms and -Xmx)."),
    page_cache: str = typer.Option(
        "512m", "--page-cache", help="Neo4j only: server.memory.pagecache.size."
    ),
    timeout: float | None = typer.Option(
        None,
        "--timeout",
        min=0.1,
        help="FalkorDB only: seconds without progress before giving up; a server reloading "
        "its data is waited for as long as it progresses \\[default: $LABOURNET_START_TIMEOUT, "
        "else 20].",
        show_default=False,
    ),
) -> None:
    """Start a local FalkorDB or Neo4j server, data kept in its home folder; safe to repeat.

    The other db commands use it when no --uri is given. A --port other than the one it already
    runs on is refused: stop it first.

    Neo4j runs from jars that Maven resolves on the first start (Neo4j Community, APOC, Graph
    Data Science, the Browser); it needs java and mvn, and the password of user neo4j from
    NEO4J_PASSWORD or a prompt.

    Example: labournet db start --backend neo4j --port 7687
    """
    password = _neo4j_password() if backend is Backend.neo4j else None
    server = _local_server(
        backend,
        home,
        port=port,
        browser_port=browser_port if browser else None,
        heap=heap,
        page_cache=page_cache,
        password=password,
    )
    name = "Neo4j" if backend is Backend.neo4j else "FalkorDB"
    if backend is Backend.neo4j:
        with console.status(f"starting {name} (the first start resolves its jars) ...") as shown:
            status = server.start(report=lambda text: shown.update(text))
    else:
        server.ensure_password()  # generated once, kept in the home folder, never printed
        status = server.start(
            timeout=timeout, report=lambda text: err_console.print(text, highlight=False)
        )
    console.print(f"{name} {status.message}; URI {status.uri}", highlight=False)
    if backend is Backend.neo4j and server.browser_url:
        console.print(f"Neo4j Browser {server.browser_url}", highlight=False)
    console.print(f"data {status.home}, log {status.log}", style="dim", highlight=False)


@db_app.command("stop")
def stop_command(backend: Backend = BackendOption, home: Path | None = HomeOption) -> None:
    """Stop the local FalkorDB or Neo4j server (it saves its data first); safe to repeat.

    Example: labournet db stop --backend neo4j
    """
    status = _local_server(backend, home).stop()
    name = "Neo4j" if backend is Backend.neo4j else "FalkorDB"
    console.print(f"{name} {status.message}", highlight=False)


@db_app.command("status")
def status_command(backend: Backend = BackendOption, home: Path | None = HomeOption) -> None:
    """Say whether the local FalkorDB or Neo4j server runs, and where; exit code 3 if it does not.

    Example: labournet db status --backend neo4j
    """
    server = _local_server(backend, home)
    status = server.status()
    name = "Neo4j" if backend is Backend.neo4j else "FalkorDB"
    console.print(f"{name} {status.message}", highlight=False)
    if not status.running:
        raise typer.Exit(NOT_RUNNING)
    if status.running:
        console.print(f"URI {status.uri}; data {status.home}; log {status.log}", highlight=False)
        if backend is Backend.neo4j and server.browser_url:
            console.print(f"Neo4j Browser {server.browser_url}", highlight=False)


def _parse_params(items: list[str] | None) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"--param takes NAME=VALUE, not {_printable(item)!r}")
        if _printable(item) != item:
            raise QueryError(
                f"--param {_printable(name.strip())}: the value is not valid text (bytes that "
                "are not UTF-8 in the command line)"
            )
        params[name.strip()] = value
    return params


def _printable(text: str) -> str:
    """`text` with lone surrogates (command-line bytes that are not UTF-8) shown as U+FFFD."""
    return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in text)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return f"{value:.10g}"
    if isinstance(value, list):
        return ", ".join(_cell(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _library_table(queries: dict[str, Any]) -> Table:
    table = TextTable(
        title="Shipped queries (labournet db query NAME --param k=v)", title_justify="left"
    )
    table.add_column("name")
    table.add_column("what it returns", overflow="fold")
    table.add_column("parameters", overflow="fold")
    for name, query in queries.items():
        params = ", ".join(
            f"{p.name}" + (" (required)" if p.required else f"={json.dumps(p.default)}")
            for p in query.parameters
        )
        table.add_row(name, query.title or query.purpose, params or "–")
    return table


def _summary_table(summary: Any) -> Table:
    table = TextTable(title=f"{summary.target}", title_justify="left")
    table.add_column("nodes / relationships")
    table.add_column("before", justify="right")
    table.add_column("after", justify="right")
    table.add_column("change", justify="right")
    for kind, before, after in (
        ("nodes", summary.before.nodes, summary.after.nodes),
        ("relationships", summary.before.relationships, summary.after.relationships),
    ):
        for name in sorted(set(before) | set(after)):
            b, a = before.get(name, 0), after.get(name, 0)
            table.add_row(f"{kind}: {name}", f"{b:,}", f"{a:,}", f"{a - b:+,}" if a != b else "0")
    return table
