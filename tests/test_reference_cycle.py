"""TFX010: the dependency graph, its cycles, and fixed modules without them.

Terraform's own graph cannot be built offline (``terraform validate`` needs the
providers), so the golden outputs are checked with tffix's model of that graph.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tffix.engine import parse_file
from tffix.semantic import graph
from tffix.semantic.module import Module

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "TFX010"


def _model(text: str):
    return Module([parse_file("main.tf", text)]).model


def _names(cycle):
    return [d.address for d in cycle]


def test_a_cycle_through_references_depends_on_and_a_local():
    model = _model(
        'locals {\n  l = aws_x.a.id\n}\nresource "aws_x" "a" {\n  depends_on = [aws_x.b]\n}\n'
        'resource "aws_x" "b" {\n  n = local.l\n}\n'
    )
    assert [_names(c) for c in graph.cycles(graph.dependencies(model))] == [["aws_x.a", "aws_x.b", "local.l"]]


def test_the_shortest_cycle_of_a_component_is_reported():
    model = _model(
        'resource "x" "a" {\n  v = [x.b.id, x.c.id]\n}\nresource "x" "b" {\n  v = x.a.id\n}\n'
        'resource "x" "c" {\n  v = x.d.id\n}\nresource "x" "d" {\n  v = x.a.id\n}\n'
    )
    assert [_names(c) for c in graph.cycles(graph.dependencies(model))] == [["x.a", "x.b"]]


def test_no_cycle_without_one():
    model = _model(
        'resource "x" "a" {\n  v = x.b.id\n}\nresource "x" "b" {\n  v = "b"\n}\n'
        'resource "x" "self" {\n  v = x.self.id\n}\n'
    )
    assert graph.cycles(graph.dependencies(model)) == []


def test_long_chains_do_not_recurse():
    text = "".join(f'resource "x" "n{i}" {{\n  v = x.n{i + 1}.id\n}}\n' for i in range(3000))
    text += 'resource "x" "n3000" {\n  v = x.n0.id\n}\n'
    [cycle] = graph.cycles(graph.dependencies(_model(text)))
    assert len(cycle) == 3001


@pytest.mark.parametrize("case", sorted(p.parent for p in GOLDEN.glob("*/expected")), ids=lambda p: p.name)
def test_fixed_golden_modules_have_no_cycle(case):
    files = {p.name: p.read_text() for p in (case / "input").glob("*.tf")}
    files.update({p.name: p.read_text() for p in (case / "expected").glob("*.tf")})
    model = Module([parse_file(name, text) for name, text in files.items()]).model
    assert graph.cycles(graph.dependencies(model)) == []
