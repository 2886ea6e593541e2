"""Files that ship with labournet: the bundled dataset and the Cypher library.

In an installed wheel they live inside the package (``labournet/_bundled/``); in a source
checkout they are the repository's ``data/`` and ``cypher/`` folders.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__all__ = ["BUNDLED_DATASET", "bundled_dataset_path", "cypher_path"]

BUNDLED_DATASET = "dprk-labour-2016"


def _shipped(*parts: str) -> Path:
    packaged = Path(str(files("labournet"))) / "_bundled"
    if packaged.is_dir():
        return packaged.joinpath(*parts)
    checkout = Path(__file__).resolve().parents[2]
    return checkout.joinpath(*parts)


def bundled_dataset_path() -> Path:
    """The folder of the bundled North Korea labour-export dataset."""
    return _shipped("data", BUNDLED_DATASET)


def cypher_path(*parts: str) -> Path:
    """The Cypher library folder, or a file inside it: ``cypher_path("queries", "x.cypher")``."""
    return _shipped("cypher", *parts)
