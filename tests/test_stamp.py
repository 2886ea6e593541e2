"""Every output says what made it: version, dataset hash, as-of date, seed, command."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import tomllib
from pathlib import Path

import pytest

import labournet
from labournet.io import stamp
from labournet.io.stamp import dataset_hash, make_stamp
from labournet.model.dataset import RECORDS

ROOT = Path(__file__).parents[1]


def test_the_version_is_the_packages():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert labournet.__version__ == project["project"]["version"]


def test_the_content_hash_ignores_order_and_name_and_follows_content():
    dataset = labournet.load_dataset()
    shuffled = dataclasses.replace(
        dataset, name="other", entities=tuple(reversed(dataset.entities))
    )
    assert dataset_hash(shuffled) == dataset_hash(dataset)
    first = dataset.figures[0]
    changed = dataclasses.replace(
        dataset, figures=(dataclasses.replace(first, high=first.high + 1), *dataset.figures[1:])
    )
    assert dataset_hash(changed) != dataset_hash(dataset)


def test_the_content_hash_is_sha256_of_each_files_sorted_rows_however_it_is_fed(monkeypatch):
    dataset = labournet.load_dataset()
    expected = hashlib.sha256()
    for record in RECORDS:
        rows = sorted((r.to_row() for r in getattr(dataset, record.part())), key=lambda r: r["id"])
        expected.update(record.FILE.encode())
        expected.update(json.dumps(rows, sort_keys=True, ensure_ascii=False).encode())
    expected.update(repr(dataset.schema).encode())
    monkeypatch.setattr(stamp, "HASH_ROWS", 4)
    assert len(dataset.figures) > 4 * 2
    assert dataset_hash(dataclasses.replace(dataset)) == f"sha256:{expected.hexdigest()}"


def test_the_hashed_rows_are_the_json_encoders_text_of_each_row_whatever_it_holds():
    dataset = labournet.load_dataset()
    awkward = 'a "quote", a back\\slash, 100%s %d, ü, \u2028, a tab\t and \x01'
    entities = [
        dataclasses.replace(dataset.entities[0], name=awkward, properties={"aa": "%", "zz": "é"}),
        dataclasses.replace(dataset.entities[1], properties={}),
        *dataset.entities[2:],
    ]
    derived = [f for f in dataset.figures if f.formula]
    assert derived and any(e.properties for e in entities[2:])
    for items in (entities, dataset.figures, dataset.relations, dataset.sources):
        expected = [json.dumps(item.to_row(), sort_keys=True, ensure_ascii=False) for item in items]
        assert stamp._row_texts(items) == expected
    assert json.loads(stamp._row_texts(entities)[0])["name"] == awkward
    row = json.loads(stamp._row_texts(derived)[0])
    assert (row["low"], row["best"], row["high"]) == ("", "", "") and row["formula"]


def test_a_python_call_names_itself():
    report = labournet.build_report(labournet.load_dataset(), draws=0, seed=3, as_of=2016)
    stamp = report.stamp
    assert stamp is not None
    assert (stamp.version, stamp.as_of, stamp.seed) == (labournet.__version__, "2016", 3)
    assert stamp.command.startswith("python: labournet.build_report(")
    assert stamp.dataset_hash == dataset_hash(labournet.load_dataset())
    assert report.to_dict()["stamp"] == stamp.to_dict()


def test_every_report_file_that_can_say_so_states_the_command(labournet_cli, tmp_path):
    out = tmp_path / "out"
    done = labournet_cli("report", "-o", str(out), "-n", "0", "--seed", "5")
    assert done.returncode == 0, done.stderr
    stamp = json.loads((out / "pressure-points.json").read_text())["stamp"]
    assert stamp["command"] == f"labournet report -o {out} -n 0 --seed 5"
    assert stamp["seed"] == 5 and stamp["as_of"] == "2016"
    assert stamp["dataset_hash"] == dataset_hash(labournet.load_dataset())
    assert "Made by: labournet" in (out / "report.md").read_text()
    for view in ("network.html", "pressure-points.html"):
        page = (out / view).read_text()
        meta = re.search(r'<meta name="labournet-stamp" content="([^"]*)">', page)
        assert meta and "labournet report" in meta.group(1).replace("&quot;", '"'), view
        assert '<footer id="ln-stamp">labournet ' in page


def test_an_html_export_from_python_is_stamped(tmp_path):
    path = labournet.export_html(labournet.load_dataset(), tmp_path / "v.html")
    assert "python: labournet.export_html()" in path.read_text()


def test_a_stamp_line_escapes_nothing_itself_and_the_page_escapes_it(tmp_path):
    dataset = dataclasses.replace(labournet.load_dataset(), name="<b>x</b>")
    stamp = make_stamp(dataset, call="x()")
    assert "<b>x</b>" in stamp.line()
    page = labournet.export_html(dataset, tmp_path / "v.html", stamp=stamp).read_text()
    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page


def test_graph_files_say_what_made_them_and_read_back_without_it(tmp_path):
    from labournet.io.graphfile import export_gexf, export_graphml, export_json, read_graph

    dataset = labournet.load_dataset()
    graphml = export_graphml(dataset, tmp_path / "g.graphml").read_text()
    assert "labournet_stamp" in graphml and "export_graphml()" in graphml
    assert "labournet_stamp" not in read_graph(tmp_path / "g.graphml").graph
    gexf = export_gexf(dataset, tmp_path / "g.gexf").read_text()
    meta = re.search(r"<creator>(.*?)</creator><description>(.*?)</description>", gexf)
    assert meta and meta.group(1) == f"labournet {labournet.__version__}"
    assert "python: labournet.export_gexf()" in meta.group(2)
    document = json.loads(export_json(dataset, tmp_path / "g.json").read_text())
    assert document["labournet_stamp"]["dataset_hash"] == dataset_hash(dataset)


def test_an_ftm_export_starts_with_its_stamp_and_imports_without_it(tmp_path):
    pytest.importorskip("followthemoney")
    from labournet.io.ftm import export_ftm
    from labournet.io.ftm_import import read_ftm

    dataset = labournet.load_dataset()
    path = export_ftm(dataset, tmp_path / "x.ftm.json")
    first = json.loads(path.read_text().splitlines()[0])
    assert first["id"] == "labournet-stamp" and first["schema"] == "Note"
    assert "python: labournet.export_ftm()" in first["properties"]["description"][0]
    assert read_ftm(path).dataset == dataset
