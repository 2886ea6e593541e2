"""Dataset folders: read one (checked by `labournet.io.validation`), write one back.

Example:
    >>> import labournet
    >>> dataset = labournet.load_dataset()          # the bundled North Korea dataset
    >>> dataset.name
    'dprk-labour-2016'
"""

from __future__ import annotations

import csv
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from labournet.errors import ExportError
from labournet.io.validation import read_dataset
from labournet.model.dataset import RECORDS, Dataset, Entity, Record, Relation
from labournet.model.schema import default_schema_path
from labournet.resources import bundled_dataset_path

__all__ = [
    "load_dataset",
    "write_dataset",
    "write_whole",
    "check_target_folder",
    "write_error_message",
]


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


def write_whole(dataset: Dataset, folder: str | Path) -> Path:
    """Write `dataset` as `folder` whole or not at all, as the imports do: it is built beside
    `folder`, checked by `load_dataset` (a `DatasetError` leaves nothing behind), and only then
    put in its place (`_put_in_place`). Check the folder first with `check_target_folder`."""
    out = Path(folder).absolute()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        built = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    except OSError as error:
        raise ExportError(write_error_message(out, error)) from error
    try:
        load_dataset(write_dataset(dataset, built))
        _put_in_place(built, out)
    except BaseException:
        shutil.rmtree(built, ignore_errors=True)
        raise
    return out


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
        _write_csv(out / record.FILE, columns, _rows(record, items))
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


def _rows(record: type[Record], items: Sequence[Record]) -> Iterator[dict[str, str]]:
    """The rows of `items`, `WRITE_ROWS` at a time (`Record.rows_of`)."""
    for start in range(0, len(items), WRITE_ROWS):
        yield from record.rows_of(items[start : start + WRITE_ROWS])


WRITE_ROWS = 10_000


def _write_csv(path: Path, columns: tuple[str, ...], rows: Iterable[Mapping[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({column: row.get(column, "") for column in columns})


def check_target_folder(out: Path, force: bool) -> None:
    """`ExportError` unless an import may write the folder `out`: it is missing or empty, or
    `force` replaces what it holds."""
    if out.exists() and not out.is_dir():
        raise ExportError(f"cannot write {out}: it is a file, not a folder")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise ExportError(
            f"{out} is not empty: the import would replace what it holds (--force, or "
            "force=True, replaces it)"
        )


def _put_in_place(built: Path, out: Path) -> None:
    """Move the finished folder `built` to `out`. A new folder is one rename. Into one that
    exists (empty, or replaced by force) the new files move only after its own have moved
    aside, and those are deleted last (put back if a move fails); the folder itself stays,
    so a shell working in it keeps working."""
    try:
        if not out.exists():
            built.rename(out)
            return
        aside = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
        old: list[str] = []
        new: list[str] = []
        try:
            _move_entries(out, aside, sorted(entry.name for entry in out.iterdir()), old)
            _move_entries(built, out, sorted(entry.name for entry in built.iterdir()), new)
        except OSError:
            _move_entries(out, built, new, [])
            _move_entries(aside, out, old, [])
            aside.rmdir()  # only once empty: it never deletes what it moved aside
            raise
        shutil.rmtree(aside, ignore_errors=True)
        built.rmdir()
    except OSError as error:
        raise ExportError(write_error_message(out, error)) from error


def _move_entries(source: Path, target: Path, names: list[str], moved: list[str]) -> None:
    """Move the entries `names` of folder `source` into `target`, adding each to `moved` as
    it goes (so a failure half-way knows what to put back)."""
    for name in names:
        (source / name).rename(target / name)
        moved.append(name)
