"""No import cycles between the product's modules.

Every `import` and `from … import` statement counts, at module level or inside a function: a lazy import that
closes a cycle only postpones it to the first call (and hides which module depends on which). Imports under
`if TYPE_CHECKING:` never run and are left out. `from pkg import name` is an edge to `pkg.name` when that is a
module, else to `pkg`. Dynamic imports (importlib, Celery tasks sent by name through ppid_portal.queueing) are
not statements and are not edges: that is how a service reaches a task without importing it.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("ppid_portal", "requests_app", "documents_app", "opd_app", "compliance_app")
SKIPPED_DIRS = {"migrations", "tests", "bench", "__pycache__"}

# Imports allowed, for now, to close a cycle: (importer, imported) edges, each with the reason it is still there.
# Empty: no cycle is known. An entry that no longer exists or no longer closes a cycle fails the test, so the
# allowance only shrinks; a cycle through any edge not listed here fails it too.
KNOWN_CYCLES: set[tuple[str, str]] = set()


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        base = ROOT / package
        if not (base / "__init__.py").exists():
            continue  # an app that does not exist (yet)
        for path in base.rglob("*.py"):
            rel = path.relative_to(ROOT)
            if SKIPPED_DIRS & set(rel.parts[:-1]):
                continue
            parts = list(rel.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _import_nodes(tree: ast.AST):
    """The import statements of `tree`, at any depth, except those only made for type checkers."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """`name`, or the closest package above it, if it is one of the product's modules."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for module, path in modules.items():
        is_package = path.name == "__init__.py"
        for node in _import_nodes(ast.parse(path.read_text(), str(path))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                if node.level:
                    base = module.split(".") if is_package else module.split(".")[:-1]
                    base = base[:len(base) - (node.level - 1)]
                    source = ".".join(base + ([node.module] if node.module else []))
                else:
                    source = node.module or ""
                for alias in node.names:
                    full = f"{source}.{alias.name}"
                    targets.append(full if full in modules else source)
            for target in targets:
                resolved = _resolve(target, modules)
                if resolved and resolved != module:
                    graph[module].add(resolved)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (each holds at least one cycle), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0

    for root in sorted(graph):
        if root in index:
            continue
        # Tarjan's algorithm, iteratively (the graph is a few hundred modules deep at most, but no recursion limit).
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return sorted(found)


def a_cycle(graph: dict[str, set[str]], component: list[str]) -> list[str]:
    """One cycle through the first module of `component`, as the path of imports (for the failure message)."""
    start, members = component[0], set(component)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for child in sorted(graph[node] & members):
            if child == start:
                return paths[node] + [start]
            if child not in paths:
                paths[child] = paths[node] + [child]
                queue.append(child)
    return component


def test_the_graph_sees_top_level_lazy_and_relative_imports():
    graph = import_graph()
    assert "requests_app.rules" in graph["requests_app.deadlines.thresholds"]  # from requests_app import rules
    assert "requests_app.deadlines.dispatch" in graph["requests_app.tasks"]  # inside a task function
    assert "opd_app.models" in graph["opd_app.permissions"]  # from .models import …
    assert "requests_app.workdays" not in graph["requests_app.rules"]  # under TYPE_CHECKING only


def test_no_import_cycles():
    graph = import_graph()
    missing = {edge for edge in KNOWN_CYCLES if edge[1] not in graph.get(edge[0], set())}
    for importer, imported in KNOWN_CYCLES:
        graph.get(importer, set()).discard(imported)
    found = cycles(graph)
    assert not found, "import cycles:\n" + "\n".join(" -> ".join(a_cycle(graph, c)) for c in found)
    assert not missing, f"KNOWN_CYCLES lists imports that no longer exist (remove them): {sorted(missing)}"
    closing = set()
    for edge in KNOWN_CYCLES - missing:
        graph[edge[0]].add(edge[1])
        if any(edge[0] in c for c in cycles(graph)):
            closing.add(edge)
        graph[edge[0]].discard(edge[1])
    stale = KNOWN_CYCLES - missing - closing
    assert not stale, f"KNOWN_CYCLES lists imports that no longer close a cycle (remove them): {sorted(stale)}"


# The apps' dependencies point one way: the figures (compliance_app) and the library (documents_app) read
# requests_app, which builds on opd_app; ppid_portal is the platform under all of them. Only the URL
# configuration, which wires every app in, imports upward.
ALLOWED_APP_IMPORTS = {
    "ppid_portal": set(),
    "opd_app": {"ppid_portal"},
    "requests_app": {"opd_app", "ppid_portal"},
    "documents_app": {"requests_app", "opd_app", "ppid_portal"},
    "compliance_app": {"requests_app", "opd_app", "ppid_portal"},
}
WIRING_MODULES = {"ppid_portal.urls", "ppid_portal.api_urls"}


def test_app_dependencies_point_one_way():
    wrong = sorted(
        (module, target) for module, targets in import_graph().items() if module not in WIRING_MODULES
        for target in targets
        if target.split(".")[0] != module.split(".")[0]
        and target.split(".")[0] not in ALLOWED_APP_IMPORTS[module.split(".")[0]]
    )
    assert wrong == [], f"imports against the apps' direction: {wrong}"
    # requests_app is never written to by the figures, nor does it know they exist.
    assert not any(t.startswith("compliance_app") for m, ts in import_graph().items()
                   if m.startswith("requests_app") for t in ts)
