"""Dataset folders: read one (checked by `labournet.io.validation`), write one back.

Example:
    >>> import labournet
    >>> dataset = labournet.load_dataset()          # the bundled North Korea dataset
    >>> dataset.name
    'dprk-labour-2016'
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from labournet._number import format_number
from labournet.errors import ExportError
from labournet.io.validation import read_dataset
from labournet.model.dataset import FILES, LIST_SEPARATOR, Dataset, Entity, Figure, Relation
from labournet.model.schema import default_schema_path
from labournet.resources import bundled_dataset_path

__all__ = ["load_dataset", "write_dataset", "write_error_message"]


def load_dataset(path: str | Path | None = None, *, regime: str | None = None) -> Dataset:
    """Read and validate a dataset folder; `None` reads the bundled North Korea dataset.

    Every problem in every file is reported at once in a `DatasetError`, each located as
    ``FILE:LINE: FIELD: reason``. A dataset with flows of workers or revenue needs exactly one
    entity with role ``regime`` unless `regime` names the regime's id (checked by the analysis).
    """
    return read_dataset(Path(path) if path is not None else bundled_dataset_path(), regime)


def write_dataset(dataset: Dataset, folder: str | Path) -> Path:
    """Write `dataset` as a folder of CSV files that `load_dataset` reads back equal.

    A folder that cannot be made or written (a file in its place or as its parent, a full
    disk) is an `ExportError` naming the path.

    >>> import tempfile
    >>> dataset = load_dataset()
    >>> load_dataset(write_dataset(dataset, tempfile.mkdtemp())) == dataset
    True
    """
    out = Path(folder)
    try:
        return _write(dataset, out)
    except OSError as error:
        raise ExportError(write_error_message(out, error)) from error


def _write(self: Dataset, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    entity_props = _used_properties(self.entities, self.schema.entity_properties)
    relation_props = _used_properties(self.relations, self.schema.relation_properties)
    _write_csv(out / "sources.csv", FILES["sources.csv"], (_row(s) for s in self.sources))
    _write_csv(
        out / "assumptions.csv", FILES["assumptions.csv"], (_row(a) for a in self.assumptions)
    )
    _write_csv(
        out / "entities.csv",
        FILES["entities.csv"] + entity_props,
        (_row(e) | dict(e.properties) for e in self.entities),
    )
    _write_csv(
        out / "relations.csv",
        FILES["relations.csv"] + relation_props,
        (_row(r) | dict(r.properties) for r in self.relations),
    )
    figure_rows = (_figure_row(f) for f in self.figures)
    _write_csv(out / "figures.csv", FILES["figures.csv"], figure_rows)
    own_schema = Path(self.schema.path) if self.schema.path else None
    if own_schema and own_schema != default_schema_path() and own_schema.exists():
        (out / "schema.yaml").write_text(own_schema.read_text("utf-8"), "utf-8")
    return out


def _row(item: Any) -> dict[str, str]:
    row = {}
    for name, value in vars(item).items():
        if name == "properties" or name.startswith("_"):
            continue
        if isinstance(value, tuple):
            row[name] = LIST_SEPARATOR.join(value)
        elif isinstance(value, int | float) or value is None:
            row[name] = format_number(value)
        else:
            row[name] = str(value)
    return row


def _figure_row(figure: Figure) -> dict[str, str]:
    """A figure's row; a derived figure's range comes from its formula, so it is left empty."""
    row = _row(figure)
    if figure.formula:
        row.update(low="", best="", high="")
    return row


def _used_properties(
    items: Iterable[Entity | Relation], declared: tuple[str, ...]
) -> tuple[str, ...]:
    used = {name for item in items for name in item.properties}
    return tuple(name for name in declared if name in used)


def write_error_message(folder: Path, error: OSError) -> str:
    """``cannot write FOLDER: reason``, naming the file the system refused when it says which."""
    where = Path(error.filename) if error.filename else folder
    reason = error.strerror or str(error)
    if isinstance(error, FileExistsError | NotADirectoryError) and not where.is_dir():
        reason = f"{reason} (a file is where a folder should be)"
    return f"cannot write {where}: {reason}"


def _write_csv(path: Path, columns: tuple[str, ...], rows: Iterable[Mapping[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({column: row.get(column, "") for column in columns})
