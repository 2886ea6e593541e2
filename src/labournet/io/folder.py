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

from labournet.errors import ExportError
from labournet.io.validation import read_dataset
from labournet.model.dataset import RECORDS, Dataset, Entity, Relation
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


def _write(dataset: Dataset, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    schema = dataset.schema
    extra = {
        Entity: _used_properties(dataset.entities, schema.entity_properties),
        Relation: _used_properties(dataset.relations, schema.relation_properties),
    }
    for record in RECORDS:
        columns = record.columns() + extra.get(record, ())
        items = getattr(dataset, record.part())
        _write_csv(out / record.FILE, columns, (item.to_row() for item in items))
    own_schema = Path(schema.path) if schema.path else None
    if own_schema and own_schema != default_schema_path() and own_schema.exists():
        (out / "schema.yaml").write_text(own_schema.read_text("utf-8"), "utf-8")
    return out


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
