"""The stored LALR tables (tffix/syntax/_tables.py) are the ones Lark computes from grammar.lark."""
from __future__ import annotations

import subprocess
import sys

from tffix.syntax import _tables, tablegen
from tffix.syntax.parser import _Builder


def test_stored_tables_match_the_grammar():
    # After a grammar change: python -m tffix.syntax.tablegen
    assert tablegen.TABLES.read_text(encoding="utf-8") == tablegen.generate(), \
        "tffix/syntax/_tables.py is stale: run python -m tffix.syntax.tablegen"


def test_every_reducer_has_a_builder_method():
    assert all(callable(getattr(_Builder, name, None)) for name in _tables.BUILDERS)


def test_tables_are_consistent():
    rules = _tables.rules(_Builder())
    assert len(_tables.ACTIONS) == len(_tables.GOTO)
    for row, goto in zip(_tables.ACTIONS, _tables.GOTO):
        for terminal, action in row.items():
            assert terminal.isupper()
            if action >= 0:
                assert action < len(_tables.ACTIONS)
            else:
                origin, size, reducer = rules[~action]
                assert reducer is not None or size == 1
        assert all(not name.isupper() and 0 <= state < len(_tables.ACTIONS) for name, state in goto.items())


def test_parsing_does_not_import_lark():
    code = ("import sys; from tffix.syntax import parse_module; parse_module('a = [1, \"x\"]\\n');"
            "print('lark' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
