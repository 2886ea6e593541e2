"""Derived figures: the formula language, its errors, and what validation says about formulas."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import labournet
from labournet import DatasetError, load_dataset
from labournet.model.formulas import FormulaError, derivation_order, parse_formula

HEADER = "id,subject,measure,low,best,high,unit,year,claim,sources,assumptions,stated_by,formula\n"


def test_precedence_parentheses_and_negation():
    values = {"a": np.array([2.0, 4.0]), "b-c": np.array([3.0, 5.0])}
    assert parse_formula("a + b-c * 2").evaluate(values).tolist() == [8.0, 14.0]
    assert parse_formula("(a + b-c) * 2").evaluate(values).tolist() == [10.0, 18.0]
    assert parse_formula("a - b-c").evaluate(values).tolist() == [-1.0, -1.0]
    assert parse_formula("-a / 4").evaluate(values).tolist() == [-0.5, -1.0]
    assert parse_formula("1e3 * a").evaluate(values).tolist() == [2000.0, 4000.0]
    assert parse_formula("a / 0").evaluate(values).tolist() == [0.0, 0.0]  # documented


def test_references_in_order_without_repeats():
    assert parse_formula("x * (1 - y) + x").references == ("x", "y")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty formula"),
        ("a *", "ends too early"),
        ("(a + b", "missing '\\)'"),
        ("a + b)", "unexpected '\\)'"),
        ("a $ b", "unexpected character '\\$'"),
        ("(" * 60 + "a" + ")" * 60, "nested more than 50"),
        ("a" * 2001, "longer than 2000"),
    ],
)
def test_bad_formulas_say_what_is_wrong(text, message):
    with pytest.raises(FormulaError, match=message):
        parse_formula(text)


def test_a_cycle_is_named():
    formulas = {k: parse_formula(v) for k, v in {"a": "b + 1", "b": "c", "c": "a * 2"}.items()}
    with pytest.raises(FormulaError, match="cycle: a -> b -> c -> a"):
        derivation_order(formulas)
    order = derivation_order({"x": parse_formula("y + z"), "y": parse_formula("z * 2")})
    assert order.index("y") < order.index("x")


def _with_figures(folder: Path, rows: str) -> Path:
    path = folder / "figures.csv"
    body = path.read_text(encoding="utf-8").splitlines()[1:]
    path.write_text(HEADER + "".join(f"{line},\n" for line in body) + rows, encoding="utf-8")
    return folder


def _problems(folder: Path):
    with pytest.raises(DatasetError) as caught:
        load_dataset(folder)
    return [(Path(p.file).name, p.line, p.field, p.reason) for p in caught.value.problems]


def test_a_derived_figure_gets_its_range_from_its_inputs(mini_folder: Path):
    _with_figures(
        mini_folder,
        "f-kept,r-work,workers,,,,persons,2016,Half of those sent,s-st,,,f-send * 0.5\n",
    )
    figure = next(f for f in load_dataset(mini_folder).figures if f.id == "f-kept")
    # f-send ~ triangular(30000, 37500, 60000): best 37500 / 2; 5th-95th percentiles inside
    assert figure.best == pytest.approx(18_750)
    assert 15_000 < figure.low < figure.best < figure.high < 30_000
    assert figure.formula == "f-send * 0.5"


def test_formula_problems_are_located(mini_folder: Path):
    _with_figures(
        mini_folder,
        "f-x,r-work,workers,1,,2,persons,2016,Given a range too,s-st,,,f-send * 2\n"
        "f-y,r-work,workers,,,,persons,2017,Unknown input,s-st,,,f-nowhere + 1\n"
        "f-z,r-work,workers,,,,persons,2018,Bad syntax,s-st,,,f-send *\n"
        "f-a,r-work,workers,,,,persons,2015,Later input,s-st,,,f-send\n",
    )
    found = _problems(mini_folder)
    assert ("figures.csv", 7, "low", found[0][3]) in found
    assert "leaves low, best and high empty" in found[0][3]
    assert ("figures.csv", 8, "formula", "unknown figure 'f-nowhere'") in found
    assert ("figures.csv", 9, "formula", "the formula ends too early") in found
    assert (
        "figures.csv",
        10,
        "formula",
        "'f-send' is of 2016, later than this figure (2015)",
    ) in found


def test_a_cycle_in_a_dataset_is_located(mini_folder: Path):
    _with_figures(
        mini_folder,
        "f-p,r-work,workers,,,,persons,2016,One,s-st,,,f-q + 1\n"
        "f-q,cn,compliance,,,,fraction,2016,Two,s-st,,,f-p * 2\n",
    )
    (problem,) = _problems(mini_folder)
    assert problem[:3] == ("figures.csv", 7, "formula")
    assert "cycle: f-p -> f-q -> f-p" in problem[3]


def test_inputs_that_disagree_are_a_problem(mini_folder: Path):
    # the residual of 30,000-60,000 sent minus 50,000-100,000 abroad goes below zero
    _with_figures(
        mini_folder,
        "f-rest,r-work,workers,,,,persons,2016,Residual,s-st,,,f-send - f-abroad\n",
    )
    (problem,) = _problems(mini_folder)
    assert problem[:3] == ("figures.csv", 7, "formula")
    assert re.match(r"below zero in 9\d\.\d% of 10,000 joint draws of its inputs", problem[3])


def test_a_derived_figure_round_trips_through_the_csv(mini_folder: Path, tmp_path: Path):
    _with_figures(
        mini_folder,
        "f-kept,r-work,workers,,,,persons,2016,Half of those sent,s-st,,,f-send * 0.5\n",
    )
    dataset = load_dataset(mini_folder)
    written = labournet.write_dataset(dataset, tmp_path / "copy")
    row = next(
        line for line in (written / "figures.csv").read_text().splitlines() if "f-kept" in line
    )
    assert ",,,,persons," in row  # the range is left to the formula
    assert load_dataset(written) == dataset


def test_draws_do_not_depend_on_the_order_of_the_rows():
    import dataclasses

    from labournet.analysis.flows import build_flow_model
    from labournet.model.formulas import derive_figures

    dataset = load_dataset()
    reordered = dataclasses.replace(dataset, figures=tuple(reversed(dataset.figures)))
    assert derive_figures(reordered.figures)[0] == tuple(reversed(dataset.figures))
    assert build_flow_model(reordered).totals() == build_flow_model(dataset).totals()


def test_uniform_draws_are_the_draw_major_stream_dealt_to_figures_in_id_order(monkeypatch):
    from labournet.model import formulas

    by_id = np.array([4, 0, 3, 1, 2])
    expected = np.empty((5, 9))
    expected[by_id] = np.random.default_rng(5).random((9, 5)).T
    monkeypatch.setattr(formulas, "STREAM_DRAWS", 2)
    monkeypatch.setattr(formulas, "SCATTER_BLOCK", 2)
    found = formulas._uniform_rows(np.random.default_rng(5), 9, by_id)
    assert np.array_equal(found, expected)
