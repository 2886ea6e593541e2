"""Ids as people type them: close matches for a mistyped id, and names or codes taken as ids.

Example:
    >>> from labournet.names import did_you_mean, matching_ids
    >>> did_you_mean("rusia", ["ru", "russia", "cn"])
    " (did you mean 'russia'?)"
    >>> matching_ids("Russia", ["ru", "cn"], {"ru": ("Russia", "RU"), "cn": ("China", "CN")})
    ['ru']
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any

from labournet.errors import AnalysisError, LabournetError

__all__ = ["close_matches", "did_you_mean", "matching_ids", "resolve_graph_id"]


def close_matches(word: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """Up to `n` of `choices` closest to `word`, ignoring case (difflib's ratio, at least 0.6)."""
    by_folded: dict[str, str] = {}
    for choice in choices:
        by_folded.setdefault(choice.casefold(), choice)
    found = difflib.get_close_matches(word.casefold(), list(by_folded), n=n, cutoff=0.6)
    return [by_folded[f] for f in found]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``" (did you mean 'x' or 'y'?)"`` for the close matches of `word`, ``""`` when none."""
    found = close_matches(word, choices)
    if not found:
        return ""
    return f" (did you mean {' or '.join(repr(f) for f in found)}?)"


def matching_ids(text: str, ids: Iterable[str], aliases: Mapping[str, Iterable[str]]) -> list[str]:
    """The ids `text` may stand for: itself if it is an id; else the ids equal to it ignoring
    case; else those with an alias (a name, an ISO code) equal to it ignoring case. One id is a
    match, several an ambiguity, none an unknown id."""
    ids = list(ids)
    if text in ids:
        return [text]
    folded = text.strip().casefold()
    same = [i for i in ids if i.casefold() == folded]
    if same:
        return same
    return [i for i in ids if any(a and a.casefold() == folded for a in aliases.get(i, ()))]


def resolve_graph_id(
    graph: Any,
    text: str,
    *,
    option: str,
    relations: bool = True,
    error: type[LabournetError] = AnalysisError,
) -> str:
    """The node (or, with `relations`, relation) id that `text` names in a networkx graph: an
    id, or an entity's name or ISO code, ignoring case, where only one entity has it.

    `error` (naming the CLI `option`) for an unknown or ambiguous text, with close matches.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("ru", name="Russia", iso_code="RU")
    >>> resolve_graph_id(G, "russia", option="--cut"), resolve_graph_id(G, "RU", option="--cut")
    ('ru', 'ru')
    """
    ids = [str(node) for node in graph]
    if relations:
        ids += sorted(
            {
                str(rid if rid is not None else key)
                for *_, key, rid in graph.edges(keys=True, data="id")
            }
        )
    aliases = {
        str(node): tuple(str(data[a]) for a in ("name", "iso_code") if data.get(a))
        for node, data in graph.nodes(data=True)
    }
    found = matching_ids(text, ids, aliases)
    if len(found) == 1:
        return found[0]
    what = "entity or relation" if relations else "entity"
    if found:
        raise error(f"'{text}' ({option}) names several entities ({', '.join(found)}): give the id")
    names = [alias for values in aliases.values() for alias in values]
    hint = did_you_mean(text, [*ids, *names])
    raise error(f"unknown id '{text}' ({option}): no {what} has this id, name or code{hint}")
