"""The dependency graph Terraform builds for a module, and its cycles.

Terraform orders resources, data sources and locals by the references between
them and by ``depends_on``; a cycle stops ``plan`` with "Error: Cycle: a, b, c".
Here a vertex is a declaration (resource, data source, ephemeral resource,
local) and an edge goes from a declaration to each one it refers to.

Module calls are left out of the cycles: Terraform's graph runs through a call's
individual inputs and outputs, so ``module.m`` depending on ``aws_x.y`` while
``aws_x.y`` reads ``module.m.out`` is a cycle only if ``out`` depends on that
input inside the child — a false report would be worse than a missed one.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tffix.semantic.model import SemanticModel
    from tffix.semantic.symbols import Declaration, Reference

    Graph = dict[Declaration, set[Declaration]]

VERTICES = ("resource", "data", "ephemeral", "local")


def dependencies(model: SemanticModel, without: Iterable[Reference] = ()) -> Graph:
    """``{declaration: set of declarations it depends on}`` over the vertex kinds.

    ``without`` lists references to leave out (to ask what a change would leave).
    """
    skipped = {id(reference) for reference in without}
    graph: Graph = {d: set() for d in model.declarations if d.kind in VERTICES and not d.is_json}
    for declaration in graph:
        for reference in model.references_from(declaration):
            target = reference.declaration
            if target is None or target is declaration or target not in graph or id(reference) in skipped:
                continue
            graph[declaration].add(target)
    return graph


def looped(model: SemanticModel) -> set[str]:
    """Addresses of the declarations Terraform cannot order: those on a cycle, and those that
    refer to themselves ("Self-referential block")."""
    graph = dependencies(model)
    out = {d.address for component in _components(graph) if len(component) > 1 for d in component}
    for declaration in graph:
        if any(reference.declaration is declaration for reference in model.references_from(declaration)):
            out.add(declaration.address)
    return out


def cycles(graph: Graph) -> list[list[Declaration]]:
    """One shortest cycle per strongly connected component, shortest first, each starting at the
    vertex whose address sorts first (so the same module always prints the same cycle)."""
    found: list[list[Declaration]] = []
    for component in _components(graph):
        if len(component) < 2:
            continue
        members = set(component)
        best: list[Declaration] | None = None
        # Breadth first from each vertex finds the shortest cycle; from the first hundred (by address)
        # keeps a component of thousands from costing a quadratic search.
        for start in sorted(component, key=lambda d: d.address)[:100]:
            cycle = _shortest_cycle(graph, start, members)
            if cycle is not None and (best is None or len(cycle) < len(best)):
                best = cycle
        if best is not None:  # a component of two or more always has a cycle
            found.append(best)
    return sorted(found, key=lambda cycle: (len(cycle), cycle[0].address))


def _shortest_cycle(graph: Graph, start: Declaration, members: set[Declaration]) -> list[Declaration] | None:
    """The shortest path from ``start`` back to itself inside one component (breadth first)."""
    previous: dict[Declaration, Declaration | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for target in sorted(graph[node] & members, key=lambda d: d.address):
            if target is start:
                path = [node]
                while (before := previous[path[-1]]) is not None:
                    path.append(before)
                return list(reversed(path))
            if target not in previous:
                previous[target] = node
                queue.append(target)
    return None


def _components(graph: Graph) -> list[list[Declaration]]:
    """Tarjan's strongly connected components, without recursion."""
    index: dict[Declaration, int] = {}
    low: dict[Declaration, int] = {}
    on_stack: set[Declaration] = set()
    stack: list[Declaration] = []
    out: list[list[Declaration]] = []
    counter = 0
    for root in sorted(graph, key=lambda d: d.address):
        if root in index:
            continue
        work: list[tuple[Declaration, Iterator[Declaration]]] = [
            (root, iter(sorted(graph[root], key=lambda d: d.address)))
        ]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child], key=lambda d: d.address))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
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
                    if member is node:
                        break
                out.append(component)
    return out
