"""`labournet import un-list` and `labournet match`: bring in a sanctions list, and find the
parties of a dataset that it may designate."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import typer
from rich.table import Table

from labournet._text import plural
from labournet.cli._common import (
    CONTEXT_SETTINGS,
    DatasetPath,
    LabournetGroup,
    OutputFormat,
    as_text,
    console,
    dataset_counts,
    err_console,
    load_dataset,
    print_table,
)
from labournet.io.unlist import UnList
from labournet.model.dataset import Dataset

__all__ = ["import_app", "un_list_command", "ftm_command", "match_command"]

import_app = typer.Typer(
    cls=LabournetGroup,
    name="import",
    help=(
        "Import a sanctions list, or FollowTheMoney entities, as a dataset folder that labournet "
        "validates, analyses and matches."
        "\n\nExample: labournet import un-list consolidated.xml --regime DPRK -o un-dprk"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings=CONTEXT_SETTINGS,
)

ListRegimeOption = typer.Option(
    None,
    "--regime",
    help="Only the designations of this UN sanctions regime (the list's UN_LIST_TYPE, any case, "
    "e.g. DPRK; default: all regimes).",
    show_default=False,
)
ListFileArgument = typer.Argument(
    ...,
    help="The UN Security Council Consolidated List as XML (consolidated.xml).",
    show_default=False,
)
FtmFileArgument = typer.Argument(
    ...,
    help="FollowTheMoney entities as JSON lines ('-' for standard input), from labournet "
    "export ftm, OpenSanctions or Aleph.",
    show_default=False,
)
OutOption = typer.Option(
    ...,
    "--output",
    "-o",
    help="Folder to write the dataset to (made if missing).",
    show_default=False,
)
IntoOption = typer.Option(
    None,
    "--into",
    help="A dataset folder to write out (to -o) with the UN listings of its own organisations "
    "and persons added: those whose un_reference is on the list.",
    show_default=False,
)
ListOption = typer.Option(
    ...,
    "--list",
    "-l",
    help="The UN list (XML), or a folder that labournet import un-list wrote.",
    show_default=False,
)
FormatOption = typer.Option(
    OutputFormat.table, "--format", "-f", help="table (terminal), csv or json (to standard output)."
)


@import_app.command("un-list")
def un_list_command(
    file: Path = ListFileArgument,
    out: Path = OutOption,
    regime: str | None = ListRegimeOption,
    force: bool = typer.Option(False, "--force", help="Replace a folder that holds anything."),
    into: Path | None = IntoOption,
) -> None:
    """Import the UN Security Council Consolidated List (XML) as a dataset folder.

    Each listed entity becomes an organisation and each individual a person, with its aliases,
    UN reference, countries and addresses; its listing becomes a measure the Security Council
    takes, dated, with the list's narrative. The folder is written whole or not at all; one
    that holds anything is replaced only with --force. Get the list from
    https://scsanctions.un.org/resources/xml/en/consolidated.xml.

    With --into DATASET it writes that dataset instead, with the listings of its own parties
    added: each organisation or person whose un_reference is on the list gets the listing
    measure and the Security Council's takes_measure and targets relations (only an exact
    reference counts; labournet match finds candidates to check).

    Example: labournet import un-list consolidated.xml --regime DPRK -o un-dprk
    """
    from labournet.io.unlist_dataset import import_un_list, include_un_list

    base = load_dataset(into) if into is not None else None
    _announce_list(file)
    if base is None:
        un_list = import_un_list(file, out, regime=regime, force=force)
        console.print(
            f"[green]wrote[/] {as_text(out)}: {as_text(un_list.summary)}",
            highlight=False,
            soft_wrap=True,
        )
        return
    _, added = include_un_list(file, base, out, regime=regime, force=force)
    which = f": {', '.join(added)}" if added else " (every listed party already had its listing)"
    console.print(
        f"[green]wrote[/] {as_text(out)}: {as_text(base.name)} with "
        f"{plural(len(added), 'UN listing')} added{as_text(which)}",
        highlight=False,
        soft_wrap=True,
    )


@import_app.command("ftm")
def ftm_command(
    file: Path = FtmFileArgument,
    out: Path = OutOption,
    force: bool = typer.Option(False, "--force", help="Replace a folder that holds anything."),
) -> None:
    """Import FollowTheMoney entities (JSON lines) as a dataset folder.

    What labournet export ftm wrote comes back as it was. From elsewhere, Person becomes a
    person, LegalEntity, Organization, Company and PublicBody an organisation, Territory a
    country, Sanction a measure that targets its entity; Employment, Membership, Directorship
    and UnknownLink whose role is a labournet kind become relations. Every entity or property
    not imported is listed with its count and the reason. A line that is not a valid FtM
    entity is FILE:LINE: FIELD: reason (exit 2), and the folder is written whole or not at all.

    Example: labournet import ftm network.ftm.json -o network
    """
    from labournet.io.ftm_import import import_ftm

    where = "standard input" if str(file) == "-" else as_text(file.resolve())
    err_console.print(f"FollowTheMoney: {where}", highlight=False, soft_wrap=True)
    result = import_ftm(file, out, force=force)
    table = Table(title="FollowTheMoney entities", title_justify="left")
    for column, justify in (("schema", "left"), ("imported as", "left"), ("count", "right")):
        table.add_column(column, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for schema, what, count in result.rows():
        table.add_row(as_text(schema), as_text(what), str(count))
    print_table(table)
    console.print(
        f"[green]wrote[/] {as_text(out)}: {as_text(dataset_counts(result.dataset))}",
        highlight=False,
        soft_wrap=True,
    )


def match_command(
    path: Path | None = DatasetPath,
    list_path: Path = ListOption,
    regime: str | None = ListRegimeOption,
    threshold: float = typer.Option(
        0.85,
        "--threshold",
        "-t",
        help="Lowest score shown, above 0 and at most 1 (1 = same name or UN reference).",
    ),
    output_format: OutputFormat = FormatOption,
) -> None:
    """List the organisations and persons of a dataset that a sanctions list may designate.

    Names and aliases are compared with the listed names and aliases once accents, case,
    punctuation, word order and legal forms (Co., Ltd, Corporation ...) are set aside; a score
    of 1 is the same name or un_reference, 0.95 the same words, 0.9 an abbreviation, below
    that how similar the words are. Every match says which name matched which. Matches are
    leads to check: nothing is merged or changed.

    Example: labournet match --list consolidated.xml --regime DPRK --threshold 0.9
    """
    from labournet.analysis.matching import match_designations
    from labournet.io.unlist_dataset import load_designations

    dataset = load_dataset(path)
    _announce_list(list_path)
    un_list = load_designations(list_path, regime=regime)
    matches = match_designations(dataset, un_list, threshold=threshold)
    rows = [match.to_dict() for match in matches]
    if output_format is OutputFormat.json:
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
    elif output_format is OutputFormat.csv:
        writer = csv.DictWriter(sys.stdout, _COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    else:
        if rows:
            print_table(_table(rows))
    out = console if output_format is OutputFormat.table else err_console
    out.print(_summary(len(matches), threshold, dataset, un_list), highlight=False, markup=False)


_COLUMNS = (
    "score", "entity", "entity_name", "reference", "party", "listed_name", "method", "matched",
    "matched_as", "listed", "listed_as", "evidence",
)  # fmt: skip


def _table(rows: list[dict[str, object]]) -> Table:
    from labournet.report.tables import TextTable

    table = TextTable(title="Possible designations (leads to check)", title_justify="left")
    table.add_column("score", justify="right", no_wrap=True)
    for column in ("entity", "name", "reference", "listed name", "evidence"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(
            f"{row['score']:.2f}",
            str(row["entity"]),
            str(row["entity_name"]),
            str(row["reference"]),
            str(row["listed_name"]),
            str(row["evidence"]),
        )
    return table


def _summary(count: int, threshold: float, dataset: Dataset, un_list: UnList) -> str:
    """``2 possible matches at score >= 0.85 among 12 organisations and persons, against 75
    entities, 80 individuals, regime DPRK, list generated 2025-04-19``."""
    from labournet.io.unlist_dataset import KINDS

    compared = sum(1 for entity in dataset.entities if entity.kind in KINDS.values())
    found = plural(count, "possible match", "possible matches") if count else "no match"
    among = plural(compared, "organisation or person", "organisations and persons")
    return f"{found} at score >= {threshold:g} among {among}, against {un_list.summary}"


def _announce_list(path: Path) -> None:
    """Say on standard error which list is read, as the other commands say which dataset."""
    where = str(path.resolve()) if path.exists() else str(path)
    err_console.print(f"list: {as_text(where)}", highlight=False, soft_wrap=True)
