"""A UN list as a labournet dataset, and the import that writes it as a folder.

`designations_to_dataset` turns the designations `read_un_list` read into a dataset that
labournet's own validation accepts: one source (the list), one actor (the Security Council,
``unsc``), and for each designation

* the listed party: an ``organisation`` (entity) or ``person`` (individual) with id
  ``un-kpe-050`` for ``KPe.050``, role ``listed-party`` and the properties ``aliases``,
  ``un_reference``, ``countries`` and ``addresses`` (lists joined by ``;``);
* its listing: a ``measure`` ``un-listing-kpe-050`` whose description is the list's narrative
  and whose properties are ``date`` (the listing date), ``instrument``, ``reference`` and
  ``regime``;
* ``takes_measure`` from ``unsc`` to the listing (dated) and ``targets`` from the listing to
  the party, each with a paraphrased claim and the list as its source.

`import_un_list` reads a list and writes that dataset as a folder, whole or not at all
(`include_un_list` writes a dataset of one's own with the listings of its parties added:
`include_designations`);
`dataset_to_designations` reads the designations back from such a dataset, and
`load_designations` reads them from either a list file or a folder.

Example:
    >>> import tempfile
    >>> from labournet.io.folder import load_dataset
    >>> from labournet.io.unlist import read_un_list
    >>> un_list = read_un_list("tests/sanctions/fixtures/small.xml", regime="DPRK")
    >>> dataset = designations_to_dataset(un_list)
    >>> party = dataset.entity("un-kpe-901")
    >>> party.kind, party.properties["un_reference"], party.properties["aliases"]
    ('organisation', 'KPe.901', 'Northwind Art Works;Kŏmun Trading Co., Ltd.')
    >>> dataset.entity("un-listing-kpe-901").properties["date"]
    '2017-08-05'
    >>> folder = tempfile.mkdtemp() + "/dprk"
    >>> _ = import_un_list("tests/sanctions/fixtures/small.xml", folder, regime="DPRK")
    >>> load_dataset(folder) == dataset
    True
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from labournet.errors import Problem, SanctionsListError
from labournet.io.folder import check_target_folder, load_dataset, write_whole
from labournet.io.unlist import UN_LIST_URL, Alias, Designation, UnList, read_un_list
from labournet.model.dataset import LIST_SEPARATOR, Dataset, Entity, Relation, Source
from labournet.model.schema import Schema, load_schema

__all__ = [
    "designations_to_dataset",
    "dataset_to_designations",
    "import_un_list",
    "include_designations",
    "include_un_list",
    "load_designations",
    "party_id",
    "listing_id",
    "SOURCE_ID",
    "ACTOR_ID",
    "LISTED_PARTY",
]

SOURCE_ID = "un-sc-consolidated"
ACTOR_ID = "unsc"
ACTOR_NAME = "United Nations Security Council"
LISTED_PARTY = "listed-party"
"""The role of a listed party."""
TITLE = "Consolidated United Nations Security Council Sanctions List"
INSTRUMENT = "UN Security Council designation"
KINDS = {"entity": "organisation", "individual": "person"}
"""The labournet kind of each kind of designation."""
DESIGNATED: dict[str, Literal["entity", "individual"]] = {
    "organisation": "entity",
    "person": "individual",
}
"""The kind of designation of each labournet kind that can be designated."""


def party_id(reference: str) -> str:
    """The id of the party a UN reference number designates.

    >>> party_id("KPe.050 "), listing_id("KPi.001")
    ('un-kpe-050', 'un-listing-kpi-001')
    """
    return f"un-{_slug(reference)}"


def listing_id(reference: str) -> str:
    """The id of the listing (a measure) of a UN reference number."""
    return f"un-listing-{_slug(reference)}"


def designations_to_dataset(
    un_list: UnList, name: str = "un-sanctions-list", *, schema: Schema | None = None
) -> Dataset:
    """The dataset of a UN list's designations (see the module's docstring for its shape).

    The source's date is the list's generation date; a list that does not give one is dated
    by its latest listing, a lower bound that the source's note states. Two references that
    give the same id (``KPe.1`` and ``KPE-1``), or a list with no date at all, are a
    `SanctionsListError`.
    """
    _check_ids(un_list)
    actor = Entity(
        ACTOR_ID, "organisation", ACTOR_NAME, sources=(SOURCE_ID,), properties={"role": "actor"}
    )
    entities = [actor]
    relations: list[Relation] = []
    for designation in un_list.designations:
        entities += [_party(designation), _listing(designation)]
        relations += _relations(designation)
    return Dataset(
        name=name,
        entities=tuple(entities),
        relations=tuple(relations),
        figures=(),
        sources=(_source(un_list),),
        assumptions=(),
        schema=schema or load_schema(),
    )


def import_un_list(
    path: str | Path, folder: str | Path, *, regime: str | None = None, force: bool = False
) -> UnList:
    """Read a UN list (`read_un_list`) and write its designations as a dataset folder.

    The folder is built beside `folder`, checked by `load_dataset`, and only then put in its
    place (`labournet.io.folder.write_whole`), so an error leaves nothing half-written. A
    `folder` that holds anything is left alone (an `ExportError`) unless `force` is true, when
    what it holds is replaced whole. Returns what was read, for its counts.
    """
    out = Path(folder).absolute()
    check_target_folder(out, force)
    un_list = read_un_list(path, regime=regime)
    write_whole(designations_to_dataset(un_list, name=out.name), out)
    return un_list


def include_un_list(
    path: str | Path,
    dataset: Dataset,
    folder: str | Path,
    *,
    regime: str | None = None,
    force: bool = False,
) -> tuple[UnList, tuple[str, ...]]:
    """Read a UN list and write `dataset` to `folder` with the listings of its own parties
    added (`include_designations`), as `import_un_list` writes; returns the list and the
    references added."""
    out = Path(folder).absolute()
    check_target_folder(out, force)
    un_list = read_un_list(path, regime=regime)
    included, added = include_designations(dataset, un_list)
    write_whole(included, out)
    return un_list, added


def include_designations(dataset: Dataset, un_list: UnList) -> tuple[Dataset, tuple[str, ...]]:
    """`dataset` with the UN listings of its own organisations and persons added, and the
    references added.

    A party is one of the dataset's entities whose ``un_reference`` property is a reference on
    the list: only an exact reference counts, never a similar name (`labournet match` finds
    candidates; set ``un_reference`` on the ones you have checked). For each, the listing
    measure (``un-listing-kpe-050``), the Security Council's ``takes_measure`` and the
    ``targets`` relation to the dataset's own entity are added, with the list as their source
    and the ``unsc`` actor where the dataset lacks them; a listing the dataset already holds
    (a measure with that ``reference``, or that id) is left as it is.

    >>> import labournet
    >>> from labournet.io.unlist import read_un_list
    >>> un_list = read_un_list("tests/sanctions/fixtures/small.xml", regime="DPRK")
    >>> mini = labournet.load_dataset("tests/fixtures/mini")
    >>> tagged = dataclasses.replace(mini, entities=tuple(
    ...     dataclasses.replace(e, properties={**e.properties, "un_reference": "KPe.901"})
    ...     if e.kind == "organisation" else e for e in mini.entities))
    >>> with_listings, added = include_designations(tagged, un_list)
    >>> added, with_listings.relation("un-targets-kpe-901").target in {e.id for e in mini.entities}
    (('KPe.901',), True)
    """
    by_reference = {d.reference: d for d in un_list.designations}
    held = {e.properties.get("reference") for e in dataset.entities if e.kind == "measure"} | {
        e.id for e in dataset.entities
    }
    entities, relations, added = list(dataset.entities), list(dataset.relations), []
    for entity in dataset.entities:
        designation = by_reference.get(entity.properties.get("un_reference", ""))
        if designation is None or entity.kind not in KINDS.values():
            continue
        reference = designation.reference
        if reference in held or listing_id(reference) in held:
            continue
        takes, targets = _relations(designation)
        entities.append(_listing(designation))
        relations += [takes, dataclasses.replace(targets, target=entity.id)]
        held.add(reference)
        added.append(reference)
    if not added:
        return dataset, ()
    ids = {e.id for e in entities}
    if ACTOR_ID not in ids:
        actor = Entity(ACTOR_ID, "organisation", ACTOR_NAME, sources=(SOURCE_ID,),
                       properties={"role": "actor"})  # fmt: skip
        entities.append(actor)
    sources = list(dataset.sources)
    if SOURCE_ID not in {s.id for s in sources}:
        sources.append(_source(un_list))
    return (
        dataclasses.replace(
            dataset, entities=tuple(entities), relations=tuple(relations), sources=tuple(sources)
        ),
        tuple(added),
    )


def dataset_to_designations(dataset: Dataset) -> UnList:
    """The designations a dataset holds: each organisation or person with a ``un_reference``,
    its aliases, countries and addresses, and the date, regime and narrative of the measure
    whose ``reference`` is the same (its listing). The list's date is that of the dataset's
    UN list source, if it has one.

    >>> from labournet.io.unlist import read_un_list
    >>> un_list = read_un_list("tests/sanctions/fixtures/small.xml")
    >>> back = dataset_to_designations(designations_to_dataset(un_list))
    >>> back.designation("KPe.901").alias_names == un_list.designation("KPe.901").alias_names
    True
    """
    listings = {
        entity.properties["reference"].casefold(): entity
        for entity in dataset.entities
        if entity.kind == "measure" and entity.properties.get("reference")
    }
    designations = []
    for entity in dataset.entities:
        reference = entity.properties.get("un_reference", "")
        kind = DESIGNATED.get(entity.kind)
        if not reference or kind is None:
            continue
        listing = listings.get(reference.casefold())
        about = listing.properties if listing is not None else {}
        designations.append(
            Designation(
                reference=reference,
                kind=kind,
                name=entity.name,
                regime=about.get("regime", ""),
                aliases=tuple(Alias(name) for name in _split(entity, "aliases")),
                listed_on=about.get("date") or None,
                narrative=listing.description if listing is not None else "",
                addresses=_split(entity, "addresses"),
                countries=_split(entity, "countries"),
            )
        )
    source = next((s for s in dataset.sources if s.id == SOURCE_ID), None)
    return UnList(
        generated=source.date if source is not None else None,
        designations=tuple(designations),
        path=str(dataset.path or dataset.name),
        regimes=tuple(sorted({d.regime for d in designations if d.regime}, key=str.casefold)),
    )


def load_designations(path: str | Path, regime: str | None = None) -> UnList:
    """The designations of a UN list XML file (`read_un_list`) or of a dataset folder that
    holds them (`dataset_to_designations`, after `load_dataset` has checked it), of one
    regime or all. A folder that holds none is a `SanctionsListError`."""
    source = Path(path)
    if not source.is_dir():
        return read_un_list(source, regime=regime)
    held = dataset_to_designations(load_dataset(source))
    if not held.designations:
        reason = (
            "holds no designations (no organisation or person has a un_reference): give a UN "
            "list XML file, or a folder that labournet import un-list wrote"
        )
        raise SanctionsListError([Problem(str(source), None, "un_reference", reason)])
    return held.select(regime)


# ---- the records ---------------------------------------------------------------------------


def _source(un_list: UnList) -> Source:
    listed = [d.listed_on for d in un_list.designations if d.listed_on]
    date = un_list.generated or max(listed, default="")
    if not date:
        reason = "the list has no dateGenerated and no LISTED_ON, so its source cannot be dated"
        raise SanctionsListError([Problem(un_list.path, None, "dateGenerated", reason)])
    which = f"regime {un_list.regime}" if un_list.regime else "all regimes"
    note = f"Imported by labournet from {Path(un_list.path).name} ({which})."
    if not un_list.generated:
        note += " The file gives no generation date: the date is its latest listing date."
    return Source(SOURCE_ID, ACTOR_NAME, TITLE, date, UN_LIST_URL, note)


def _party(designation: Designation) -> Entity:
    reference = designation.reference
    properties = {
        "role": LISTED_PARTY,
        "aliases": _joined(designation.alias_names),
        "un_reference": reference,
        "countries": _joined(designation.countries),
        "addresses": _joined(designation.addresses),
    }
    regime = f" ({designation.regime})" if designation.regime else ""
    day = f" on {designation.listed_on}" if designation.listed_on else ""
    return Entity(
        id=party_id(reference),
        kind=KINDS[designation.kind],
        name=designation.name,
        description=f"Listed by the UN Security Council{regime}{day} as {reference}",
        sources=(SOURCE_ID,),
        properties=_filled(properties),
    )


def _listing(designation: Designation) -> Entity:
    reference = designation.reference
    properties = {
        "date": designation.listed_on or "",
        "instrument": INSTRUMENT,
        "reference": reference,
        "regime": designation.regime,
    }
    return Entity(
        id=listing_id(reference),
        kind="measure",
        name=f"UN listing of {designation.name} ({reference})",
        description=designation.narrative,
        sources=(SOURCE_ID,),
        properties=_filled(properties),
    )


def _relations(designation: Designation) -> list[Relation]:
    reference, name, slug = designation.reference, designation.name, _slug(designation.reference)
    under = f" under its {designation.regime} sanctions regime" if designation.regime else ""
    day = f" on {designation.listed_on}" if designation.listed_on else ""
    takes = Relation(
        id=f"un-takes-{slug}",
        kind="takes_measure",
        source=ACTOR_ID,
        target=listing_id(reference),
        claim=f"The UN Security Council designated {name} ({reference}){under}{day}.",
        sources=(SOURCE_ID,),
        properties=_filled({"date": designation.listed_on or ""}),
    )
    targets = Relation(
        id=f"un-targets-{slug}",
        kind="targets",
        source=listing_id(reference),
        target=party_id(reference),
        claim=f"The UN listing {reference} names {name} as a designated party.",
        sources=(SOURCE_ID,),
    )
    return [takes, targets]


def _split(entity: Entity, name: str) -> tuple[str, ...]:
    value = entity.properties.get(name, "")
    return tuple(part.strip() for part in value.split(LIST_SEPARATOR) if part.strip())


def _joined(items: Iterable[str]) -> str:
    """Items as one list field; a ``;`` inside an item becomes ``,``, so it stays one item."""
    return LIST_SEPARATOR.join(item.replace(LIST_SEPARATOR, ",") for item in items)


def _filled(properties: dict[str, str]) -> dict[str, str]:
    """The properties that have a value (an empty one is no property, as a folder reads it)."""
    return {key: value for key, value in properties.items() if value}


def _slug(reference: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", reference.strip().casefold()).strip("-")


def _check_ids(un_list: UnList) -> None:
    """Each reference makes an id of its own."""
    first: dict[str, Designation] = {}
    problems = []
    for designation in un_list.designations:
        reference, key = designation.reference, party_id(designation.reference)
        held = first.setdefault(key, designation)
        if not _slug(reference):
            reason = f"'{reference}' has no letter or digit to make an id of"
        elif held is not designation:
            reason = f"'{reference}' makes the id '{key}', as '{held.reference}' does"
        else:
            continue
        problems.append(Problem(un_list.path, designation.line, "REFERENCE_NUMBER", reason))
    if problems:
        raise SanctionsListError(problems)
