"""The UN Security Council Consolidated List (XML): read its designations, safely.

The list (``https://scsanctions.un.org/resources/xml/en/consolidated.xml``) holds every UN
sanctions regime: ``CONSOLIDATED_LIST`` with ``INDIVIDUALS/INDIVIDUAL`` and
``ENTITIES/ENTITY`` records, each with a ``REFERENCE_NUMBER`` (``KPe.050``), its name in
``FIRST_NAME`` .. ``FOURTH_NAME``, its regime (``UN_LIST_TYPE``), ``LISTED_ON``, a narrative
(``COMMENTS1``), aliases (``ENTITY_ALIAS`` / ``INDIVIDUAL_ALIAS``), addresses and, for
individuals, nationalities. `read_un_list` turns them into frozen `Designation` records.

Vintages of the list differ, so the reader depends on no one file's quirks: every value is
stripped and its inner whitespace collapsed, empty elements count as absent, optional fields
may be missing, children come in any order, a namespace on the tags is ignored, and a list
without ``dateGenerated`` has an unknown date. What it cannot read is a `SanctionsListError`
whose problems are located as ``FILE:LINE: ELEMENT: reason``.

Why defusedxml: the file comes from outside, and XML can make a parser expand entities
without bound ("billion laughs") or read other files and URLs (external entities). The UN
list never has a DTD, so the safe rule is the simple one: a document type declaration is
refused outright, with its line. defusedxml does exactly that over the standard library's
expat parser (``forbid_dtd``, ``forbid_entities``, ``forbid_external``), is pure Python and
small, and expat gives the line of every element as it streams, so one designation at a time is
held in memory, not the whole tree. lxml would also do (``resolve_entities=False``,
``no_network=True``) but parses the DTD it should refuse, and is a large compiled dependency
for this one reader.

Example:
    >>> import pathlib, tempfile
    >>> xml = '''<CONSOLIDATED_LIST dateGenerated="2024-01-02T03:04:05Z"><ENTITIES><ENTITY>
    ...   <FIRST_NAME> EXAMPLE TRADING CO </FIRST_NAME><UN_LIST_TYPE>DPRK</UN_LIST_TYPE>
    ...   <REFERENCE_NUMBER>KPe.999 </REFERENCE_NUMBER><LISTED_ON>2020-01-01</LISTED_ON>
    ... </ENTITY></ENTITIES></CONSOLIDATED_LIST>'''
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "list.xml"
    >>> _ = path.write_text(xml, encoding="utf-8")
    >>> un_list = read_un_list(path, regime="dprk")
    >>> un_list.generated, un_list.summary
    ('2024-01-02', '1 entity, 0 individuals, regime DPRK, list generated 2024-01-02')
    >>> designation = un_list.designations[0]
    >>> designation.reference, designation.name, designation.listed_on
    ('KPe.999', 'EXAMPLE TRADING CO', '2020-01-01')
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import xml.parsers.expat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError

from labournet._text import plural
from labournet.errors import Problem, SanctionsListError
from labournet.names import did_you_mean

__all__ = [
    "Alias",
    "Designation",
    "UnList",
    "read_un_list",
    "parse_list_date",
    "MAX_LIST_BYTES",
    "UN_LIST_URL",
]

MAX_LIST_BYTES = 200_000_000
"""The largest list file read (the whole UN list is about 2 MB)."""
UN_LIST_URL = "https://scsanctions.un.org/resources/xml/en/consolidated.xml"
"""Where the UN publishes the list."""

ROOT = "CONSOLIDATED_LIST"
KINDS: dict[str, Literal["entity", "individual"]] = {"ENTITY": "entity", "INDIVIDUAL": "individual"}
NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
ADDRESS_PARTS = ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY")
"""The parts of an address, in the order a one-line address shows them (its NOTE is left out:
it is narrative)."""
ORIGINAL_SCRIPT = "original script"
"""The quality given to ``NAME_ORIGINAL_SCRIPT``, which is kept as an alias."""

_DATE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"  # the day
    r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"  # a time of day
    r"(?:Z|[+-]\d{2}:?\d{2})?$"  # a UTC offset, as xs:date and xs:dateTime allow
)
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Alias:
    """Another name of a listed party, with the list's quality for it: ``good`` or ``low``
    (individuals; the UN deems a low-quality alias too weak to identify someone alone),
    ``a.k.a.`` or ``f.k.a.`` (entities), ``original script`` (the name as written in its own
    script), or ``""`` when the list gives none."""

    name: str
    quality: str = ""


@dataclass(frozen=True)
class Designation:
    """One listed party: an entity or an individual, as the list records it.

    ``listed_on`` is an ISO date (``YYYY-MM-DD``) or None; ``narrative`` is the list's
    ``COMMENTS1`` text; ``countries`` are the nationalities and address countries, each once;
    ``line`` is where the record starts in the file.
    """

    reference: str
    kind: Literal["entity", "individual"]
    name: str
    regime: str
    aliases: tuple[Alias, ...] = ()
    listed_on: str | None = None
    narrative: str = ""
    addresses: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    line: int | None = field(default=None, compare=False)

    @property
    def alias_names(self) -> tuple[str, ...]:
        """The aliases' names, in the list's order."""
        return tuple(alias.name for alias in self.aliases)


@dataclass(frozen=True)
class UnList:
    """The designations read from one list file.

    ``generated`` is the list's generation date (ISO) or None when the file does not say;
    ``regime`` the regime the designations were selected by (spelled as the list spells it),
    None for all of them; ``regimes`` every regime the file holds.
    """

    generated: str | None
    designations: tuple[Designation, ...]
    path: str = ""
    regime: str | None = None
    regimes: tuple[str, ...] = ()

    @property
    def entities(self) -> tuple[Designation, ...]:
        """The listed entities (organisations, companies, vessels' owners ...)."""
        return tuple(d for d in self.designations if d.kind == "entity")

    @property
    def individuals(self) -> tuple[Designation, ...]:
        """The listed individuals."""
        return tuple(d for d in self.designations if d.kind == "individual")

    def designation(self, reference: str) -> Designation:
        """The designation with this reference (spaces around it ignored); `KeyError` if none."""
        wanted = reference.strip().casefold()
        for designation in self.designations:
            if designation.reference.casefold() == wanted:
                return designation
        raise KeyError(reference)

    def select(self, regime: str | None) -> UnList:
        """The designations of one regime (``UN_LIST_TYPE``, ignoring case); None keeps all.

        A regime the list does not hold is a `SanctionsListError` that names those it holds.
        """
        if regime is None:
            return self
        asked = regime.strip()
        spelled = {r.casefold(): r for r in self.regimes or {d.regime for d in self.designations}}
        if asked.casefold() not in spelled:
            held = ", ".join(sorted(spelled.values(), key=str.casefold)) or "none"
            hint = did_you_mean(asked, spelled.values())
            reason = f"no designations of regime '{asked}'{hint}; the list has: {held}"
            raise SanctionsListError(
                [Problem(self.path, None, "regime", reason)], f"unknown regime '{asked}'"
            )
        chosen = spelled[asked.casefold()]
        kept = tuple(d for d in self.designations if d.regime.casefold() == asked.casefold())
        return dataclasses.replace(self, designations=kept, regime=chosen)

    @property
    def summary(self) -> str:
        """``75 entities, 80 individuals, regime DPRK, list generated 2025-04-19``."""
        held = sorted({d.regime for d in self.designations if d.regime})
        if self.regime is not None or len(held) == 1:
            which = f"regime {self.regime or held[0]}"
        else:
            which = f"all {plural(len(held), 'regime')}"
        date = f"list generated {self.generated}" if self.generated else "list date unknown"
        entities = plural(len(self.entities), "entity")
        return f"{entities}, {plural(len(self.individuals), 'individual')}, {which}, {date}"


def read_un_list(path: str | Path, regime: str | None = None) -> UnList:
    """Read the UN Security Council Consolidated List from an XML file.

    `regime` selects the designations of one regime (``UN_LIST_TYPE``, ignoring case, e.g.
    ``DPRK``); records of other regimes are skipped unchecked. A `SanctionsListError` lists
    every problem found, each as ``FILE:LINE: ELEMENT: reason``: a missing or oversized file,
    malformed XML (with the parser's line and column), a DTD or entity declaration (refused), a
    root other than ``CONSOLIDATED_LIST``, a record without reference number or name, a
    ``LISTED_ON`` that is not a date, a control character in a record, a reference given
    twice, or a regime the list lacks (the message names those it has).
    """
    file = Path(path)
    _check_file(file)
    reader = _ListReader(str(file), regime)
    _parse(file, reader)
    return reader.result()


def parse_list_date(text: str) -> str | None:
    """The ISO day of a date as the list's vintages write it, or None if it is not one.

    >>> parse_list_date("2017-08-05"), parse_list_date("2015-07-01-04:00")
    ('2017-08-05', '2015-07-01')
    >>> parse_list_date("2025-04-19T23:00:04.625Z"), parse_list_date("2017-02-30")
    ('2025-04-19', None)
    """
    found = _DATE.match(text.strip())
    if found is None:
        return None
    year, month, day = (int(part) for part in found.groups())
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None


# ---- the file ------------------------------------------------------------------------------


def _check_file(file: Path) -> None:
    def refuse(reason: str) -> SanctionsListError:
        return SanctionsListError([Problem(str(file), None, "file", reason)], _summary(file, 1))

    if file.is_dir():
        raise refuse("is a folder, not a UN list XML file")
    try:
        size = file.stat().st_size
    except FileNotFoundError:
        raise refuse("not found") from None
    except OSError as error:
        raise refuse(f"cannot be read: {error.strerror or error}") from error
    if size > MAX_LIST_BYTES:
        raise refuse(
            f"is {size:,} bytes, larger than the {MAX_LIST_BYTES / 1e6:,.0f} MB a UN list is "
            "read up to (the whole list is a few MB)"
        )


def _parse(file: Path, reader: _ListReader) -> None:
    """Stream the file through the defused expat parser into `reader`."""
    parser = DefusedXMLParser(
        target=reader, forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    expat = parser.parser  # the pure-Python XMLParser's expat parser, for line numbers
    reader.line = lambda: int(expat.CurrentLineNumber)
    name = str(file)
    try:
        with file.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                parser.feed(chunk)
        parser.close()
    except ParseError as error:
        line, column = error.position
        reason = f"malformed XML: {xml.parsers.expat.ErrorString(error.code)} (column {column + 1})"
        raise SanctionsListError([Problem(name, line, "XML", reason)], _summary(file, 1)) from None
    except DefusedXmlException as error:
        what = type(error).__name__.removesuffix("Forbidden")
        reason = (
            f"{_REFUSED.get(what, 'a declaration')} is refused: a UN list has none, and one "
            "can declare entities that expand without bound or read other files"
        )
        problem = Problem(name, reader.line(), "DOCTYPE" if what == "DTD" else "ENTITY", reason)
        raise SanctionsListError([problem], _summary(file, 1)) from None
    except OSError as error:
        reason = f"cannot be read: {error.strerror or error}"
        raise SanctionsListError([Problem(name, None, "file", reason)]) from error


_REFUSED = {
    "DTD": "a document type declaration (DTD)",
    "Entities": "an entity declaration",
    "ExternalReference": "a reference to an external entity",
}


def _summary(file: Path | str, count: int) -> str:
    return f"{plural(count, 'problem')} in the UN list {file}; nothing was read"


# ---- the records ---------------------------------------------------------------------------


@dataclass
class _Node:
    """An element inside a designation: its name, line, text and children."""

    tag: str
    line: int
    parts: list[str] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The element's text, stripped, inner whitespace collapsed to one space."""
        return " ".join("".join(self.parts).split())

    def all(self, tag: str) -> list[_Node]:
        return [child for child in self.children if child.tag == tag]

    def first(self, tag: str) -> _Node | None:
        return next((child for child in self.children if child.tag == tag), None)

    def text_of(self, tag: str) -> str:
        """The text of the first child named `tag` ("" if there is none)."""
        child = self.first(tag)
        return child.text if child is not None else ""

    def values(self, tag: str) -> list[str]:
        """The non-empty ``VALUE`` texts under each child named `tag` (``NATIONALITY``)."""
        return [v.text for child in self.all(tag) for v in child.all("VALUE") if v.text]


class _ListReader:
    """The parser's target: checks the root, gathers each ENTITY and INDIVIDUAL as a small tree
    of `_Node`, and turns it into a `Designation` (or problems) as soon as it ends."""

    def __init__(self, file: str, regime: str | None) -> None:
        self.file = file
        self.asked = regime
        self.wanted = regime.strip().casefold() if regime is not None else None
        self.line: Callable[[], int] = lambda: 0
        self.depth = 0
        self.generated: str | None = None
        self.stack: list[_Node] = []
        self.designations: list[Designation] = []
        self.regimes: set[str] = set()
        self.problems: list[Problem] = []
        self.first_line: dict[str, int] = {}

    # the target interface of xml.etree's XMLParser
    def start(self, tag: str, attrib: dict[str, str]) -> None:
        name, line = _local(tag), self.line()
        self.depth += 1
        if self.depth == 1:
            self.root(name, attrib, line)
        elif self.stack:
            node = _Node(name, line)
            self.stack[-1].children.append(node)
            self.stack.append(node)
        elif name in KINDS:
            self.stack.append(_Node(name, line))

    def data(self, text: str) -> None:
        if self.stack:
            self.stack[-1].parts.append(text)

    def end(self, tag: str) -> None:
        self.depth -= 1
        if self.stack:
            node = self.stack.pop()
            if not self.stack:
                self.record(node)

    def close(self) -> None:
        return None

    # what it does with them
    def root(self, name: str, attrib: dict[str, str], line: int) -> None:
        if name != ROOT:
            problem = Problem(
                self.file, line, name, f"the root element is <{name}>, not <{ROOT}>: not a UN list"
            )
            raise SanctionsListError([problem], _summary(self.file, 1))
        stamp = " ".join(attrib.get("dateGenerated", "").split())
        if stamp:
            self.generated = parse_list_date(stamp)
            if self.generated is None:
                self.problem(line, f"{ROOT}/@dateGenerated", f"'{stamp}' is not a date")

    def record(self, node: _Node) -> None:
        regime = node.text_of("UN_LIST_TYPE")
        if regime:
            self.regimes.add(regime)
        if self.wanted is not None and regime.casefold() != self.wanted:
            return
        if not self.readable(node, node.tag):
            return
        designation = self.designation(node, regime)
        if designation is None:
            return
        key = designation.reference.casefold()
        if key in self.first_line:
            self.problem(
                node.line, f"{node.tag}/REFERENCE_NUMBER",
                f"'{designation.reference}' is listed twice (first on line "
                f"{self.first_line[key]})",
            )  # fmt: skip
            return
        self.first_line[key] = node.line
        self.designations.append(designation)

    def readable(self, node: _Node, path: str) -> bool:
        """False, after noting where, if the record holds a control character (XML allows
        C1 controls such as U+0080; no name holds one, and a dataset refuses them)."""
        ok = True
        bad = next((c for c in "".join(node.parts) if _is_control(c)), None)
        if bad is not None:
            self.problem(node.line, path, f"control character U+{ord(bad):04X} in the text")
            ok = False
        for child in node.children:
            ok = self.readable(child, f"{path}/{child.tag}") and ok
        return ok

    def designation(self, node: _Node, regime: str) -> Designation | None:
        """The designation of one record, or None after noting its problems."""
        count = len(self.problems)
        reference = node.text_of("REFERENCE_NUMBER")
        name = " ".join(part for part in map(node.text_of, NAME_PARTS) if part)
        if not reference:
            self.problem(
                node.line, f"{node.tag}/REFERENCE_NUMBER",
                f"missing or empty: every {node.tag} needs its reference number",
            )  # fmt: skip
        if not name:
            self.problem(
                node.line, f"{node.tag}/FIRST_NAME",
                f"{reference or f'this {node.tag}'} has no name (FIRST_NAME to FOURTH_NAME are "
                "missing or empty)",
            )  # fmt: skip
        listed_on = self.listed_on(node, reference)
        if len(self.problems) > count:
            return None
        return Designation(
            reference=reference,
            kind=KINDS[node.tag],
            name=name,
            regime=regime,
            aliases=_aliases(node, name),
            listed_on=listed_on,
            narrative=node.text_of("COMMENTS1"),
            addresses=_addresses(node),
            countries=_unique(
                node.values("NATIONALITY")
                + [a.text_of("COUNTRY") for a in node.all(f"{node.tag}_ADDRESS")]
            ),
            line=node.line,
        )

    def listed_on(self, node: _Node, reference: str) -> str | None:
        child = node.first("LISTED_ON")
        if child is None or not child.text:
            return None
        day = parse_list_date(child.text)
        if day is None:
            self.problem(
                child.line, f"{node.tag}/LISTED_ON",
                f"'{child.text}' is not a date (YYYY-MM-DD, optionally with a time or a UTC "
                f"offset){f' ({reference})' if reference else ''}",
            )  # fmt: skip
        return day

    def problem(self, line: int, element: str, reason: str) -> None:
        self.problems.append(Problem(self.file, line, element, reason))

    def result(self) -> UnList:
        if self.problems:
            raise SanctionsListError(self.problems, _summary(self.file, len(self.problems)))
        read = UnList(
            generated=self.generated,
            designations=tuple(self.designations),
            path=self.file,
            regimes=tuple(sorted(self.regimes, key=str.casefold)),
        )
        return read if self.asked is None else read.select(self.asked)


def _is_control(char: str) -> bool:
    """A C0 or C1 control character other than tab and line breaks, or DEL."""
    code = ord(char)
    return (code < 0x20 and char not in "\t\n\r") or 0x7F <= code <= 0x9F


def _local(tag: str) -> str:
    """A tag without its namespace: ``{urn:x}ENTITY`` -> ``ENTITY``."""
    return tag.rsplit("}", 1)[-1]


def _aliases(node: _Node, name: str) -> tuple[Alias, ...]:
    """The record's aliases and its name in its original script, each once, the name itself
    and empty ones left out."""
    found = [
        Alias(alias.text_of("ALIAS_NAME"), alias.text_of("QUALITY").casefold())
        for alias in node.all(f"{node.tag}_ALIAS")
    ]
    found += [Alias(text, ORIGINAL_SCRIPT) for text in [node.text_of("NAME_ORIGINAL_SCRIPT")]]
    seen = {name.casefold()}
    kept = []
    for alias in found:
        key = alias.name.casefold()
        if alias.name and key not in seen:
            seen.add(key)
            kept.append(alias)
    return tuple(kept)


def _addresses(node: _Node) -> tuple[str, ...]:
    """Each address as one line (``street, city, province, zip, country``), empty ones left
    out."""
    lines = (
        ", ".join(part for part in map(address.text_of, ADDRESS_PARTS) if part)
        for address in node.all(f"{node.tag}_ADDRESS")
    )
    return _unique(lines)


def _unique(texts: Iterable[str]) -> tuple[str, ...]:
    """The non-empty texts, each once (ignoring case), in their first order."""
    seen: set[str] = set()
    kept = []
    for text in texts:
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            kept.append(text)
    return tuple(kept)
