"""Provenance of candidates: the figures, sources and assumptions behind their numbers.

A candidate's at-stake numbers use the figures of every host it touches (its workers, its sector
shares, the revenue of each of its routes, its compliance and the regime's substitution), of
every slot and of every route it is on. A host's figures grow with its routes, so listing them
row by row would cost rows x figures (tens of millions of entries at 50,000 entities). Here a
row's figures are kept as its hosts' figure groups plus its own slot and route figures, and
everything is computed from those, in time linear in the placements:

* ``n_figures``: the size of the union, counted exactly: figures of a single host are counted
  once per host; figures that several hosts share (such as the substitution) are counted by
  their own small matrix; a row's own figures count where no host of the row already has them;
* ``figures``: the first ``limit`` figure ids of the union (in the model's figure order): the
  first ``limit`` of each host's group and the row's own figures hold them all;
* ``source_groups``: where its sources are, without listing them row by row: the sources that
  each host's figures cite form a group, as do those of each slot's, of each route's and of an
  entity candidate's own citations; equal groups are one group, and a row names the groups of
  its hosts, slots, routes and entity (so at most as many as its parts). Its sources are their
  union (`sources_in`): each source is listed once per group, and the groups once per table,
  where a list per row repeated a sector's sources for each of its hosts;
* ``assumptions``: those behind the figures and the entities and relations of the placements.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse

from labournet.analysis.flows import FlowModel

__all__ = ["Provenance", "provenance", "assumptions_behind", "sources_in"]


@dataclass(frozen=True)
class Provenance:
    """Per candidate row: figure ids listed (at most `limit`), their full count, the ids of
    its source groups (in group order) and its assumptions (sorted); and each group's sources
    (sorted), by group id (``g1``, ``g2``, ...)."""

    figures: tuple[tuple[str, ...], ...]
    n_figures: np.ndarray
    source_groups: tuple[tuple[str, ...], ...]
    assumptions: tuple[tuple[str, ...], ...]
    groups: dict[str, tuple[str, ...]]

    def sources(self, row: int) -> tuple[str, ...]:
        """The sources of row `row` (its position in the rows asked for), sorted."""
        return sources_in(self.source_groups[row], self.groups)


def sources_in(groups: Iterable[str], sources: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    """The sorted union of the sources of `groups`, each a key of `sources`.

    >>> sources_in(["g1", "g2"], {"g1": ("s2", "s1"), "g2": ("s1", "s3")})
    ('s1', 's2', 's3')
    """
    return tuple(sorted({source for group in groups for source in sources[group]}))


def provenance(model: FlowModel, rows: np.ndarray, limit: int | None = None) -> Provenance:
    """The provenance of the candidate rows `rows` of ``model.incidence``.

    Example:
        >>> import labournet
        >>> from labournet.analysis.flows import as_flow_model
        >>> model = as_flow_model(labournet.load_dataset())
        >>> found = provenance(model, np.array([model.candidate_index()["qa"]]), limit=2)
        >>> len(found.figures[0]), int(found.n_figures[0]) > 2
        (2, True)
    """
    hosts, slots, routes = _parts(model, rows)
    trace = model.traced
    host_figures = _structure(trace.host_figures)
    own = _structure(slots @ trace.slot_figures + routes @ trace.route_figures)
    counts = _count_union(hosts, host_figures, own)
    if limit is None:
        listed = _structure(hosts @ host_figures + own)
    else:
        listed = _first(_structure(hosts @ _first(host_figures, limit) + own), limit)
    refs, groups = _source_groups(model, rows, hosts, slots, routes)
    figure_ids = np.array([figure.id for figure in model.figures], dtype=object)
    return Provenance(
        figures=_tuples(listed, figure_ids),
        n_figures=counts,
        source_groups=_tuples(refs, np.array(list(groups), dtype=object)),
        assumptions=_tuples(
            _assumptions(trace, hosts, slots, routes),
            np.array(model.assumption_ids, dtype=object),
        ),
        groups=groups,
    )


def assumptions_behind(model: FlowModel, rows: np.ndarray) -> set[str]:
    """Every assumption behind the numbers of the candidate rows `rows`, together."""
    hosts, slots, routes = _parts(model, rows)
    found = _assumptions(model.traced, hosts, slots, routes)
    return {model.assumption_ids[a] for a in found.indices}


# -- pieces --------------------------------------------------------------------------------------


def _parts(model: FlowModel, rows: np.ndarray) -> tuple[sparse.csr_matrix, ...]:
    """0/1 matrices of the hosts, slots and routes each row's placements are on."""
    incidence = _structure(model.incidence[rows])
    trace = model.traced
    out = []
    for index, n_parts in (
        (model.placement_host, trace.host_figures.shape[0]),
        (model.placement_slot, trace.slot_figures.shape[0]),
        (model.placement_route, trace.route_figures.shape[0]),
    ):
        onehot = sparse.csr_matrix(
            (np.ones(len(index)), (np.arange(len(index)), index)), shape=(len(index), n_parts)
        )
        out.append(_structure(incidence @ onehot))
    return tuple(out)


