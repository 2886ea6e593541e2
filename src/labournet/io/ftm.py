"""A dataset as FollowTheMoney (FtM) entities, written as JSON lines.

FtM is the entity model OpenSanctions and Aleph exchange: one JSON object per line with an
``id``, a ``schema`` and ``properties`` (lists of strings). Entities are made with the
followthemoney package's own model (`followthemoney.model.make_entity`), so every value is
cleaned and checked by its type, and only properties the schema has can be set. The package is
the optional extra ``ftm`` (``pip install 'labournet[ftm]'``); without it these functions raise
an `ExportError` that names it.

How each record becomes an FtM entity (`labournet import ftm` reads them back,
`labournet.io.ftm_import`):

================  ===========================  ===============================================
labournet         FtM schema                   FtM properties
================  ===========================  ===============================================
source            ``Article``                  title, publisher, publishedAt (date), sourceUrl,
                                               description (note)
assumption        ``Note``                     description (statement), summary (reasoning),
                                               proof (its sources)
country           ``PublicBody``               name, country and jurisdiction (iso_code): the
                                               state as an actor (FtM's ``Territory`` is
                                               reference data that cannot pay, lead or take
                                               a measure)
sector            ``Note``                     name, description: FtM has no sector entity,
                                               and an ``Organization`` would be wrong
organisation      ``Organization``             name, alias (aliases), address (addresses),
                  (``PublicBody`` for role     country (countries, and the ISO codes of the
                  government-body,             countries it is based_in)
                  ``Company`` for role
                  intermediary)
person            ``Person``                   name, alias, address, nationality (countries)
measure           ``Event``                    name, description, date, startDate (valid_from),
                                               endDate (valid_until), organizer (who takes it),
                                               program (regime), programId (reference)
event             ``Event``                    name, description, date, organizer (conducts)
targets           ``Sanction``                 entity (the target), authority (names of those
                                               who take the measure), program (regime),
                                               provisions (instrument), reason (the measure's
                                               description), listingDate (its date),
                                               startDate/endDate (the relation's valid_from and
                                               valid_until, else the measure's), unscId (a UN
                                               listing's reference, e.g. KPe.050), else
                                               programId (e.g. S/RES/2375 (2017))
remits_to         ``Payment``                  payer, beneficiary (a sector as payer:
                                               ``UnknownLink``)
affiliated_with   ``Employment``               employee, employer, role
leads             ``Directorship``             director, organization, role ``leads``
other relations   ``UnknownLink``              subject, object, role (the relation's kind:
                                               sends_workers, works_in, pressures,
                                               takes_measure, responds_to, conducts, exports_to,
                                               estimates, reports, based_in)
================  ===========================  ===============================================

Every entity and relation also carries its provenance in FtM's own properties: ``proof`` (the
``Article`` of each source), ``publisher`` and ``sourceUrl`` (of its sources), and its claim
(a relation's) as ``description``; dated relations give ``date``, ``startDate`` and
``endDate``. A figure has no FtM entity of its own (FtM has no ranged, sourced number): it is
carried on its subject, one readable line each in ``notes`` (of an entity) or ``summary``
(of a relation), ``labournet figure f-id: workers 2016: 50,000 to 100,000 persons (best
75,000) ...``.

For the round trip, each FtM entity has a stable id, ``labournet-<record>-<id>``
(``labournet-country-kp``, ``labournet-relation-r-kp-sends-cn``, ``labournet-source-s1``; an
id with characters FtM ids do not allow has them replaced by ``-`` and a hash of the id
added), and one structured note, a value of ``notes`` (``summary`` for relations) that starts
with ``labournet:`` followed by JSON (`NOTE_PREFIX`)::

    labournet:{"figures":[{...figure row...}],"record":"entity","row":{...entity row...},"v":1}

``row`` is the record's own row (`Record.to_row`, as the CSV file has it: ids, kind,
assumptions, every property) and ``figures`` the rows of the figures about it; the importer
rebuilds the record from them, so what labournet wrote comes back equal. FtM tools keep the
note as text.

Example:
    >>> import labournet
    >>> entities = dataset_to_ftm(labournet.load_dataset())
    >>> kp = next(e for e in entities if e["id"] == "labournet-country-kp")
    >>> kp["schema"], kp["properties"]["name"], kp["properties"]["country"]
    ('PublicBody', ['North Korea'], ['kp'])
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from labournet._number import format_number
from labournet.errors import ExportError
from labournet.io.stamp import Stamp, make_stamp
from labournet.model.dataset import Assumption, Dataset, Entity, Figure, Relation, Source

__all__ = [
    "dataset_to_ftm",
    "export_ftm",
    "ftm_id",
    "ftm_model",
    "NOTE_PREFIX",
    "STAMP_ID",
    "ENTITY_SCHEMATA",
    "RELATION_SCHEMATA",
]

NOTE_PREFIX = "labournet:"
"""The start of the structured note that carries what FtM cannot hold."""
NOTE_VERSION = 1
STAMP_ID = "labournet-stamp"
"""The id of the ``Note`` an export starts with: what made it (`labournet.io.stamp`)."""

ENTITY_SCHEMATA = {
    "country": "PublicBody",
    "sector": "Note",
    "organisation": "Organization",
    "person": "Person",
    "measure": "Event",
    "event": "Event",
}
"""The FtM schema of each entity kind (organisations by role: `ROLE_SCHEMATA`); a kind that a
dataset's own schema adds becomes a ``Note``."""
ROLE_SCHEMATA = {"government-body": "PublicBody", "intermediary": "Company"}
"""The FtM schema of an organisation with this role, where the role makes it clear."""
RELATION_SCHEMATA = {
    "targets": ("Sanction", "", "entity"),
    "remits_to": ("Payment", "payer", "beneficiary"),
    "affiliated_with": ("Employment", "employee", "employer"),
    "leads": ("Directorship", "director", "organization"),
}
"""FtM schema, source property and target property of each relation kind with a closer schema
than ``UnknownLink`` (subject, object; role = the kind). A Sanction's source is its measure,
which FtM cannot reference from a Sanction: the note keeps it."""
LINK = ("UnknownLink", "subject", "object")
_LEGAL = {"country", "organisation", "person"}
"""Kinds whose FtM schema is a LegalEntity (a payer or beneficiary must be one)."""
_FTM_ID = re.compile(r"^[0-9a-zA-Z]([0-9a-zA-Z.\-]*[0-9a-zA-Z])?$")


