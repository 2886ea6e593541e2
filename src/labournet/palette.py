"""How entity kinds look, the same in the HTML views and in GEXF files for Gephi."""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["KIND_STYLES"]

KIND_STYLES: Mapping[str, tuple[str, str]] = {
    "country": ("#0072B2", "dot"),
    "sector": ("#E69F00", "square"),
    "organisation": ("#009E73", "diamond"),
    "person": ("#CC79A7", "triangle"),
    "measure": ("#D55E00", "star"),
    "event": ("#56B4E9", "triangleDown"),
}
"""Colour (Okabe-Ito, readable with colour blindness) and vis-network shape per entity kind."""
