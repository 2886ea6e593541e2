"""Shipped files are found whether labournet runs from a checkout or an installed wheel."""

from __future__ import annotations

from labournet.resources import bundled_dataset_path, cypher_path


def test_bundled_dataset_is_shipped() -> None:
    folder = bundled_dataset_path()
    for name in ("entities.csv", "relations.csv", "figures.csv", "sources.csv", "assumptions.csv"):
        assert (folder / name).is_file(), name


def test_cypher_library_is_shipped() -> None:
    assert cypher_path().is_dir()
    assert list(cypher_path().rglob("*.cypher")), "no .cypher files shipped"