def ftm_model() -> Any:
    """The followthemoney package's model; an `ExportError` naming the extra without it."""
    try:
        from followthemoney import model
    except ImportError as error:
        raise ExportError(
            "FollowTheMoney needs the followthemoney package: pip install 'labournet[ftm]'"
        ) from error
    return model


def ftm_id(record: str, labournet_id: str) -> str:
    """The FtM id of a labournet record: ``labournet-<record>-<id>``, where FtM allows the id.

    >>> ftm_id("country", "kp"), ftm_id("relation", "r_1")
    ('labournet-country-kp', 'labournet-relation-r-1-83b3fdda5b')
    """
    if _FTM_ID.match(labournet_id):
        return f"labournet-{record}-{labournet_id}"
    slug = re.sub(r"[^0-9a-zA-Z.\-]+", "-", labournet_id).strip("-.")
    digest = hashlib.sha1(labournet_id.encode("utf-8")).hexdigest()[:10]
    return f"labournet-{record}-{slug + '-' if slug else ''}{digest}"


def dataset_to_ftm(dataset: Dataset, stamp: Stamp | None = None) -> list[dict[str, Any]]:
    """The FtM entities of a dataset as dicts (``id``, ``schema``, ``properties``), sources
    first, then assumptions, entities and relations, each in the dataset's order; with
    `stamp`, a first ``Note`` (id ``labournet-stamp``) that says what made the export."""
    writer = _Writer(dataset)
    head = [writer.stamp(stamp).to_dict()] if stamp is not None else []
    return head + [proxy.to_dict() for proxy in writer.proxies()]


def export_ftm(dataset: Dataset, path: str | Path, stamp: Stamp | None = None) -> Path | None:
    """Write the dataset's FtM entities as JSON lines (UTF-8, one entity per line) to `path`,
    or to standard output for ``-`` (then None is returned); the first line is the stamp of
    what made it (`labournet.io.stamp`; by default this call's)."""
    made = stamp or make_stamp(dataset, call="export_ftm()")
    lines = (
        json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n"
        for e in dataset_to_ftm(dataset, made)
    )
    if str(path) == "-":
        sys.stdout.writelines(lines)
        sys.stdout.flush()
        return None
    out = Path(path)
    try:
        with out.open("w", encoding="utf-8", newline="\n") as handle:
            handle.writelines(lines)
    except OSError as error:
        raise ExportError(f"cannot write {out}: {error.strerror or error}") from error
    return out