def _count_union(
    hosts: sparse.csr_matrix, host_figures: sparse.csr_matrix, own: sparse.csr_matrix
) -> np.ndarray:
    """Per row, the size of the union of its hosts' figure groups and its own figures."""
    owners = np.asarray(host_figures.sum(axis=0)).ravel()
    shared = np.flatnonzero(owners > 1)
    exclusive = np.asarray(host_figures[:, owners == 1].sum(axis=1)).ravel()
    shared_reached = _structure(hosts @ host_figures[:, shared])
    counts = hosts @ exclusive + np.diff(shared_reached.indptr)
    # own figures already in a host group of the same row are not counted again
    own_rows = np.repeat(np.arange(own.shape[0]), np.diff(own.indptr))
    own_figs = own.indices
    covered = np.zeros(len(own_figs), dtype=bool)
    single = owners[own_figs] == 1
    if single.any():
        owner_of = _single_owner(host_figures)
        covered[single] = _has(hosts, own_rows[single], owner_of[own_figs[single]])
    many = owners[own_figs] > 1
    if many.any():
        column = np.searchsorted(shared, own_figs[many])
        covered[many] = _has(shared_reached, own_rows[many], column)
    return np.asarray(counts, dtype=np.int64) + np.bincount(
        own_rows[~covered], minlength=own.shape[0]
    )


def _single_owner(host_figures: sparse.csr_matrix) -> np.ndarray:
    """Per figure, the host whose group holds it (meaningful where exactly one does)."""
    owner = np.zeros(host_figures.shape[1], dtype=np.int64)
    host_of_entry = np.repeat(np.arange(host_figures.shape[0]), np.diff(host_figures.indptr))
    owner[host_figures.indices] = host_of_entry
    return owner


def _has(matrix: sparse.csr_matrix, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """Whether each (row, column) pair is a nonzero of `matrix` (sorted indices)."""
    n_cols = max(matrix.shape[1], 1)
    keys = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr)) * n_cols
    keys += matrix.indices
    wanted = rows.astype(np.int64) * n_cols + columns
    at = np.searchsorted(keys, wanted)
    return (at < len(keys)) & (keys[np.minimum(at, len(keys) - 1)] == wanted)


def _first(matrix: sparse.csr_matrix, limit: int) -> sparse.csr_matrix:
    """The first `limit` nonzeros of each row (by column)."""
    lengths = np.diff(matrix.indptr)
    position = np.arange(matrix.nnz) - np.repeat(matrix.indptr[:-1], lengths)
    keep = position < limit
    indptr = np.concatenate([[0], np.cumsum(np.minimum(lengths, limit))])
    return sparse.csr_matrix((matrix.data[keep], matrix.indices[keep], indptr), shape=matrix.shape)


