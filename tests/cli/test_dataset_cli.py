"""`labournet validate`, `labournet info`, `--version` and the help of every command."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from labournet import __version__, load_dataset
from labournet.cli import app

runner = CliRunner()


def test_validate_bundled_dataset_exits_zero() -> None:
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0, result.output
    assert "ok" in result.output
    assert f"{len(load_dataset().entities)} entities" in result.output


def test_validate_broken_dataset_exits_two_with_located_problems(mini_folder: Path) -> None:
    path = mini_folder / "relations.csv"
    path.write_text(path.read_text().replace("r-press,pressures,", "r-press,presses,"))
    result = runner.invoke(app, ["validate", str(mini_folder)])
    assert result.exit_code == 2
    assert f"{path}:5: kind: unknown kind 'presses'" in result.output
    assert "error: 1 problem in dataset" in result.output
    assert "Traceback" not in result.output


def test_validate_missing_folder(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "not a dataset folder" in result.output


def test_info_shows_counts_sources_assumptions_and_figures() -> None:
    dataset = load_dataset()
    result = runner.invoke(app, ["info"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert f"Entities by kind ({len(dataset.entities)})" in result.output
    assert f"Relations by kind ({len(dataset.relations)})" in result.output
    assert f"Sources ({len(dataset.sources)})" in result.output
    assert f"Assumptions ({len(dataset.assumptions)})" in result.output
    assert f"Figures ({len(dataset.figures)})" in result.output
    assert "50000–100000" in result.output  # workers abroad, as a range


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"labournet {__version__}"


def _commands(group, prefix=()):  # type: ignore[no-untyped-def]
    import typer.main

    command = typer.main.get_command(group) if not hasattr(group, "commands") else group
    for name, sub in command.commands.items():
        if hasattr(sub, "commands"):
            yield from _commands(sub, (*prefix, name))
        else:
            yield (*prefix, name), sub


def test_every_command_has_help_with_an_example() -> None:
    commands = list(_commands(app))
    assert len(commands) >= 2
    for path, command in commands:
        result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
        assert result.exit_code == 0, (path, result.output)
        assert "Example:" in (command.help or ""), f"labournet {' '.join(path)} has no example"


def test_an_infinite_figure_fails_validate_without_a_traceback(tmp_path: Path) -> None:
    import shutil
    import subprocess

    folder = tmp_path / "ds"
    shutil.copytree(Path(__file__).parents[1] / "fixtures" / "mini", folder)
    path = folder / "figures.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("30000,37500,60000", "30000,37500,1e309"),
        encoding="utf-8",
    )
    done = subprocess.run(["labournet", "validate", str(folder)], capture_output=True, text=True)
    assert done.returncode == 2
    assert "figures.csv:3: high: '1e309' is not a finite number" in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_markup_and_escapes_in_arguments_are_printed_as_text(tmp_path: Path) -> None:
    import subprocess

    for args in (["scenario", "--cut", "[/x]"], ["validate", str(tmp_path / "v[/b]\x1b[2J")]):
        done = subprocess.run(["labournet", *args], capture_output=True, text=True)
        output = done.stdout + done.stderr
        assert done.returncode == 2, output  # MarkupError traceback before
        assert "Traceback" not in output and "\x1b" not in output
    assert (
        "[/x]"
        in subprocess.run(
            ["labournet", "scenario", "--cut", "[/x]"], capture_output=True, text=True
        ).stderr
    )


def test_every_command_takes_h_and_shows_flags_as_flags() -> None:
    groups = [(), ("db",), ("export",)]
    for path in [*groups, *(path for path, _ in _commands(app))]:
        result = runner.invoke(app, [*path, "-h"], env={"COLUMNS": "200"})
        assert result.exit_code == 0, (path, result.output)
        assert "Usage:" in result.output and "-h" in result.output, path
        assert "<bool>" not in result.output, f"labournet {' '.join(path)} -h shows <bool>"


def test_help_through_the_command(labournet_cli, tmp_path: Path) -> None:
    shown = labournet_cli("centrality", "-h")
    assert shown.returncode == 0, shown.stderr
    undirected = next(line for line in shown.stdout.splitlines() if "--undirected" in line)
    assert "<bool>" not in shown.stdout and "Read the network as undirected" in undirected
    assert "-h" in next(line for line in shown.stdout.splitlines() if "--help" in line)


def test_counts_agree_with_their_number_through_the_command(labournet_cli, tmp_path: Path) -> None:
    mini = Path(__file__).parents[1] / "fixtures" / "mini"
    checked = labournet_cli("validate", mini)
    assert checked.returncode == 0, checked.stderr
    assert "6 entities, 5 relations, 5 figures, 1 source, 1 assumption" in checked.stdout
    (tmp_path / "one.csv").write_text("source,target\na,b\n", encoding="utf-8")
    wrote = labournet_cli("centrality", "one.csv", "-m", "degree", "--top", "1", "-o", "c.txt")
    assert wrote.returncode == 0, wrote.stderr
    assert "wrote 1 node to c.txt" in wrote.stderr
    text = " ".join((tmp_path / "c.txt").read_text(encoding="utf-8").split())
    assert "Centrality (top 1 of 2 nodes by degree)" in text and "2 nodes, 1 edge;" in text


def test_view_titles_name_the_score_in_words(labournet_cli, tmp_path: Path) -> None:
    done = labournet_cli("export", "html", "--view", "top", "-k", "3", "-o", "top.html")
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "top.html").read_text(encoding="utf-8")
    assert "<title>dprk-labour-2016: top 3 by pressure score and their neighbours</title>" in page
    assert "pressure_score and" not in page


def test_markup_in_names_from_data_is_shown_as_written(tmp_path: Path) -> None:
    import shutil
    import subprocess

    folder = tmp_path / "ds"
    shutil.copytree(Path(__file__).parents[1] / "fixtures" / "mini", folder)
    path = folder / "entities.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "cn,country,China,", "cn,country,China [/x] [bold]b[/bold],"
        ),
        encoding="utf-8",
    )
    for args in (
        ["report", str(folder), "-o", str(tmp_path / "out"), "-n", "10"],
        ["key-players", str(folder)],
        ["scenario", str(folder), "--cut", "cn"],
        ["info", str(folder)],
        ["centrality", str(folder)],
    ):
        done = subprocess.run(["labournet", *args], capture_output=True, text=True)
        output = done.stdout + done.stderr
        assert done.returncode == 0 and "Traceback" not in output, output  # MarkupError before
        if args[0] in ("report", "key-players"):
            assert "China [/x] [bold]b[/bold]" in output, args[0]
