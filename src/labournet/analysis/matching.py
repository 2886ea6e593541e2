"""Which parties of a dataset a sanctions list may designate: candidate matches by name, each
with its score and evidence. Matching only lists candidates; it never merges or changes the
dataset, and a match is a lead for an analyst to check, not a finding.

Every organisation and person of the dataset (its name and the names in its ``aliases``
property) is compared with every listed party of the same kind (an organisation with a listed
entity, a person with a listed individual): its name, its aliases and its name in its
original script. A dataset entity whose ``un_reference`` property is a listed reference
matches that party whatever its kind or name.

Names are compared in a normal form (`normalise_name`): accents stripped (NFKD), case folded,
apostrophes and quotes (``'`` ``’`` ``"`` ...) removed, every other punctuation mark or symbol a
space, runs of spaces one. A parenthesised abbreviation (one word of two to twelve capitals or
digits, ``(KOMID)``) is taken out of the name and kept as a name of its own. For
organisations the comparison of words also leaves out legal forms (`LEGAL_FORMS`: ``co``,
``company``, ``corporation``, ``ltd``, ``limited``, ``llc``, ``inc``, ``plc`` ..., the phrase
``of companies``, so ``group of companies`` is compared as ``group``, and ``the``), unless
nothing else is left. ``group`` itself is kept: it is part of names such as "Lazarus Group".
Legal forms are never dropped from people's names.

Scores, for the best pair of names of an entity and a party:

* 1.0 ``reference``: the entity's ``un_reference`` is the party's reference;
* 1.0 ``exact``: the normal forms are equal, or equal once spaces are ignored
  (``Ri Je-son`` and ``Ri Jeson``);
* 0.95 ``same words``: the same set of words once legal forms, word order and repeated words
  are set aside (``Mansudae Overseas Project Group`` and ``... Group of Companies``);
* 0.9 ``abbreviation``: an abbreviation equals a name or abbreviation of the other side.
  Abbreviations are short and shared by unrelated bodies, so they rank below full names and
  are never compared loosely;
* otherwise ``similar``: the token-set similarity, difflib's `SequenceMatcher` ratio of the two
  sets of words each sorted and joined by spaces (2 × matching characters / all characters),
  so word order does not count and a missing or misspelt word costs in proportion to its
  length. Names shorter than four characters are compared only exactly.

Example:
    >>> normalise_name("Workers’ Party of Korea (WPK)")
    'workers party of korea wpk'
    >>> import dataclasses, labournet
    >>> from labournet.io.unlist import read_un_list
    >>> un_list = read_un_list("tests/sanctions/fixtures/small.xml", regime="DPRK")
    >>> mini = labournet.load_dataset("tests/fixtures/mini")
    >>> ours = labournet.Entity("nw", "organisation", "Northwind Machinery Export Co. Ltd")
    >>> (match,) = match_designations(dataclasses.replace(mini, entities=(ours,)), un_list)
    >>> match.reference, match.score, match.method
    ('KPe.901', 0.95, 'same words')
    >>> match.matched, match.listed
    ('Northwind Machinery Export Co. Ltd', 'NORTHWIND MACHINERY EXPORT COMPANY (NMEC)')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from labournet.errors import AnalysisError
from labournet.io.unlist import ORIGINAL_SCRIPT, Designation, UnList
from labournet.io.unlist_dataset import KINDS, dataset_to_designations, party_id
from labournet.model.dataset import LIST_SEPARATOR, Dataset, Entity

__all__ = [
    "Match",
    "match_designations",
    "normalise_name",
    "LEGAL_FORMS",
    "EXACT",
    "SAME_WORDS",
    "ABBREVIATION",
]

EXACT = 1.0
SAME_WORDS = 0.95
ABBREVIATION = 0.9
LEGAL_FORMS = frozenset(
    {
        "co", "company", "companies", "corp", "corporation", "inc", "incorporated", "llc",
        "ltd", "limited", "plc", "gmbh", "jsc", "pte", "pty", "the",
    }
)  # fmt: skip
"""Words left out when organisations' words are compared (with the phrase ``of companies``)."""
MIN_LOOSE = 4
"""Names shorter than this many characters are compared only exactly."""

_APOSTROPHES = dict.fromkeys(map(ord, "'’‘ʼ`´\"“”„«»"))
_ABBREVIATION = re.compile(r"\(\s*([^\s()]{2,12})\s*\)")
"""A parenthesised word; an abbreviation if its letters are capitals and it is one word."""


