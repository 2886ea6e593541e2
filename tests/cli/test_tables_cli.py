"""Terminal tables at 80 columns and in pipes: headlines and numbers are never cut or folded."""

from __future__ import annotations

import io

from rich.console import Console

from labournet.cli._common import _Console, print_table
from labournet.cli.db import query_table

THREE_CUTS = ("scenario", "--cut", "cn,ru", "--cut", "ru=0.5", "--cut", "mt,pl")


def test_piped_scenario_output_is_plain_and_complete(entry):
    done = entry(*THREE_CUTS)  # stdout a pipe, COLUMNS unset
    assert done.returncode == 0, done.stderr
    assert "…" not in done.stdout
    assert "\x1b[" not in done.stdout  # no colour codes in a pipe
    gross = next(line for line in done.stdout.splitlines() if "revenue: gross loss" in line)
    assert "$240.0M ($240.0M–$240.0M)" in gross and "$54.0M" in gross  # one line, every set
    assert "cut cn, ru" in done.stdout and "cut mt, pl" in done.stdout


def test_an_80_column_terminal_never_cuts_the_headline_numbers(entry):
    done = entry(*THREE_CUTS, env={**entry.env, "COLUMNS": "80"})
    assert done.returncode == 0, done.stderr
    assert "…" not in done.stdout
    gross = next(line for line in done.stdout.splitlines() if "revenue: gross loss" in line)
    assert "$240.0M ($240.0M–$240.0M)" in gross and "$54.0M" in gross


def test_the_pressure_table_at_80_columns_keeps_every_name(entry):
    done = entry("key-players", "-k", "2", env={**entry.env, "COLUMNS": "80"})
    assert done.returncode == 0, done.stderr
    assert "…" not in done.stdout


def test_query_numbers_never_fold_at_80_columns():
    rows = [["China", 132_000_000, "a long note " * 6], ["Russia", 108_000_000, ""]]
    table = query_table("hosts_by_workers", ["host", "revenue", "note"], rows)
    out = io.StringIO()
    print_table(table, _Console(file=out, width=80))
    text = out.getvalue()
    assert "132000000" in text and "108000000" in text
    narrow = io.StringIO()
    Console(file=narrow, width=30).print(query_table("q", ["host", "revenue"], rows[:1]))
    assert "132000000" in narrow.getvalue()  # even a narrow console keeps it on one line


def test_every_format_option_offers_the_same_choices() -> None:
    from typer.testing import CliRunner

    from labournet.cli import app
    from labournet.cli._common import OutputFormat
    from labournet.cli.report import SCENARIO_FORMATS

    choices = "|".join(OutputFormat)
    assert choices == "table|csv|json"
    for command in (["centrality"], ["db", "query"]):
        result = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.output
        assert f"<{choices}>" in result.output, command
    assert tuple(OutputFormat) == SCENARIO_FORMATS
