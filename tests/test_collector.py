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


def test_an_analysis_leaves_no_module_model_node_or_token_in_a_reference_cycle():
    operations = {"main.tf": "locals {\n  a = 1 + 2 * 3 - 4 == 5 || !true && var.x > 2\n}\n"}
    gc.collect()
    gc.disable()
    try:
        for code, files in EXAMPLES.items():
            result = api.fix_sources(files)
            assert result.findings, code
            del result
        result = api.fix_sources(operations)  # operator chains (the parser's precedence climbing)
        assert [f.code for f in result.findings] == ["TFX012"]
        del result
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        kept = [
            type(o).__name__ for o in gc.garbage if isinstance(o, (Module, SemanticModel, n.Node, n.Token))
        ]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert kept == []


def test_a_tree_run_turns_the_collector_off_and_back_on(tmp_path, monkeypatch):
    from tffix import runner

    for code, files in EXAMPLES.items():
        for name, text in files.items():
            (tmp_path / code / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / code / name).write_text(text, encoding="utf-8")
    seen = []
    original = runner._fresh
    monkeypatch.setattr(runner, "_fresh", lambda *args: seen.append(gc.isenabled()) or original(*args))
    frozen = gc.get_freeze_count()
    analysis = runner.analyse_tree([str(tmp_path)], jobs=1)
    assert len(analysis.modules) == len(EXAMPLES) == len(seen)
    assert not any(seen)
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen  # nothing left frozen


def test_a_child_module_no_longer_kept_is_released(monkeypatch):
    """The engine keeps the last child modules for their other callers; one it lets go of drops its
    model (which refers back to it), so reference counting frees both."""
    import weakref

    from tffix import engine

    monkeypatch.setattr(engine, "_kept_children", engine.OrderedDict())
    monkeypatch.setattr(engine, "_CHILDREN_KEPT", 2)
    first = engine._child((("a/main.tf", 'output "x" {\n  value = 1\n}\n'),), "terraform")
    assert first is not None and first.model.declarations
    assert engine._child((("a/main.tf", 'output "x" {\n  value = 1\n}\n'),), "terraform") is first
    gone = weakref.ref(first)
    gc.disable()
    try:
        del first
        for name in "bc":
            engine._child(((f"{name}/main.tf", "locals {}\n"),), "terraform")
        assert gone() is not None  # a run may still read it: let go of when the run is over
        engine._let_children_go()
        assert gone() is None  # freed by reference counting, the collector off
    finally:
        gc.enable()


def test_a_run_that_calls_more_children_than_are_kept_leaves_none_in_a_cycle(monkeypatch):
    """A module's local calls are read with their own calls, so one run may call more children than
    the engine keeps; those it lets go of were read by the run's rules (their models built) and
    are released when the run is over, not left to the collector."""
    from tffix import engine

    monkeypatch.setattr(engine, "_kept_children", engine.OrderedDict())
    monkeypatch.setattr(engine, "_CHILDREN_KEPT", 2)
    names = "abcde"
    main = "".join(
        f'module "{name}" {{\n  source = "./{name}"\n}}\n\noutput "{name}" {{\n  value = module.{name}.nope\n}}\n\n'
        for name in names
    )
    context = {f"{name}/main.tf": 'output "id" {\n  value = 1\n}\n' for name in names}
    gc.collect()
    gc.disable()
    try:
        result = api.fix_sources({"main.tf": main}, context=context, select=["TFX012"])
        assert len(result.findings) == len(names)  # each child's model was read: no output "nope"
        del result
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        kept = [type(o).__name__ for o in gc.garbage if isinstance(o, (Module, SemanticModel))]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert kept == []
    assert len(engine._kept_children) == 2