@dataclass(frozen=True)
class Match:
    """A dataset entity that a listed party may be, and why.

    ``matched`` is the entity's name, alias or ``un_reference`` that matched, ``matched_as``
    which of them it is; ``listed`` and ``listed_as`` are the same for the party (``name``,
    ``alias (a.k.a.)``, ``alias (low quality)``, ``abbreviation``, ``reference`` ...);
    ``method`` is ``reference``, ``exact``, ``same words``, ``abbreviation`` or ``similar``.
    """

    entity: str
    entity_name: str
    reference: str
    party: str
    listed_name: str
    score: float
    method: str
    matched: str
    matched_as: str
    listed: str
    listed_as: str

    @property
    def evidence(self) -> str:
        """One line: which name matched which, and how.

        >>> Match("m", "Mansudae", "KPe.050", "un-kpe-050", "MANSUDAE", 1.0, "exact",
        ...       "Mansudae", "name", "MANSUDAE", "name").evidence
        "name 'Mansudae' = name 'MANSUDAE' (normalised)"
        """
        left = f"{self.matched_as} '{self.matched}'"
        right = f"{self.listed_as} '{self.listed}'"
        how = {
            "reference": f"{left} is the list's reference {self.reference}",
            "exact": f"{left} = {right} (normalised)",
            "same words": f"{left} has the words of {right} (legal forms and order aside)",
            "abbreviation": f"{left} = {right} (abbreviation)",
        }
        return how.get(self.method, f"{left} ~ {right} (token-set similarity {self.score:.2f})")

    def to_dict(self) -> dict[str, Any]:
        """The fields and the evidence, for CSV and JSON."""
        return {
            "score": round(self.score, 4),
            "entity": self.entity,
            "entity_name": self.entity_name,
            "reference": self.reference,
            "party": self.party,
            "listed_name": self.listed_name,
            "method": self.method,
            "matched": self.matched,
            "matched_as": self.matched_as,
            "listed": self.listed,
            "listed_as": self.listed_as,
            "evidence": self.evidence,
        }


def match_designations(
    dataset: Dataset, un_list_or_dataset: UnList | Dataset, threshold: float = 0.85
) -> tuple[Match, ...]:
    """The listed parties each organisation and person of `dataset` may be, with a score of at
    least `threshold`, best first (then by entity id and reference); one match, its best
    evidence, per entity and party. `un_list_or_dataset` is what `read_un_list` read, or a
    dataset that holds designations (a folder `labournet import un-list` wrote).

    Scores and the normal form of names are described in the module's docstring.
    """
    if not 0 < threshold <= 1:
        raise AnalysisError(f"the threshold must be above 0 and at most 1, not {threshold:g}")
    un_list = (
        dataset_to_designations(un_list_or_dataset)
        if isinstance(un_list_or_dataset, Dataset)
        else un_list_or_dataset
    )
    parties = [_Party.of(designation) for designation in un_list.designations]
    found = []
    for entity in dataset.entities:
        if entity.kind not in KINDS.values():
            continue
        forms = _forms_of_entity(entity)
        reference = entity.properties.get("un_reference", "").strip().casefold()
        for party in parties:
            best: Match | None = None
            if reference and reference == party.designation.reference.casefold():
                best = _reference_match(entity, party.designation)
            elif KINDS[party.designation.kind] == entity.kind:
                best = _best(entity, forms, party, threshold)
            if best is not None and best.score >= threshold:
                found.append(best)
    return tuple(sorted(found, key=lambda m: (-m.score, m.entity, m.reference)))