def _source_groups(
    model: FlowModel,
    rows: np.ndarray,
    hosts: sparse.csr_matrix,
    slots: sparse.csr_matrix,
    routes: sparse.csr_matrix,
) -> tuple[sparse.csr_matrix, dict[str, tuple[str, ...]]]:
    """Rows x groups (0/1): the source groups of each row's hosts, slots, routes and entity;
    and each group's sources by id, groups numbered in the order their parts come (hosts,
    slots, routes, then the rows' entities), only groups that some row names."""
    by_source, source_ids = _sources(model, rows)
    trace = model.traced
    parts = _structure(
        sparse.vstack(
            [
                trace.host_figures @ by_source.figures,
                trace.slot_figures @ by_source.figures,
                trace.route_figures @ by_source.figures,
                by_source.entities,
            ],
            format="csr",
        )
    )
    own = sparse.identity(len(rows), format="csr")
    row_parts = sparse.hstack([hosts, slots, routes, own], format="csr")
    named = np.zeros(parts.shape[0], dtype=bool)  # the parts some row is on
    named[row_parts.indices] = True
    group_of = np.full(parts.shape[0], -1, dtype=np.int64)
    seen: dict[bytes, int] = {}
    groups: dict[str, tuple[str, ...]] = {}
    for part in np.flatnonzero(named & (np.diff(parts.indptr) > 0)).tolist():
        columns = parts.indices[parts.indptr[part] : parts.indptr[part + 1]]
        key = columns.tobytes()
        found = seen.get(key)
        if found is None:
            found = seen[key] = len(groups)
            groups[f"g{found + 1}"] = tuple(source_ids[columns])
        group_of[part] = found
    grouped = np.flatnonzero(group_of >= 0)
    to_group = sparse.csr_matrix(
        (np.ones(len(grouped)), (grouped, group_of[grouped])), shape=(parts.shape[0], len(groups))
    )
    return _structure(row_parts @ to_group), groups


@dataclass(frozen=True)
class _SourceMatrices:
    figures: sparse.csr_matrix  # figures x sources
    entities: sparse.csr_matrix  # rows x sources: what an entity candidate cites itself


def _sources(model: FlowModel, rows: np.ndarray) -> tuple[_SourceMatrices, np.ndarray]:
    """0/1 matrices of the sources of each figure and of each row's own entity, and the source
    ids (sorted) of their columns."""
    graph = model.graph
    cited = [
        graph.nodes[c].get("sources", ()) if (c := model.candidates[row]) in graph else ()
        for row in rows
    ]
    source_ids = sorted(
        {source for figure in model.figures for source in figure.sources}
        | {source for own in cited for source in own}
    )
    index = {source: i for i, source in enumerate(source_ids)}

    def matrix(lists: list[Any]) -> sparse.csr_matrix:
        pairs = [(i, index[s]) for i, found in enumerate(lists) for s in found]
        return _structure(
            sparse.csr_matrix(
                (np.ones(len(pairs)), ([p[0] for p in pairs], [p[1] for p in pairs])),
                shape=(len(lists), len(source_ids)),
            )
        )

    found = _SourceMatrices(matrix([f.sources for f in model.figures]), matrix(cited))
    return found, np.array(source_ids, dtype=object)


def _assumptions(trace: Any, hosts: Any, slots: Any, routes: Any) -> sparse.csr_matrix:
    return _structure(
        hosts @ trace.host_assumptions
        + slots @ trace.slot_assumptions
        + routes @ trace.route_assumptions
    )


def _structure(matrix: Any) -> sparse.csr_matrix:
    """The 0/1 pattern of a sparse matrix, as csr with sorted indices and no explicit zeros
    (the pressure table's reach uses it too)."""
    out = sparse.csr_matrix(matrix, dtype=np.float64)
    out.eliminate_zeros()
    out.sort_indices()
    out.data = np.ones(len(out.data))
    return out


def _tuples(matrix: sparse.csr_matrix, names: np.ndarray) -> tuple[tuple[str, ...], ...]:
    """Per row, the names of its nonzero columns, in column order; equal rows share one tuple."""
    seen: dict[bytes, tuple[str, ...]] = {}
    out = []
    for i in range(matrix.shape[0]):
        columns = matrix.indices[matrix.indptr[i] : matrix.indptr[i + 1]]
        key = columns.tobytes()
        found = seen.get(key)
        if found is None:
            found = seen[key] = tuple(names[columns])
        out.append(found)
    return tuple(out)
