"""`labournet report`, `scenario` and `key-players` on the bundled dataset (typer CliRunner)."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

import labournet.resources
from labournet.cli._common import LabournetGroup
from labournet.cli.report import key_players_command, report_command, scenario_command

COMMANDS = {
    "report": report_command,
    "scenario": scenario_command,
    "key-players": key_players_command,
}


def _app() -> typer.Typer:
    """labournet's app once the commands are registered there; a local app until then."""
    from labournet.cli import app

    registered = {command.name for command in app.registered_commands}
    if set(COMMANDS) <= registered:
        return app
    local = typer.Typer(cls=LabournetGroup, pretty_exceptions_enable=False)
    for name, function in COMMANDS.items():
        local.command(name)(function)
    return local


runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(_app(), list(args), env={"COLUMNS": "200"})


def test_report_writes_files_and_prints_the_table(tmp_path: Path):
    out = tmp_path / "report"
    result = invoke("report", "-o", str(out), "--draws", "300")
    assert result.exit_code == 0, result.output
    assert "Pressure points: dprk-labour-2016" in result.output
    assert "construction" in result.output and "cn" in result.output
    assert "Key players (exact, k=3)" in result.output
    for name in (
        "pressure-points.csv",
        "pressure-points.json",
        "report.md",
        "revenue-at-stake.png",
    ):
        assert (out / name).stat().st_size > 0, name


def test_report_default_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("report", "--draws", "50")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "labournet-report" / "report.md").exists()


def test_report_states_the_expected_loss_and_its_breakdown(tmp_path: Path):
    result = invoke("report", "-o", str(tmp_path), "--draws", "0")
    assert result.exit_code == 0, result.output
    assert "denied/yr" in result.output
    markdown = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "## The score: expected revenue denied" in markdown
    assert "### Breakdown per candidate" in markdown
    assert "| `qa` | host | $10.0M | 100% | 40% | 75% | $3.0M |" in markdown
    gone = invoke("report", "-o", str(tmp_path), "--draws", "0", "-w", "revenue=1")
    assert gone.exit_code == 2  # the weighted score and its --weight option are gone


def test_scenario(tmp_path: Path):
    result = invoke("scenario", "--cut", "cn,ru")
    assert result.exit_code == 0, result.output
    assert "cut cn, ru" in result.output
    assert "$240.0M" in result.output  # 132M + 108M cut
    assert "$180.0M" in result.output  # net of the 25% the regime re-routes
    assert "New ranking" in result.output