def normalise_name(text: str) -> str:
    """A name as it is compared: accents stripped, case folded, apostrophes and quotes
    removed, other punctuation and symbols spaces, spaces collapsed.

    >>> normalise_name("  Kŏmun  Trading Co., Ltd. ")
    'komun trading co ltd'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.casefold().translate(_APOSTROPHES)
    spaced = "".join(" " if unicodedata.category(c)[0] in "PS" else c for c in plain)
    return " ".join(spaced.split())


# ---- names and their forms -------------------------------------------------------------------


@dataclass(frozen=True)
class _Form:
    """One name of an entity or party, as written and in the forms it is compared in."""

    text: str
    role: str
    normal: str
    compact: str
    words: str
    abbreviation: bool

    def compare(self, other: _Form, threshold: float) -> tuple[float, str] | None:
        """The score and method of this name against another, or None if they do not match
        or score below `threshold`."""
        if self.abbreviation or other.abbreviation:
            return (ABBREVIATION, "abbreviation") if self.normal == other.normal else None
        if self.normal == other.normal or self.compact == other.compact:
            return EXACT, "exact"
        if self.words == other.words:
            return SAME_WORDS, "same words"
        if min(len(self.words), len(other.words)) < MIN_LOOSE:
            return None
        matcher = SequenceMatcher(None, self.words, other.words, autojunk=False)
        if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
            return None  # difflib's cheap upper bounds already fall short
        ratio = matcher.ratio()
        return (ratio, "similar") if ratio >= threshold else None


def _forms(text: str, role: str, organisation: bool) -> Iterator[_Form]:
    """The forms of one name: the name, without a parenthesised abbreviation if it has one,
    and that abbreviation on its own."""
    abbreviations = [
        a for a in _ABBREVIATION.findall(text) if a.isupper() and " " not in normalise_name(a)
    ]
    if abbreviations:
        text_without = _ABBREVIATION.sub(
            lambda m: " " if m.group(1) in abbreviations else m.group(0), text
        )
    else:
        text_without = text
    normal = normalise_name(text_without)
    if normal:
        yield _Form(
            text, role, normal, normal.replace(" ", ""), _words(normal, organisation), False
        )
    for abbreviation in abbreviations:
        short = normalise_name(abbreviation)
        if short:
            yield _Form(text, "abbreviation", short, short, short, True)


def _words(normal: str, organisation: bool) -> str:
    """The set of words compared loosely, sorted: for organisations without legal forms."""
    words = normal.split()
    if organisation:
        joined = f" {normal} ".replace(" of companies ", " ")
        kept = [word for word in joined.split() if word not in LEGAL_FORMS]
        words = kept or words
    return " ".join(sorted(set(words)))


def _forms_of_entity(entity: Entity) -> list[_Form]:
    organisation = entity.kind == "organisation"
    names = [(entity.name, "name")] + [
        (alias.strip(), "alias")
        for alias in entity.properties.get("aliases", "").split(LIST_SEPARATOR)
        if alias.strip()
    ]
    return _unique(f for text, role in names for f in _forms(text, role, organisation))


@dataclass(frozen=True)
class _Party:
    designation: Designation
    forms: tuple[_Form, ...]

    @classmethod
    def of(cls, designation: Designation) -> _Party:
        organisation = designation.kind == "entity"
        names = [(designation.name, "name")] + [
            (alias.name, _alias_role(alias.quality)) for alias in designation.aliases
        ]
        forms = _unique(f for text, role in names for f in _forms(text, role, organisation))
        return cls(designation, tuple(forms))


def _alias_role(quality: str) -> str:
    if quality == ORIGINAL_SCRIPT:
        return "name in original script"
    if quality in ("good", "low"):
        return f"alias ({quality} quality)"
    return f"alias ({quality})" if quality else "alias"


def _unique(forms: Iterable[_Form]) -> list[_Form]:
    """The forms, each normal form once (the first, so a name wins over an alias)."""
    seen: set[tuple[str, bool]] = set()
    kept = []
    for form in forms:
        key = (form.normal, form.abbreviation)
        if key not in seen:
            seen.add(key)
            kept.append(form)
    return kept


# ---- matching ----------------------------------------------------------------------------------


def _best(entity: Entity, forms: list[_Form], party: _Party, threshold: float) -> Match | None:
    """The best-scoring pair of names of `entity` and `party`, if any pair matches."""
    best: tuple[float, str, _Form, _Form] | None = None
    for mine in forms:
        for theirs in party.forms:
            compared = mine.compare(theirs, threshold)
            if compared is not None and (best is None or compared[0] > best[0]):
                best = (*compared, mine, theirs)
    if best is None:
        return None
    score, method, mine, theirs = best
    designation = party.designation
    return Match(
        entity=entity.id,
        entity_name=entity.name,
        reference=designation.reference,
        party=party_id(designation.reference),
        listed_name=designation.name,
        score=score,
        method=method,
        matched=mine.text,
        matched_as=mine.role,
        listed=theirs.text,
        listed_as=theirs.role,
    )


def _reference_match(entity: Entity, designation: Designation) -> Match:
    reference = entity.properties["un_reference"]
    return Match(
        entity=entity.id,
        entity_name=entity.name,
        reference=designation.reference,
        party=party_id(designation.reference),
        listed_name=designation.name,
        score=EXACT,
        method="reference",
        matched=reference,
        matched_as="un_reference",
        listed=designation.reference,
        listed_as="reference",
    )
