"""A dataset's records as pandas DataFrames, for notebooks and ad-hoc questions.

``dataset.frames.entities`` (and ``.relations``, ``.figures``, ``.sources``,
``.assumptions``) is one DataFrame per record type: one row per record, indexed by ``id``, the
file's columns in the file's order, list fields (``sources``, ``assumptions``) as tuples and,
for entities and relations, each property the records use as a column of its own (in schema
order; missing where a record does not have it). ``dataset.entities`` itself stays the tuple of
records every analysis reads.

pandas is imported when a frame is asked for, so the model stays free of it.

Example:
    >>> import labournet
    >>> entities = labournet.load_dataset().frames.entities
    >>> entities.loc["kp", ["kind", "name", "role"]].tolist()
    ['country', 'North Korea', 'regime']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from labournet.model.dataset import Dataset, Record

__all__ = ["DatasetFrames", "records_frame"]


class DatasetFrames:
    """The DataFrame accessor of a `labournet.Dataset` (``dataset.frames``).

    Each property builds a fresh DataFrame, so changing one leaves the dataset alone.
    """

    def __init__(self, dataset: Dataset, types: Mapping[str, type[Record]]) -> None:
        self._dataset = dataset
        self._types = types

    def __repr__(self) -> str:
        return f"<frames of {self._dataset!r}>"

    @property
    def entities(self) -> pd.DataFrame:
        """One row per entity: ``kind``, ``name``, ... and a column per property."""
        dataset = self._dataset
        types, properties = self._types["entities"], dataset.schema.entity_properties
        return records_frame(dataset.entities, types, properties)

    @property
    def relations(self) -> pd.DataFrame:
        """One row per relation: ``kind``, ``source``, ``target``, ... and a column per
        property."""
        dataset = self._dataset
        types, properties = self._types["relations"], dataset.schema.relation_properties
        return records_frame(dataset.relations, types, properties)

    @property
    def figures(self) -> pd.DataFrame:
        """One row per figure: ``subject``, ``measure``, ``low``, ``best``, ``high``, ``unit``,
        ``year``, ... (a derived figure's range is NaN: its formula makes it)."""
        return records_frame(self._dataset.figures, self._types["figures"])

    @property
    def sources(self) -> pd.DataFrame:
        """One row per source: ``publisher``, ``title``, ``date``, ``url``, ``note``."""
        return records_frame(self._dataset.sources, self._types["sources"])

    @property
    def assumptions(self) -> pd.DataFrame:
        """One row per assumption: ``statement``, ``reasoning``, ``sources``."""
        return records_frame(self._dataset.assumptions, self._types["assumptions"])


def records_frame(
    records: Iterable[Record], record_type: type[Record], declared: Sequence[str] = ()
) -> pd.DataFrame:
    """Records of one type as a DataFrame indexed by id: the type's columns (values as the
    records hold them), then the properties used, declared ones in their order first."""
    import pandas as pd

    items = list(records)
    used = {name for item in items for name in getattr(item, "properties", {})}
    extra = [name for name in declared if name in used]
    extra += sorted(used - set(extra))
    columns = [name for name in record_type.columns() if name != "id"]
    ids: list[str] = []
    rows: list[dict[str, Any]] = []
    for item in items:
        values = item.values()
        properties = getattr(item, "properties", {})
        ids.append(values["id"])
        rows.append({name: values[name] for name in columns})
        rows[-1].update((name, properties.get(name)) for name in extra)
    index = pd.Index(ids, name="id", dtype=object)
    return pd.DataFrame(rows, columns=[*columns, *extra], index=index)
