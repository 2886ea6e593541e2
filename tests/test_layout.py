"""The package's layout: imports point one way, from the data model up to the command line.

Every import counts, at the top of a module or inside a function (those hid cycles before);
only imports under ``if TYPE_CHECKING:`` do not, since they never run.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "labournet"

LAYERS = ("model", "io", "analysis", "views", "report", "store", "cli")
"""Each folder may import the ones before it, never one after it (the top-level helper modules,
errors, names and text, sit below them all)."""


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _runtime_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for inner in ast.walk(node)
    }
    names: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def import_graph() -> nx.DiGraph:
    """Module -> module it imports, for labournet's own modules."""
    modules = _modules()
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        for imported in _runtime_imports(path) & set(modules):
            if imported != name:
                graph.add_edge(name, imported)
    return graph


def test_no_module_imports_itself_back_through_others() -> None:
    cycles = sorted(nx.simple_cycles(import_graph()), key=len)
    shown = "; ".join(" -> ".join(cycle) for cycle in cycles[:3])
    assert cycles == [], f"{len(cycles)} import cycles, the shortest: {shown}"


def test_imports_point_from_the_model_up_to_the_command_line() -> None:
    def layer(module: str) -> int | None:
        parts = module.split(".")
        return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None

    wrong = [
        f"{a} imports {b}"
        for a, b in import_graph().edges
        if layer(a) is not None and layer(b) is not None and layer(b) > layer(a)  # type: ignore[operator]
    ]
    assert wrong == []


def test_the_layers_exist_and_the_old_modules_are_gone() -> None:
    modules = _modules()
    for folder in LAYERS:
        assert f"labournet.{folder}" in modules, folder
    for old in ("dataset", "graph", "graphcodec", "validation", "schema", "formulas", "export"):
        assert f"labournet.{old}" not in modules, old