def note(record: str, row: Mapping[str, str], figures: Iterable[Figure] = ()) -> str:
    """The structured note of a record: its row and the rows of its figures, as JSON."""
    figure_rows = [_figure_row(figure) for figure in figures]
    data = {"v": NOTE_VERSION, "record": record, "row": dict(row), "figures": figure_rows}
    return NOTE_PREFIX + json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _figure_row(figure: Figure) -> dict[str, str]:
    row = figure.to_row()
    row.pop("subject")
    return row


def figure_line(figure: Figure) -> str:
    """A figure in one readable line, for FtM tools that show notes."""
    if figure.formula:
        value = f"derived: {figure.formula}"
    else:
        value = f"{format_number(figure.low)} to {format_number(figure.high)} {figure.unit}"
        if figure.best is not None:
            value += f" (best {format_number(figure.best)})"
    when = figure.date or str(figure.year)
    assumed = f"; assumed ({', '.join(figure.assumptions)})" if figure.assumptions else ""
    return (
        f"labournet figure {figure.id}: {figure.measure} {when}: {value}; {figure.claim} "
        f"[sources: {', '.join(figure.sources)}{assumed}]"
    )


class _Writer:
    """Makes the FtM proxies of one dataset."""

    def __init__(self, dataset: Dataset) -> None:
        self.model = ftm_model()
        self.dataset = dataset
        self.sources = {source.id: source for source in dataset.sources}
        self.kinds = {entity.id: entity.kind for entity in dataset.entities}
        self.by_target: dict[str, list[Relation]] = {}
        self.by_source: dict[str, list[Relation]] = {}
        for relation in dataset.relations:
            self.by_target.setdefault(relation.target, []).append(relation)
            self.by_source.setdefault(relation.source, []).append(relation)

    def proxies(self) -> Iterator[Any]:
        for source in self.dataset.sources:
            yield self.source(source)
        for assumption in self.dataset.assumptions:
            yield self.assumption(assumption)
        for entity in self.dataset.entities:
            yield self.entity(entity)
        for relation in self.dataset.relations:
            yield self.relation(relation)

    def make(self, schema: str, record: str, labournet_id: str) -> Any:
        proxy = self.model.make_entity(schema)
        proxy.id = ftm_id(record, labournet_id)
        return proxy

    def source(self, source: Source) -> Any:
        proxy = self.make("Article", "source", source.id)
        proxy.add("title", source.title)
        proxy.add("publisher", source.publisher)
        proxy.add("publishedAt", source.date)
        proxy.add("sourceUrl", source.url or None)
        proxy.add("description", source.note or None)
        proxy.add("notes", note("source", source.to_row()))
        return proxy

    def stamp(self, stamp: Stamp) -> Any:
        proxy = self.model.make_entity("Note")
        proxy.id = STAMP_ID
        proxy.add("name", "What made this export")
        proxy.add("description", stamp.line())
        data = {"v": NOTE_VERSION, "record": "stamp", "row": stamp.to_dict()}
        proxy.add("notes", NOTE_PREFIX + json.dumps(data, ensure_ascii=False, sort_keys=True))
        return proxy

    def assumption(self, assumption: Assumption) -> Any:
        proxy = self.make("Note", "assumption", assumption.id)
        proxy.add("name", f"Assumption {assumption.id}")
        proxy.add("description", assumption.statement)
        proxy.add("summary", assumption.reasoning)
        self.provenance(proxy, assumption.sources)
        proxy.add("notes", note("assumption", assumption.to_row()))
        return proxy

    def entity(self, entity: Entity) -> Any:
        schema = ENTITY_SCHEMATA.get(entity.kind, "Note")
        if entity.kind == "organisation":
            schema = ROLE_SCHEMATA.get(entity.properties.get("role", ""), schema)
        proxy = self.make(schema, entity.kind, entity.id)
        props = entity.properties
        proxy.add("name", entity.name)
        proxy.add("description", entity.description or None)
        if entity.kind == "country":
            proxy.add("country", props.get("iso_code") or None)
            proxy.add("jurisdiction", props.get("iso_code") or None)
        if schema in ("Organization", "PublicBody", "Company", "Person"):
            proxy.add("alias", _split(props.get("aliases")))
            proxy.add("address", _split(props.get("addresses")))
            countries = "nationality" if schema == "Person" else "country"
            proxy.add(countries, _split(props.get("countries")), fuzzy=True)
            proxy.add(countries, self.based_in(entity.id))
        if schema == "Event":
            self.dates(proxy, props)
            proxy.add("program", props.get("regime") or None)
            proxy.add("programId", props.get("reference") or None)
            actors = ("takes_measure", "conducts")
            proxy.add(
                "organizer",
                [
                    self.end_id(r.source)
                    for r in self.by_target.get(entity.id, ())
                    if r.kind in actors
                ],
            )
        self.provenance(proxy, entity.sources)
        figures = self.dataset.figures_for(entity.id)
        proxy.add("notes", [figure_line(figure) for figure in figures])
        proxy.add("notes", note("entity", entity.to_row(), figures))
        return proxy

    def relation(self, relation: Relation) -> Any:
        schema, source_prop, target_prop = RELATION_SCHEMATA.get(relation.kind, LINK)
        if (
            schema == "Payment"
            and not {self.kinds[relation.source], self.kinds[relation.target]} <= _LEGAL
        ):
            schema, source_prop, target_prop = LINK
        proxy = self.make(schema, "relation", relation.id)
        if source_prop:
            proxy.add(source_prop, self.end_id(relation.source))
        proxy.add(target_prop, self.end_id(relation.target))
        if schema in ("UnknownLink",):
            proxy.add("role", relation.kind)
        elif schema == "Employment":
            proxy.add("role", relation.properties.get("role") or "affiliated_with")
        elif schema == "Directorship":
            proxy.add("role", "leads")
        proxy.add("description", relation.claim)
        if schema == "Sanction":
            self.sanction(proxy, relation)
        else:
            self.dates(proxy, relation.properties)
        self.provenance(proxy, relation.sources)
        figures = self.dataset.figures_for(relation.id)
        proxy.add("summary", [figure_line(figure) for figure in figures])
        proxy.add("summary", note("relation", relation.to_row(), figures))
        return proxy

    def sanction(self, proxy: Any, relation: Relation) -> None:
        """A ``targets`` relation as the Sanction of its measure on its target."""
        measure = self.dataset.entity(relation.source)
        about, own = measure.properties, relation.properties
        takers = [r.source for r in self.by_target.get(measure.id, ()) if r.kind == "takes_measure"]
        proxy.add("authority", [self.dataset.entity(taker).name for taker in takers])
        proxy.add("program", about.get("regime") or None)
        proxy.add("provisions", about.get("instrument") or None)
        proxy.add("reason", measure.description or measure.name)
        proxy.add("listingDate", about.get("date") or None)
        proxy.add(
            "startDate",
            own.get("valid_from") or about.get("valid_from") or about.get("date") or None,
        )
        proxy.add("endDate", own.get("valid_until") or about.get("valid_until") or None)
        reference = about.get("reference", "")
        if re.fullmatch(r"[A-Z]{2}[ei]\.\d+", reference):
            proxy.add("unscId", reference)
        else:
            proxy.add("programId", reference or None)

    def dates(self, proxy: Any, properties: Mapping[str, str]) -> None:
        proxy.add("date", properties.get("date") or None)
        proxy.add("startDate", properties.get("valid_from") or None)
        proxy.add("endDate", properties.get("valid_until") or None)

    def provenance(self, proxy: Any, source_ids: Iterable[str]) -> None:
        """The sources of a record as FtM's proof, publisher and sourceUrl."""
        for source_id in source_ids:
            proxy.add("proof", ftm_id("source", source_id))
            source = self.sources.get(source_id)
            if source is not None:
                proxy.add("publisher", source.publisher)
                proxy.add("sourceUrl", source.url or None)

    def end_id(self, entity_id: str) -> str:
        return ftm_id(self.kinds[entity_id], entity_id)

    def based_in(self, entity_id: str) -> list[str]:
        """The ISO codes of the countries an organisation is based in."""
        codes = []
        for relation in self.by_source.get(entity_id, ()):
            if relation.kind == "based_in":
                code = self.dataset.entity(relation.target).properties.get("iso_code")
                if code:
                    codes.append(code)
        return codes


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(";") if part.strip()]