def test_scenarios_side_by_side_in_every_format():
    table = invoke("scenario", "--cut", "cn,ru", "--cut", "ru=0.5")
    assert table.exit_code == 0, table.output
    assert "cut cn, ru" in table.output and "cut ru=0.5" in table.output
    assert "New ranking" not in table.output  # one ranking per single scenario only
    as_csv = invoke("scenario", "--cut", "cn,ru", "--cut", "ru=0.5", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert len(rows) == 20 and {r["cuts"] for r in rows} == {"cn, ru", "ru=0.5"}
    gross = next(r for r in rows if r["cuts"] == "ru=0.5" and r["stage"] == "gross"
                 and r["measure"] == "revenue")  # fmt: skip
    assert float(gross["best"]) == pytest.approx(54e6)  # half of Russia's 108M
    as_json = json.loads(invoke("scenario", "--cut", "ru=0.5", "-f", "json").stdout)
    (only,) = as_json["scenarios"]
    assert only["cuts"] == [{"id": "ru", "fraction": 0.5}]
    assert only["revenue"]["net"]["best"] == pytest.approx(54e6 * 0.75)
    assert "substitution share" in as_json["rule"]


def test_bad_scenario_input_is_a_clean_error():
    for args, message in (
        (("--cut", "ru=2"), "at most 1"),
        (("--cut", "ru", "--format", "xml"), "unknown format 'xml'"),
    ):
        result = invoke("scenario", *args)
        assert result.exit_code == 2 and message in result.output, result.output


def test_scenario_unknown_id_is_a_clean_error():
    result = invoke("scenario", "--cut", "cn,atlantis")
    assert result.exit_code == 2
    assert "unknown id 'atlantis'" in result.output
    assert "Traceback" not in result.output


def test_key_players():
    result = invoke("key-players", "--k", "2")
    assert result.exit_code == 0, result.output
    assert "As of 2016: best 2 cuts (exact): China (cn), Russia (ru)" in result.output
    assert "degree" in result.output and "pagerank" in result.output
    assert "Minimum node cut" in result.output


def test_key_players_k_beyond_what_is_possible_says_so():
    result = invoke("key-players", "-k", "30")
    assert result.exit_code == 0, result.output
    assert "best 30 cuts" not in result.output
    assert "asked for 30 cuts; only 8 candidates add revenue that can be cut" in result.output
    assert "best 8 cuts (exact)" in result.output


@pytest.mark.parametrize("name", list(COMMANDS))
def test_help_has_an_example(name: str):
    result = invoke(name, "--help")
    assert result.exit_code == 0
    assert "Example: labournet " + name in result.output


def test_every_analysis_says_its_year_and_takes_as_of(tmp_path: Path):
    report = invoke("report", "-o", str(tmp_path / "r"), "--draws", "0")
    assert report.exit_code == 0, report.output
    assert "as of 2016" in report.output
    markdown = (tmp_path / "r" / "report.md").read_text(encoding="utf-8")
    assert markdown.startswith("# Pressure points: dprk-labour-2016, as of 2016")
    assert "analysed on 20" in markdown
    scenario = invoke("scenario", "--cut", "cn", "--as-of", "2016")
    assert scenario.exit_code == 0 and "as of 2016" in scenario.output
    for command in (("report", "-o", str(tmp_path / "x")), ("scenario", "--cut", "cn"),
                    ("key-players",)):  # fmt: skip
        early = invoke(*command, "--as-of", "2015")
        assert early.exit_code == 2, early.output
        assert "as of 2015 no workers or revenue figure applies" in early.output
        assert "Traceback" not in early.output
    assert not (tmp_path / "x").exists()


def test_report_writes_its_files_and_exits_0_when_the_reader_stops_early(tmp_path: Path, entry):
    """`labournet report | head -3`: the pipe closes before the table is printed."""
    out = tmp_path / "report"
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody reads: the first write to standard output meets a closed pipe
    try:
        done = subprocess.run(
            [entry.exe, "report", "-o", str(out), "--draws", "0"],
            stdout=write_end, stderr=subprocess.PIPE, text=True, env=entry.env,
            timeout=300, check=False,
        )  # fmt: skip
    finally:
        os.close(write_end)
    assert done.returncode == 0, done.stderr
    assert [line.split(":")[0] for line in done.stderr.splitlines()] == ["dataset"]
    assert (out / "report.md").stat().st_size > 0
    assert (out / "pressure-points.csv").stat().st_size > 0


def test_scenario_csv_exits_0_when_the_reader_stops_early(entry):
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [entry.exe, "scenario", "--cut", "cn", "--format", "csv"],
            stdout=write_end, stderr=subprocess.PIPE, text=True, env=entry.env,
            timeout=300, check=False,
        )  # fmt: skip
    finally:
        os.close(write_end)
    assert done.returncode == 0, done.stderr
    assert [line.split(":")[0] for line in done.stderr.splitlines()] == ["dataset"]


