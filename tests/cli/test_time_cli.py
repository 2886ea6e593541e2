"""The commands through time: compare two snapshots, and report as of a day."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

EXTENDED = Path(__file__).parents[2] / "data" / "dprk-labour-2016-2024"
VIEW_DATA = re.compile(r'<script type="application/json" id="ln-data">(.*?)</script>', re.S)


def test_the_compare_command_prints_the_change_and_writes_its_files(entry, tmp_path):
    done = entry("compare", str(EXTENDED), "--from", "2016", "--to", "2019", "-o", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "Backtest" in done.stdout and "not proof of effect" in done.stdout
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["compare.csv", "compare.json", "compare.md", "workers-over-time.png"]
    document = json.loads((tmp_path / "compare.json").read_text())
    assert (document["from"], document["to"]) == ("2016", "2019")
    assert (tmp_path / "workers-over-time.png").stat().st_size > 10_000
    table = pd.read_csv(tmp_path / "compare.csv")
    assert {"then_low", "now_high", "observed", "now_sources"} <= set(table.columns)


def test_the_report_command_takes_a_day_as_its_date(entry, tmp_path):
    done = entry("report", str(EXTENDED), "--as-of", "2016-09-13", "-n", "0", "-o", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "as of 2016-09-13" in done.stdout
    page = (tmp_path / "network.html").read_text(encoding="utf-8")
    view = json.loads(VIEW_DATA.search(page).group(1))
    assert view["dates"]["initial"] == "2016-09-13"  # the view opens at the report's date
    bad = entry("report", str(EXTENDED), "--as-of", "2016-13", "-o", str(tmp_path))
    assert bad.returncode == 2 and "is not a date" in bad.stderr


def test_help_shows_the_defaults_written_in_brackets(entry):
    expected = {
        ("report",): "[default: the latest figure's date]",
        ("export", "html"): "[default: all dates; the latest figure's date]",
        ("scenario",): "[default: the one entity whose role is regime]",
    }
    for command, default in expected.items():
        done = entry(*command, "--help")
        assert done.returncode == 0, done.stderr
        text = " ".join(done.stdout.replace("│", " ").split())
        assert default in text, command  # rich markup once swallowed "[default: ...]"
