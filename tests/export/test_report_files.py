"""The report files: CSV, JSON, Markdown and PNG, for the bundled dataset and the small fixture."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

import labournet
from labournet._number import format_money
from labournet.analysis.pressure import pressure_points
from labournet.errors import ExportError
from labournet.report import tables
from labournet.report.build import DEFAULT_WRITERS, build_report, write_report, write_tables
from labournet.report.tables import rich_table

SMALL = Path(__file__).parents[1] / "fixtures" / "pressure-small"
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def bundled_report():
    return build_report(labournet.load_dataset(), draws=200, seed=0)


def test_writes_every_file(bundled_report, tmp_path):
    files = write_report(bundled_report, tmp_path / "out")
    names = {f.name for f in files}
    assert names == {
        "pressure-points.csv",
        "pressure-points-sources.csv",
        "pressure-points.json",
        "report.md",
        "revenue-at-stake.png",
        "rank-stability.png",
    }
    for file in files:
        assert file.stat().st_size > (50 if "sources" in file.name else 500), file


def test_csv_round_trips_the_table(bundled_report, tmp_path):
    write_report(bundled_report, tmp_path)
    table = pd.read_csv(tmp_path / "pressure-points.csv", index_col="id", keep_default_na=False)
    assert list(table.index) == list(bundled_report.table.index)
    assert table.loc["cn", "revenue_best"] == pytest.approx(132e6)
    expected = {"p_top_k", "rank_p05", "rank_p95", "figures", "source_groups", "assumptions"}
    assert expected <= set(table.columns)


def test_each_rows_sources_are_its_groups_written_once_in_the_sources_file(
    bundled_report, tmp_path
):
    write_report(bundled_report, tmp_path)
    table = pd.read_csv(tmp_path / "pressure-points.csv", index_col="id", keep_default_na=False)
    groups = pd.read_csv(tmp_path / "pressure-points-sources.csv", index_col="group")
    members = groups["sources"].str.split(";")
    assert groups["sources"].is_unique and len(groups) > 1
    pressure = bundled_report.pressure
    for candidate, refs in table["source_groups"].items():
        found = {source for group in refs.split(";") if group for source in members[group]}
        assert tuple(sorted(found)) == pressure.sources_of(candidate), candidate
    assert pressure.sources_of("cn") and set(pressure.sources_of("cn")) <= set(
        bundled_report.sources
    )
    document = json.loads((tmp_path / "pressure-points.json").read_text("utf-8"))
    assert document["source_groups"] == {g: list(s) for g, s in pressure.source_groups.items()}


def test_csv_joins_lists_and_json_keeps_them(bundled_report, tmp_path):
    write_report(bundled_report, tmp_path)
    table = pd.read_csv(tmp_path / "pressure-points.csv", index_col="id", keep_default_na=False)
    assert table.loc["cn", "actors"] == "kr;us"
    document = json.loads((tmp_path / "pressure-points.json").read_text("utf-8"))
    china = next(c for c in document["candidates"] if c["id"] == "cn")
    assert china["actors"] == ["kr", "us"]


def test_report_totals_lie_within_their_sourced_ranges(bundled_report, tmp_path):
    write_report(bundled_report, tmp_path)
    markdown = (tmp_path / "report.md").read_text("utf-8")
    revenue = re.search(
        r"network: \*\*\$([\d.]+)M\*\* a year \(90 % interval \$([\d.]+)M–\$([\d.]+)M\)", markdown
    )
    workers = re.search(
        r"Workers placed: \*\*([\d,]+)\*\* \(90 % interval ([\d,]+)–([\d,]+)\)", markdown
    )
    assert revenue and workers, markdown[:800]
    assert [float(x) for x in revenue.groups()] == [300.0, 300.0, 300.0]  # stated: US$300M
    low, best, high = (int(x.replace(",", "")) for x in (workers[2], workers[1], workers[3]))
    assert 50_000 <= low < best < high <= 100_000  # stated: 50,000-100,000
    assert "the sourced pay in r-cn-works-garments leaves US$2,400" in markdown
    breakdown = markdown.split("### Breakdown per candidate", 1)[1].split("\n#", 1)[0]
    listed = set(re.findall(r"^\| `([^`]+)` \|", breakdown, re.M))
    assert listed == set(bundled_report.pressure.ids)  # every candidate's breakdown


def test_json_document(bundled_report, tmp_path):
    write_report(bundled_report, tmp_path)
    document = json.loads((tmp_path / "pressure-points.json").read_text("utf-8"))
    assert document["regime"] == "kp"
    assert document["totals"]["revenue"][1] == pytest.approx(300e6)
    assert document["candidates"][0]["rank"] == 1
    assert document["key_players"]["method"] == "exact"
    assert "a-cn-ru-split" in document["assumptions"]
    assert document["sources"]


def test_markdown_explains_formula_assumptions_and_sources(bundled_report, tmp_path):
    write_report(bundled_report, tmp_path)
    text = (tmp_path / "report.md").read_text("utf-8")
    assert text.startswith("# Pressure points: dprk-labour-2016")
    for needle in (
        "## The score: expected revenue denied",
        "expected revenue denied (USD per year) = sum over",
        "### Breakdown per candidate",
        "## Key players",
        "How the numbers are made",
        "## Assumptions",
        "a-cn-ru-split",
        "## Sources",
        "s-st-2016-09-13",
        "revenue-at-stake.png",
        "| 1 |",
    ):
        assert needle in text, needle


def test_pngs_are_images(bundled_report, tmp_path):
    for file in write_report(bundled_report, tmp_path):
        if file.suffix == ".png":
            assert file.read_bytes()[:8] == PNG


def test_without_monte_carlo(tmp_path):
    report = build_report(labournet.load_dataset(SMALL), draws=0, k=2)
    names = {f.name for f in write_report(report, tmp_path)}
    assert "rank-stability.png" not in names and "revenue-at-stake.png" in names
    assert "p_top_k" not in report.table.columns


def test_extra_writer_hook(tmp_path):
    report = build_report(labournet.load_dataset(SMALL), draws=10)

    def extra(report, folder):
        path = folder / "extra.txt"
        path.write_text(report.model.regime, "utf-8")
        return [path]

    files = write_report(report, tmp_path, writers=(*DEFAULT_WRITERS, extra))
    assert (tmp_path / "extra.txt").read_text("utf-8") == "rg"
    assert files[-1].name == "extra.txt"


def test_tables_written_a_few_rows_at_a_time_are_the_same_files(
    bundled_report, tmp_path, monkeypatch
):
    whole = write_tables(bundled_report, _folder(tmp_path / "whole"))
    monkeypatch.setattr(tables, "WRITE_ROWS", 3)
    assert len(bundled_report.table) > 3 * 2
    pieces = write_tables(bundled_report, _folder(tmp_path / "pieces"))
    for one, other in zip(whole, pieces, strict=True):
        assert one.read_bytes() == other.read_bytes(), one.name
    candidates = json.loads(pieces[2].read_text("utf-8"))["candidates"]
    assert [c["id"] for c in candidates] == list(bundled_report.table.index)
    assert sorted(p.name for p in (tmp_path / "pieces").iterdir()) == [
        "pressure-points-sources.csv",
        "pressure-points.csv",
        "pressure-points.json",
    ]


def test_a_tables_lines_are_the_encoders_text_of_each_record(bundled_report):
    shared = ("a", "b")
    awkward = pd.DataFrame(
        {
            "text": ['a "quote" \\ 100%s', "ü \u2028", "\x01"],
            "number": [1.5, float("nan"), 1e300],
            "count": [1, -2, 3],
            "flag": [True, False, True],
            "ids": [(), shared, shared],
            "mixed": [None, 2.5, "x"],
        },
        index=pd.Index(["r1", "r%d", "r3"], name="id"),
    )
    for frame in (awkward, bundled_report.table):
        records = frame.reset_index().astype(object).to_dict(orient="records")
        expected = [
            json.dumps({k: None if v != v else v for k, v in r.items()}, ensure_ascii=False)
            for r in records
        ]
        assert tables._lines(frame) == expected
    assert json.loads(tables._lines(awkward)[0])["text"] == 'a "quote" \\ 100%s'


def test_a_failed_write_leaves_the_previous_file_and_no_partial_one(tmp_path):
    file = tmp_path / "out.json"
    file.write_text("before", "utf-8")
    with pytest.raises(TypeError):
        tables.write_json({"ok": 1, "table": pd.DataFrame({"x": [object()]})}, file)
    assert file.read_text("utf-8") == "before"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def _folder(path: Path) -> Path:
    path.mkdir()
    return path


def test_unwritable_folder(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    report = build_report(labournet.load_dataset(SMALL), draws=0)
    with pytest.raises(ExportError):
        write_report(report, blocker / "sub")


def test_rich_table_and_money():
    table = pressure_points(labournet.load_dataset(SMALL)).to_frame()
    assert rich_table(table, top=3).row_count == 3
    assert format_money(132e6) == "$132.0M" and format_money(400) == "$400"


def test_terminal_table_leaves_columns_out_on_a_narrow_terminal() -> None:
    import labournet
    from labournet.report.tables import rich_table

    table = labournet.pressure_points(labournet.load_dataset()).to_frame()
    wide = [column.header for column in rich_table(table, top=5, width=200).columns]
    narrow = [column.header for column in rich_table(table, top=5, width=80).columns]
    assert {"type", "low–high", "actors", "measures"} <= set(wide)
    assert not {"type", "low–high", "actors", "measures"} & set(narrow)
    assert narrow[:2] == ["#", "candidate"] and "denied/yr" in narrow


def test_dollar_signs_in_names_are_drawn_as_text(tmp_path):
    import dataclasses

    from labournet.report.charts import revenue_chart

    dataset = labournet.load_dataset(SMALL)
    named = [
        dataclasses.replace(e, name=r"China $\frac{1}$ x") if e.id == "h1" else e
        for e in dataset.entities
    ]
    odd = dataclasses.replace(dataset, entities=tuple(named))
    table = pressure_points(odd).to_frame()
    path = revenue_chart(table, tmp_path / "chart.png", regime_name="Re$gime$")  # failed before
    assert path.read_bytes().startswith(PNG)
    report = build_report(odd, draws=20)
    assert write_report(report, tmp_path / "r")  # the report, its charts included


HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "`` ` <b>x</b>",
    "a | b",
    "[link](javascript:alert(1))",
    "![i](javascript:alert(1))",
    "<javascript:alert(1)>",
    "*x* _y_ &lt;script&gt;",
]


def _elements(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    from html.parser import HTMLParser

    found: list[tuple[str, list[tuple[str, str | None]]]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Collect().feed(html)
    return found


def test_markdown_report_escapes_html_and_markdown_from_the_data(tmp_path):
    import dataclasses

    from markdown_it import MarkdownIt

    from labournet.report.markdown import render_markdown

    dataset = labournet.load_dataset(SMALL)
    hostile = " ".join(HOSTILE)

    def bad(i: int) -> str:
        return f"{HOSTILE[i % len(HOSTILE)]} {hostile}\n<script>alert(2)</script>"

    odd = dataclasses.replace(
        dataset,
        name=bad(0),
        entities=tuple(
            dataclasses.replace(e, name=bad(i), description=bad(i + 1))
            for i, e in enumerate(dataset.entities)
        ),
        relations=tuple(
            dataclasses.replace(r, claim=bad(i)) for i, r in enumerate(dataset.relations)
        ),
        assumptions=tuple(
            dataclasses.replace(a, statement=bad(i), reasoning=bad(i + 3))
            for i, a in enumerate(dataset.assumptions)
        ),
        sources=tuple(
            dataclasses.replace(s, publisher=bad(i), title=bad(i + 2), url="javascript:alert(1)")
            for i, s in enumerate(dataset.sources)
        ),
    )
    report = dataclasses.replace(
        build_report(odd, draws=20), doubts="- a doubt <script>alert(3)</script> [x](javascript:y)"
    )
    text = render_markdown(report)
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert "<script" not in html  # raw HTML went through before
    elements = _elements(html)
    assert {tag for tag, _ in elements} <= {
        "h1", "h2", "h3", "p", "ul", "li", "strong", "em", "code", "pre", "table", "thead",
        "tbody", "tr", "th", "td", "img", "blockquote", "a",
    }  # fmt: skip
    for tag, attrs in elements:
        assert not any(name.startswith("on") for name, _ in attrs), (tag, attrs)
        assert all("javascript:" not in (value or "").lower() for _, value in attrs), attrs
        if tag == "img":  # only the report's own charts
            assert dict(attrs)["src"] in ("revenue-at-stake.png", "rank-stability.png")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown, not dropped
    # the tables keep their columns: a '|' in a name does not add a cell
    rows = [line for line in text.splitlines() if line.startswith("| 1 |")]
    assert rows
    header = next(line for line in text.splitlines() if line.startswith("| # |"))
    assert html.count("<tr>") > 1
    for row in rows:
        assert len(re.findall(r"(?<!\\)\|", row)) == len(re.findall(r"(?<!\\)\|", header))


def test_code_spans_hold_any_backticks() -> None:
    from markdown_it import MarkdownIt

    from labournet.report.markdown import _code

    for value in ("a`b", "``x", "x`", "<script>`</script>", "```"):
        html = MarkdownIt().render(_code(value))
        assert html.count("<code>") == 1 and "<script" not in html, value
