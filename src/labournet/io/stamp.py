"""What made an output: labournet's version, the dataset's content hash, the snapshot's date,
the seed and the command or call. Every report, HTML view, export and database run record
carries one, so a file can be traced to the data and the settings that made it.

The content hash is SHA-256 over the dataset's records, each file's rows sorted by id (so it
ignores row order, the folder and the dataset's name, as `Dataset` equality does) and the
schema. The command is the ``labournet`` command line when the CLI runs (`command_line`
sets it), else the Python call the output names itself by.

Example:
    >>> import labournet
    >>> stamp = make_stamp(labournet.load_dataset(), as_of=2016, seed=0, call="build_report()")
    >>> stamp.dataset_hash.startswith("sha256:"), stamp.as_of, stamp.command
    (True, '2016', 'python: labournet.build_report()')
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import hashlib
import itertools
import json
import shlex
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import attrgetter
from typing import Any

import networkx as nx

from labournet._json import encode_text, object_texts
from labournet._version import __version__
from labournet.errors import ExportError, GraphFormatError
from labournet.io.networkx import Network, from_networkx
from labournet.model.dataset import RECORDS, Dataset
from labournet.model.dates import DateLike, as_date

__all__ = ["Stamp", "make_stamp", "dataset_hash", "command_line", "STAMP_FIELDS"]

_COMMAND: contextvars.ContextVar[str | None] = contextvars.ContextVar("command", default=None)

STAMP_FIELDS = ("version", "dataset", "dataset_hash", "as_of", "seed", "command", "made")
"""The fields of a stamp, in the order outputs list them."""


@dataclass(frozen=True)
class Stamp:
    """The provenance of one output."""

    version: str
    dataset: str
    dataset_hash: str
    as_of: str | None
    seed: int | None
    command: str
    made: str
    """When the output was made (UTC, ISO 8601, seconds)."""

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def line(self) -> str:
        """One line for people: ``labournet 0.1.0 · dataset x (sha256:1a2b3c4d5e6f) · ...``."""
        parts = [f"labournet {self.version}", f"dataset {self.dataset} ({self.dataset_hash[:19]})"]
        if self.as_of is not None:
            parts.append(f"as of {self.as_of}")
        if self.seed is not None:
            parts.append(f"seed {self.seed}")
        return " · ".join([*parts, self.command, f"made {self.made}"])


def make_stamp(
    source: Network | None,
    *,
    as_of: DateLike | None = None,
    seed: int | None = None,
    call: str = "",
) -> Stamp:
    """The stamp of an output made from `source` (a Dataset or a graph) by `call` (the Python
    call, used unless a ``labournet`` command is running)."""
    name, digest = _identity(source)
    command = _COMMAND.get() or (f"python: labournet.{call}" if call else "python")
    return Stamp(
        version=__version__,
        dataset=name,
        dataset_hash=digest,
        as_of=None if as_of is None else str(as_date(as_of)),
        seed=seed,
        command=command,
        made=datetime.now(UTC).isoformat(timespec="seconds"),
    )


def dataset_hash(dataset: Dataset) -> str:
    """``sha256:<hex>`` of the dataset's content (module docstring); worked out once per
    dataset object (it is immutable), since a report and its views each stamp their files."""
    cached = dataset.__dict__.get("_content_hash")
    if cached is not None:
        return str(cached)
    digest = hashlib.sha256()
    for record in RECORDS:
        items = sorted(getattr(dataset, record.part()), key=attrgetter("id"))
        digest.update(record.FILE.encode())
        _hash_rows(digest, items)
    digest.update(repr(dataset.schema).encode())
    found = f"sha256:{digest.hexdigest()}"
    object.__setattr__(dataset, "_content_hash", found)
    return found


HASH_ROWS = 10_000
"""Rows turned into JSON at once by `dataset_hash`."""


def _hash_rows(digest: Any, items: Sequence[Any]) -> None:
    """Feed `digest` the JSON array of the items' rows, ``json.dumps(rows, sort_keys=True,
    ensure_ascii=False)``, a `HASH_ROWS` rows at a time: the same bytes, without every row of
    a large dataset in memory at once."""
    digest.update(b"[")
    for start in range(0, len(items), HASH_ROWS):
        text = ", ".join(_row_texts(items[start : start + HASH_ROWS]))
        digest.update(((", " if start else "") + text).encode())
    digest.update(b"]")


def _row_texts(items: Sequence[Any]) -> list[str]:
    """Each item's row as ``json.dumps(row, sort_keys=True, ensure_ascii=False)`` writes it,
    made a column at a time: every cell is encoded by the encoder's own string function and
    the rows filled into one template of the sorted columns, instead of a dict per row
    through the encoder (3x slower). A row with properties, whose keys fall between the
    columns', goes through the encoder."""
    cells = type(items[0]).cells_of(items)
    names = sorted(cells)
    texts = object_texts(names, [list(map(encode_text, cells[name])) for name in names])
    if "properties" in type(items[0]).__dataclass_fields__:
        for index in itertools.compress(range(len(items)), map(_properties, items)):
            row = {name: cells[name][index] for name in names} | dict(items[index].properties)
            texts[index] = json.dumps(row, sort_keys=True, ensure_ascii=False)
    return texts


_properties = attrgetter("properties")


@contextlib.contextmanager
def command_line(argv: Sequence[str]) -> Iterator[None]:
    """While it runs, outputs name ``labournet ARGV`` as the command that made them."""
    token = _COMMAND.set(shlex.join(["labournet", *argv]))
    try:
        yield
    finally:
        _COMMAND.reset(token)


def _identity(source: Network | None) -> tuple[str, str]:
    if source is None:
        return "", ""
    if isinstance(source, Dataset):
        return source.name, dataset_hash(source)
    name = str(source.graph.get("name", ""))
    if isinstance(source, nx.MultiDiGraph) and "schema" in source.graph:
        try:
            return name, dataset_hash(from_networkx(source))
        except (GraphFormatError, ExportError):  # no labournet dataset: hash its links
            pass
    data = nx.node_link_data(source, edges="links")
    text = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return name, f"sha256:{hashlib.sha256(text.encode()).hexdigest()}"