def test_regime_option_on_every_analysis(tmp_path: Path, entry):
    folder = tmp_path / "data"
    shutil.copytree(Path(labournet.resources.bundled_dataset_path()), folder)
    entities = folder / "entities.csv"
    entities.write_text(entities.read_text("utf-8").replace(",KP,regime,", ",KP,regim,"), "utf-8")
    checked = entry("validate", str(folder))
    assert checked.returncode == 2
    assert "entities.csv:2: role: role 'regim': did you mean 'regime'?" in checked.stderr
    assert "--regime ID" in checked.stderr and "regime=ID" not in checked.stderr
    assert "Traceback" not in checked.stderr
    for args in (
        ("validate",),
        ("key-players", "-k", "1"),
        ("scenario", "--cut", "ru"),
        ("report", "--draws", "0", "-o", str(tmp_path / "out")),
    ):
        done = entry(*args, str(folder), "--regime", "kp")
        assert done.returncode == 0, (args, done.stderr)
    wrong = entry("key-players", str(folder), "--regime", "kpp")
    assert wrong.returncode == 2
    assert "unknown regime 'kpp'" in wrong.stderr and "did you mean 'kp'" in wrong.stderr


def test_scenario_cuts_by_name_and_suggests_close_matches():
    by_name = invoke("scenario", "--cut", "Russia,CN")
    assert by_name.exit_code == 0, by_name.output
    assert "cut ru, cn" in by_name.output
    typo = invoke("scenario", "--cut", "Rusia")
    assert typo.exit_code == 2
    assert "unknown id 'Rusia' (--cut)" in typo.output and "did you mean 'Russia'" in typo.output


def test_a_host_without_revenue_is_warned_about_in_the_terminal_and_report(tmp_path: Path, entry):
    folder = tmp_path / "data"
    shutil.copytree(Path(labournet.resources.bundled_dataset_path()), folder)
    figures = folder / "figures.csv"
    kept = [
        line
        for line in figures.read_text("utf-8").splitlines(keepends=True)
        if not line.startswith("f-kh-remits-revenue,")
    ]
    figures.write_text("".join(kept), "utf-8")
    done = entry("report", str(folder), "--draws", "0", "-o", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [
        "warning: Cambodia (kh) has a route to the regime but no revenue figure as of 2016: it "
        "counts as US$0 and ranks last; add a revenue figure on its remits_to relation"
    ]
    top = (tmp_path / "out" / "report.md").read_text("utf-8").split("## ")[0]
    assert "Warning: hosts without a revenue figure" in top and "Cambodia (kh)" in top
    for args in (("validate",), ("scenario", "--cut", "ru"), ("key-players", "-k", "1")):
        other = entry(*args, str(folder))
        assert other.returncode == 0 and "warning: Cambodia (kh)" in other.stderr, args
    assert "warning:" not in entry("key-players", "-k", "1").stderr  # the bundled data are whole


def test_terminal_tables_show_names_with_the_id_beside_them():
    result = invoke("scenario", "--cut", "cn")
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if "r-ru-works-construction" in line)
    assert "Russia -> Construction" in row  # the name people read, the id they can cut
    assert "re-routed to: Russia $" in result.output
    players = invoke("key-players", "-k", "2")
    assert "best 2 cuts (exact): China (cn), Russia (ru)" in players.output
    assert "Articulation points of the flow graph: Poland (pl), Russia (ru)" in players.output


def test_a_centrality_that_does_not_converge_in_key_players_is_one_cli_line(
    monkeypatch: pytest.MonkeyPatch,
):
    import warnings

    import labournet.cli.report as command
    from labournet.analysis.centrality import ConvergenceWarning

    real = command.key_players

    def not_converging(*args, **kwargs):
        warnings.warn(ConvergenceWarning("pagerank", 100), stacklevel=1)
        return real(*args, **kwargs)

    monkeypatch.setattr(command, "key_players", not_converging)
    result = invoke("key-players", "-k", "1")
    assert result.exit_code == 0, result.output
    assert (
        "warning: pagerank did not converge in 100 iterations, so its values are empty here "
        "(labournet centrality -m pagerank --max-iter N computes it with more)"
    ) in result.output
    assert "pagerank={'max_iter'" not in result.output and "RuntimeWarning" not in result.output
