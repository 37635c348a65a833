"""Python's cycle collector and the engine (tffix/engine.py, `_collector_paused`).

A module's analysis pauses the collector (its automatic passes over the live trees cost about a
third of a run), so nothing an analysis makes may be kept alive by a reference cycle: a module,
its model and its trees are freed by reference counting as soon as the run lets go of them.
"""

from __future__ import annotations

import gc

from tffix import api, registry
from tffix.semantic.model import SemanticModel
from tffix.semantic.module import Module
from tffix.syntax import nodes as n

# each rule's example module (tffix rule CODE shows it): every rule finds something in its own
EXAMPLES = {
    rule.code: {"main.tf": rule.example, **dict(rule.example_files)}
    for rule in registry.RULES
    if rule.example
}


def test_the_collector_is_paused_during_a_run_and_resumed_after(monkeypatch):
    seen = []
    original = Module.__init__

    def recording(self, *args, **kwargs):
        seen.append(gc.isenabled())
        original(self, *args, **kwargs)

    monkeypatch.setattr(Module, "__init__", recording)
    assert gc.isenabled()
    api.fix_sources(EXAMPLES["TFX002"])
    assert seen and not any(seen)
    assert gc.isenabled()
    gc.disable()
    try:  # a caller that paused it itself finds it paused still
        api.fix_sources(EXAMPLES["TFX002"])
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_an_analysis_leaves_no_module_model_or_tree_in_a_reference_cycle():
    gc.collect()
    gc.disable()
    try:
        for code, files in EXAMPLES.items():
            result = api.fix_sources(files)
            assert result.findings, code
            del result
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        kept = [
            type(o).__name__ for o in gc.garbage if isinstance(o, (Module, SemanticModel, n.Block, n.Body))
        ]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert kept == []
