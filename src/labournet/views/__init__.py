"""Interactive HTML views of a network (pyvis and vis-network, offline, text-only tooltips)."""
