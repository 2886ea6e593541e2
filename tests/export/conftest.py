"""Fixtures for the export tests: the hand-made networks of `export_samples`."""

from __future__ import annotations

import networkx as nx
import pytest
from export_samples import hostile_graph, toy_graph


@pytest.fixture
def toy() -> nx.MultiDiGraph:
    """A seven-node network with figures, sources and an assumption."""
    return toy_graph()


@pytest.fixture
def hostile() -> nx.MultiDiGraph:
    """The toy network with script and markup payloads in every text field."""
    return hostile_graph()
