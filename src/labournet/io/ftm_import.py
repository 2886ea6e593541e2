"""FollowTheMoney JSON lines as a labournet dataset: `read_ftm` maps, `import_ftm` writes.

Each line is checked by the followthemoney model (its schema exists, its values are valid for
their types, required properties are there); a line that is not JSON, or not a valid entity,
is a `GraphFormatError` problem ``FILE:LINE: FIELD: reason``, and nothing is written.

An entity labournet wrote (`labournet.io.ftm`: its structured ``labournet:`` note) comes back
as the record it was, with its figures. Any other entity, from OpenSanctions, Aleph or
elsewhere, is mapped by its schema where labournet has a kind for it:

===============================  ==========================================================
FtM schema                       labournet
===============================  ==========================================================
``Person``                       person: name, aliases (other names, alias, weakAlias,
                                 previousName), countries (country, nationality, citizenship
                                 as names), addresses (address), description
``LegalEntity``, ``Organization``,  organisation (the same properties)
``Company``, ``PublicBody``
``Territory``                    country: name, iso_code (country, else territoryCode)
``Sanction``                     a measure (name from program and target, description from
                                 reason or summary, date from listingDate or date, valid_from
                                 and valid_until from startDate and endDate, instrument from
                                 provisions, reference from unscId, programId or
                                 authorityId, regime from program) that ``targets`` its
                                 entity; each authority becomes an organisation
                                 (``authority-<name>``, role actor) that takes it
``Employment``, ``Membership``   affiliated_with (a person and an organisation), role
``Directorship``                 leads (a person and an organisation)
``UnknownLink`` whose role is a  that relation, where its ends fit the kind (flows, i.e.
labournet relation kind          sends_workers and remits_to, excepted: see below)
===============================  ==========================================================

What is not mapped is counted, never dropped silently (`FtmImport.skipped`): entities of
other schemata (``Vessel``, ``BankAccount``, ``Ownership``, ``Payment`` ...), links whose
ends were not mapped, and the properties of mapped entities that labournet has no field for
(`FtmImport.unread`). ``Payment`` and flow links from elsewhere are not mapped: labournet's
flows are yearly estimates towards a regime, which a file from elsewhere does not name. The
file itself is the source of every fact mapped from elsewhere (``ftm-<file name>``), dated by
the latest ``last_change``, ``modifiedAt`` or ``retrievedAt`` it gives, else the file's own
modification day; FtM ``publisher`` values are its publisher.

Example:
    >>> import labournet, tempfile
    >>> from labournet.io.ftm import export_ftm
    >>> dataset = labournet.load_dataset()
    >>> path = export_ftm(dataset, tempfile.mkdtemp() + "/network.ftm.json")
    >>> read_ftm(path).dataset == dataset
    True
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from labournet.errors import GraphFormatError, Problem, did_you_mean
from labournet.io.folder import write_whole
from labournet.io.ftm import NOTE_PREFIX, NOTE_VERSION, ftm_model
from labournet.io.validation import check_rows
from labournet.model.dataset import Assumption, Dataset, Entity, Figure, Record, Relation, Source
from labournet.model.schema import Schema, load_schema

__all__ = ["read_ftm", "import_ftm", "FtmImport"]

PARTY_SCHEMATA = {"Person": "person", "LegalEntity": "organisation", "Territory": "country"}
"""The labournet kind of each FtM schema (and of the schemata that extend it)."""
LINK_KINDS = {
    "Employment": ("affiliated_with", "employee", "employer"),
    "Membership": ("affiliated_with", "member", "organization"),
    "Directorship": ("leads", "director", "organization"),
}
FLOWS = {"sends_workers", "remits_to"}
REASONS = {
    "Payment": "one transaction, not the yearly flow towards a regime that remits_to is",
    "Ownership": "labournet has no ownership relation (a dataset's schema.yaml can add one)",
}
"""Why some schemata that look close are not imported."""
_NAMES = ("alias", "weakAlias", "previousName")
_COUNTRIES = ("country", "nationality", "citizenship")
_READ = {
    "name", "description", "address", *_NAMES, *_COUNTRIES, "territoryCode",
    "publisher", "modifiedAt", "retrievedAt",
}  # fmt: skip
"""The properties a party from elsewhere is read from."""


@dataclass
class FtmImport:
    """What `read_ftm` made of a file: the dataset, and what it counted on the way."""

    dataset: Dataset
    mapped: Counter[tuple[str, str]] = field(default_factory=Counter)
    """(FtM schema, what it became) -> how many entities."""
    skipped: Counter[tuple[str, str]] = field(default_factory=Counter)
    """(FtM schema, why it was not imported) -> how many entities."""
    unread: Counter[tuple[str, str]] = field(default_factory=Counter)
    """(FtM schema.property, why) -> how many values of mapped entities were not carried."""

    def rows(self) -> list[tuple[str, str, int]]:
        """(schema, became or not imported: reason, count), mapped first, for a table."""
        mapped = [(s, f"-> {what}", n) for (s, what), n in sorted(self.mapped.items())]
        skipped = [(s, f"not imported: {why}", n) for (s, why), n in sorted(self.skipped.items())]
        unread = [(s, f"not carried: {why}", n) for (s, why), n in sorted(self.unread.items())]
        return mapped + skipped + unread


def import_ftm(path: str | Path, folder: str | Path, *, force: bool = False) -> FtmImport:
    """Read an FtM JSON lines file (`read_ftm`) and write its dataset as a folder, checked by
    `load_dataset` and put in place whole or not at all (a folder that holds anything only
    with `force`)."""
    from labournet.io.folder import check_target_folder

    out = Path(folder).absolute()
    check_target_folder(out, force)
    result = read_ftm(path, name=out.name)
    write_whole(result.dataset, out)
    return result


def read_ftm(
    path: str | Path, *, name: str | None = None, schema: Schema | None = None
) -> FtmImport:
    """The dataset of an FtM JSON lines file, with the counts of what mapped and what did not
    (see the module's docstring). ``-`` reads standard input."""
    lines = _read_lines(path)
    where = "<stdin>" if str(path) == "-" else str(path)
    entities = _parse(lines, where)
    mapper = _Mapper(where, schema or load_schema(), entities)
    stem = Path(where).name.split(".")[0] or "ftm"
    return mapper.run(name or stem, _file_date(path, entities))


# ---- reading lines -------------------------------------------------------------------------


def _read_lines(path: str | Path) -> list[str]:
    import sys

    if str(path) == "-":
        return sys.stdin.read().splitlines()
    try:
        return Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise GraphFormatError(
            [Problem(str(path), None, "file", f"cannot read: {reason}")]
        ) from error


@dataclass
class _Line:
    line: int
    data: dict[str, Any]
    proxy: Any


def _parse(lines: list[str], where: str) -> list[_Line]:
    """Each non-blank line as an FtM entity the model accepts; every problem at once."""
    from followthemoney.exc import InvalidData

    model = ftm_model()
    found, problems = [], []
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            problems.append(
                Problem(
                    where, number, "json", f"not valid JSON: {error.msg} at column {error.colno}"
                )
            )
            continue
        reason = _shape_problem(data, model)
        if reason is not None:
            problems.append(Problem(where, number, reason[0], reason[1]))
            continue
        schema = model.get(data["schema"])
        try:
            schema.validate(data)
        except InvalidData as error:
            errors = (error.errors or {}).get("properties", {})
            for prop, message in sorted(errors.items()):
                problems.append(Problem(where, number, prop, str(message)))
            if not errors:
                problems.append(Problem(where, number, "properties", str(error)))
            continue
        missing = [p for p in sorted(schema.required) if not data.get("properties", {}).get(p)]
        if missing:
            problems += [Problem(where, number, p, f"required by {schema.name}") for p in missing]
            continue
        found.append(_Line(number, data, model.get_proxy(data, cleaned=False)))
    seen: dict[str, int] = {}
    for item in found:
        first = seen.setdefault(item.proxy.id, item.line)
        if first != item.line:
            problems.append(
                Problem(where, item.line, "id", f"'{item.proxy.id}' is also on line {first}")
            )
    if problems:
        raise GraphFormatError(
            problems, f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {where}"
        )
    return found


def _shape_problem(data: Any, model: Any) -> tuple[str, str] | None:
    if not isinstance(data, dict):
        return "json", f"an FtM entity is a JSON object, not {type(data).__name__}"
    if not isinstance(data.get("id"), str) or not data["id"]:
        return "id", "missing: every FtM entity has an id"
    if not isinstance(data.get("schema"), str):
        return "schema", "missing: every FtM entity has a schema"
    schema = model.get(data["schema"])
    if schema is None:
        hint = did_you_mean(data["schema"], [s.name for s in model.schemata.values()])
        return "schema", f"unknown FtM schema '{data['schema']}'{hint}"
    if schema.abstract:
        return "schema", f"'{schema.name}' is abstract: no entity has it"
    properties = data.get("properties", {})
    if not isinstance(properties, dict):
        return "properties", "must be an object of lists of strings"
    for prop, values in properties.items():
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            return str(prop), "must be a list of strings"
    return None


def _file_date(path: str | Path, lines: list[_Line]) -> str:
    """The latest change the file records, else the day it was last modified (today for
    standard input)."""
    dates = [
        str(item.data[key])[:10]
        for item in lines
        for key in ("last_change", "last_seen")
        if item.data.get(key)
    ]
    for item in lines:
        for prop in ("modifiedAt", "retrievedAt"):
            dates += [value[:10] for value in item.proxy.get(prop, quiet=True)]
    dates = [d for d in dates if re.fullmatch(r"\d{4}(-\d{2}){0,2}", d)]
    if dates:
        return max(dates)
    if str(path) == "-":
        return dt.date.today().isoformat()
    return dt.datetime.fromtimestamp(Path(path).stat().st_mtime, dt.UTC).date().isoformat()


# ---- mapping -------------------------------------------------------------------------------


def _note(item: _Line) -> dict[str, Any] | None:
    """The structured note of an entity labournet wrote, if it has one."""
    for prop in ("notes", "summary"):
        for value in item.proxy.get(prop, quiet=True):
            if value.startswith(NOTE_PREFIX):
                data = json.loads(value.removeprefix(NOTE_PREFIX))
                if isinstance(data, dict) and data.get("v") == NOTE_VERSION:
                    return data
    return None


class _Mapper:
    """Maps parsed FtM entities to labournet records, counting what it does not map."""

    def __init__(self, where: str, schema: Schema, lines: list[_Line]) -> None:
        self.where, self.schema, self.lines = where, schema, lines
        self.sources: list[Source] = []
        self.assumptions: list[Assumption] = []
        self.entities: dict[str, Entity] = {}
        self.relations: list[Relation] = []
        self.figures: list[Figure] = []
        self.mapped: Counter[tuple[str, str]] = Counter()
        self.skipped: Counter[tuple[str, str]] = Counter()
        self.unread: Counter[tuple[str, str]] = Counter()
        self.ids: dict[str, str] = {}
        """FtM id -> labournet id of the entities mapped."""
        self.file_source = f"ftm-{_slug(Path(where).name.split('.')[0]) or 'file'}"
        self.file_cited = False
        self.publishers: list[str] = []

    def run(self, name: str, date: str) -> FtmImport:
        own = [(item, _note_or_problem(item, self.where)) for item in self.lines]
        for item, data in own:
            if data is not None:
                try:
                    self.own(item, data)
                except (KeyError, ValueError, TypeError, AttributeError) as error:
                    reason = f"its labournet note does not hold a record: {error!r}"
                    problem = Problem(self.where, item.line, "notes", reason)
                    raise GraphFormatError([problem]) from error
        foreign = [item for item, data in own if data is None]
        edges = [
            item
            for item in foreign
            if item.proxy.schema.edge or item.proxy.schema.name == "Sanction"
        ]
        for item in foreign:
            if item not in edges:
                self.party(item)
        for item in edges:
            self.edge(item)
        if self.file_cited:
            self.sources.append(self.file_record(date))
        records: dict[str, list[Record]] = {
            "sources.csv": [*self.sources],
            "assumptions.csv": [*self.assumptions],
            "entities.csv": [*self.entities.values()],
            "relations.csv": [*self.relations],
            "figures.csv": [*self.figures],
        }
        rows = {file: [item.to_row() for item in items] for file, items in records.items()}
        dataset = check_rows(name, self.schema, rows, label=self.where)
        return FtmImport(dataset, self.mapped, self.skipped, self.unread)

    # -- what labournet wrote --

    def own(self, item: _Line, data: dict[str, Any]) -> None:
        record, row = data["record"], data["row"]
        schema = item.proxy.schema.name
        if record == "stamp":
            self.mapped[(schema, "what made the export (its stamp; not a record)")] += 1
            return
        if record == "source":
            self.sources.append(Source.from_row(row))
        elif record == "assumption":
            self.assumptions.append(Assumption.from_row(row))
        elif record == "entity":
            entity = Entity.from_row(row)
            self.entities[entity.id] = entity
            self.ids[item.proxy.id] = entity.id
            record = entity.kind
        elif record == "relation":
            relation = Relation.from_row(row)
            self.relations.append(relation)
            record = relation.kind
        subject = row.get("id", "")
        for figure in data.get("figures", ()):
            self.figures.append(Figure.from_row({**figure, "subject": subject}))
        self.mapped[(schema, f"{record} (labournet's own)")] += 1

    # -- from elsewhere --

    def party(self, item: _Line) -> None:
        proxy = item.proxy
        kind = next((k for s, k in PARTY_SCHEMATA.items() if proxy.schema.is_a(s)), None)
        if kind is None:
            self.skipped[(proxy.schema.name, _no_kind(proxy.schema.name))] += 1
            return
        names = proxy.get("name")
        properties: dict[str, str] = {}
        if kind == "country":
            code = (proxy.first("country") or proxy.first("territoryCode") or "").upper()
            if code:
                properties["iso_code"] = code
        else:
            aliases = names[1:] + [n for p in _NAMES for n in proxy.get(p, quiet=True)]
            countries = [_country_name(c) for p in _COUNTRIES for c in proxy.get(p, quiet=True)]
            properties |= {
                "aliases": _joined(aliases),
                "countries": _joined(dict.fromkeys(countries)),
                "addresses": _joined(proxy.get("address", quiet=True)),
            }
        self.publishers += proxy.get("publisher", quiet=True)
        self.count_unread(proxy, _READ)
        entity = Entity(
            id=proxy.id,
            kind=kind,
            name=names[0] if names else proxy.caption,
            description=" ".join(proxy.get("description", quiet=True)),
            sources=(self.file_source,),
            properties={k: v for k, v in properties.items() if v},
        )
        self.file_cited = True
        self.entities[entity.id] = entity
        self.ids[proxy.id] = entity.id
        self.mapped[(proxy.schema.name, kind)] += 1

    def edge(self, item: _Line) -> None:
        proxy = item.proxy
        name = proxy.schema.name
        if name == "Sanction":
            self.sanction(proxy)
            return
        kind, source_prop, target_prop = LINK_KINDS.get(name, (None, "", ""))
        if name == "UnknownLink":
            kind, source_prop, target_prop = proxy.first("role"), "subject", "object"
            if kind not in self.schema.relations:
                self.skipped[(name, "its role is not a labournet relation kind")] += 1
                return
        if kind is None:
            self.skipped[(name, _no_kind(name))] += 1
            return
        if kind in FLOWS:
            self.skipped[(name, f"{kind} is a flow towards a regime the file does not name")] += 1
            return
        ends = [
            self.ids.get(proxy.first(source_prop) or ""),
            self.ids.get(proxy.first(target_prop) or ""),
        ]
        source, target = ends
        if source is None or target is None:
            self.skipped[(name, "an end is not imported")] += 1
            return
        spec = self.schema.relations[kind]
        if (
            self.entities[source].kind not in spec.source
            or self.entities[target].kind not in spec.target
        ):
            which = f"{self.entities[source].kind} -> {self.entities[target].kind}"
            self.skipped[(name, f"{kind} does not join {which}")] += 1
            return
        properties = {}
        read = {source_prop, target_prop, "description", "publisher"}
        if "role" in spec.properties and proxy.first("role") and name != "UnknownLink":
            properties["role"] = proxy.first("role")
        if "role" in properties or name == "UnknownLink":
            read.add("role")
        dates = (("date", "date"), ("startDate", "valid_from"), ("endDate", "valid_until"))
        for prop, key in dates:
            value = proxy.first(prop, quiet=True)
            if value and key in spec.dates:
                properties[key] = value[:10]
                read.add(prop)
        self.count_unread(proxy, read)
        claim = " ".join(proxy.get("description", quiet=True)) or (
            f"The FtM file records a link ({name}) between {self.entities[source].name} and "
            f"{self.entities[target].name}."
        )
        self.relations.append(
            Relation(
                proxy.id, kind, source, target, claim, (self.file_source,), properties=properties
            )
        )
        self.file_cited = True
        self.mapped[(name, kind)] += 1

    def sanction(self, proxy: Any) -> None:
        """A Sanction from elsewhere: a measure that targets its entity, taken by its
        authorities."""
        target = self.ids.get(proxy.first("entity") or "")
        if target is None:
            self.skipped[("Sanction", "its entity is not imported")] += 1
            return

        def first(*props: str) -> str:
            return next((proxy.first(p) for p in props if proxy.first(p)), "")

        program = first("program")
        target_name = self.entities[target].name
        properties = {
            "date": first("listingDate", "date")[:10],
            "valid_from": first("startDate")[:10],
            "valid_until": first("endDate")[:10],
            "instrument": first("provisions") or "sanction",
            "reference": first("unscId", "programId", "authorityId"),
            "regime": program,
        }
        measure = Entity(
            id=proxy.id,
            kind="measure",
            name=f"{program or 'Sanction'}: {target_name}",
            description=first("reason", "summary", "description"),
            sources=(self.file_source,),
            properties={k: v for k, v in properties.items() if v},
        )
        self.entities[measure.id] = measure
        cited = (self.file_source,)
        claim = f"The FtM file records a sanction on {target_name}."
        self.relations.append(
            Relation(f"{proxy.id}-targets", "targets", measure.id, target, claim, cited)
        )
        dated = {"date": properties["date"]} if properties["date"] else {}
        for authority in proxy.get("authority"):
            actor_id = f"authority-{_slug(authority)}"
            if actor_id not in self.entities:
                actor = {"role": "actor"}
                self.entities[actor_id] = Entity(
                    actor_id, "organisation", authority, sources=cited, properties=actor
                )
            claim = f"{authority} imposes the sanction on {target_name}."
            relation_id = f"{proxy.id}-taken-by-{_slug(authority)}"
            self.relations.append(
                Relation(relation_id, "takes_measure", actor_id, measure.id, claim, cited,
                         properties=dated)
            )  # fmt: skip
        self.publishers += proxy.get("publisher", quiet=True)
        self.count_unread(
            proxy,
            {
                "entity",
                "program",
                "listingDate",
                "date",
                "startDate",
                "endDate",
                "provisions",
                "unscId",
                "programId",
                "authorityId",
                "reason",
                "summary",
                "description",
                "authority",
                "publisher",
            },
        )
        self.file_cited = True
        self.mapped[("Sanction", "measure + targets")] += 1

    def count_unread(self, proxy: Any, read: Iterable[str]) -> None:
        kept = set(read)
        for prop, values in proxy.properties.items():
            if prop not in kept:
                self.unread[(f"{proxy.schema.name}.{prop}", "labournet has no field for it")] += (
                    len(values)
                )

    def file_record(self, date: str) -> Source:
        publishers = list(dict.fromkeys(self.publishers))
        return Source(
            id=self.file_source,
            publisher="; ".join(publishers) or "unknown (a FollowTheMoney file)",
            title=Path(self.where).name,
            date=date,
            note=f"Imported by labournet from {Path(self.where).name} (FollowTheMoney JSON lines).",
        )


def _note_or_problem(item: _Line, where: str) -> dict[str, Any] | None:
    try:
        return _note(item)
    except json.JSONDecodeError as error:
        problem = Problem(
            where, item.line, "notes", f"its labournet note is not valid JSON: {error.msg}"
        )
        raise GraphFormatError([problem]) from error


def _no_kind(schema: str) -> str:
    return REASONS.get(schema, f"labournet has no kind for an FtM {schema}")


def _country_name(code: str) -> str:
    from followthemoney.types import registry

    return registry.country.caption(code) or code


def _joined(items: Iterable[str]) -> str:
    return ";".join(item.replace(";", ",") for item in dict.fromkeys(items) if item)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
