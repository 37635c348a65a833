"""The stored LALR tables (tffix/syntax/_tables.py) are the ones Lark computes from grammar.lark."""

from __future__ import annotations

import dataclasses
import functools
import subprocess
import sys
from importlib import resources

import hclgen
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lark.exceptions import UnexpectedToken, VisitError

from tffix.syntax import ParseError, _tables, tablegen
from tffix.syntax import nodes as n
from tffix.syntax.lexer import tokenize
from tffix.syntax.parser import _Builder, _fast, _Invalid, _parse, _parse_fast, _Unexpected


def test_stored_tables_match_the_grammar():
    # After a grammar change: python -m tffix.syntax.tablegen
    assert tablegen.TABLES.read_text(encoding="utf-8") == tablegen.generate(), (
        "tffix/syntax/_tables.py is stale: run python -m tffix.syntax.tablegen"
    )


def test_every_reducer_has_a_builder_method():
    assert all(callable(getattr(_Builder, name, None)) for name in _tables.BUILDERS)


def test_tables_are_consistent():
    rules = _tables.rules(_Builder())
    states = range(len(_tables.ACTIONS))
    assert len(_tables.ACTIONS) == len(_tables.GOTO)
    for row, goto in zip(_tables.ACTIONS, _tables.GOTO):
        for terminal, action in row.items():
            assert terminal.isupper()
            if action >= 0:
                assert action in states
            else:
                _origin, size, how, reducer = rules[~action]
                assert (reducer is not None) == (how == _tables.CALL)
                assert how != _tables.PASS or size == 1
                assert how != _tables.APPEND or size == 2
        for name, state in goto.items():
            assert not name.isupper()
            if state < 0:
                state, by_terminal = _tables.SKIPS[~state]
                assert set(by_terminal.values()) <= set(states)
            assert state in states
    assert _tables.ACTIONS[_tables.END] == {"EOF": _tables.END}


def test_parsing_does_not_import_lark():
    code = (
        "import sys; from tffix.syntax import parse_module; parse_module('a = [1, \"x\"]\\n');"
        "print('lark' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


# --- The driver against Lark's own LALR parser over the same grammar and builder ---------


class _LarkToken(n.Token):
    """A token with the position attributes Lark reads from the last token at end of input."""

    __slots__ = ()
    line = column = end_line = end_column = None

    @property
    def start_pos(self):
        return self.start

    @property
    def end_pos(self):
        return self.start + len(self.text)


@functools.cache
def _lark():
    from lark import Lark
    from lark.lexer import Lexer

    class Tokens(Lexer):
        def __init__(self, conf):
            pass

        def lex(self, tokens):
            return iter(tokens)

    grammar = resources.files("tffix.syntax").joinpath("grammar.lark").read_text()
    return Lark(
        grammar,
        parser="lalr",
        lexer=Tokens,
        transformer=_Builder(),
        keep_all_tokens=True,
        maybe_placeholders=False,
    )


def _outcome(parse, text):
    """What a parse gives: the whole tree as text, or where and why it fails."""
    try:
        tokens = tokenize(text)
    except ParseError:
        return None
    try:
        value = parse(tokens)
    except _Unexpected as error:
        return ("unexpected", error.token.start, error.terminal, sorted(error.expected))
    except UnexpectedToken as error:
        terminal = "EOF" if error.token.type == "$END" else error.token.type
        expected = sorted("EOF" if t == "$END" else t for t in error.expected)
        return (
            "unexpected",
            tokens[-1].start if terminal == "EOF" else error.token.start,
            terminal,
            expected,
        )
    except VisitError as error:
        assert isinstance(error.orig_exc, _Invalid)
        return ("invalid", error.orig_exc.offset, error.orig_exc.message)
    except _Invalid as error:
        return ("invalid", error.offset, error.message)
    return _dump(value)


def _dump(value) -> str:
    out = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, n.Token):
            out.append(f"{item.type}:{item.text!r}:{item.prefix!r}:{item.start}")
        elif isinstance(item, tuple):
            out.append("(")
            stack.append(")")
            stack.extend(reversed(item))
        elif isinstance(item, str):
            out.append(item)
        elif item is None:
            out.append("None")
        else:
            out.append(type(item).__name__)
            stack.append(")")
            stack.extend(reversed([getattr(item, f.name) for f in dataclasses.fields(item)]))
    return " ".join(out)


def _our_parse(tokens):
    """The driver on the tokens as one chunk (it takes the lexer's chunks); the body it returns."""
    return _parse(iter([tokens]))[0]


def _lark_parse(tokens):
    return _lark().parse([_LarkToken(t.type, t.text, t.prefix, t.start) for t in tokens[:-1]])


def _mutations():
    """Valid documents with a few characters removed or inserted: most no longer parse."""
    return st.tuples(
        hclgen.documents(),
        st.lists(
            st.tuples(
                st.integers(0, 10**6),
                st.integers(0, 3),
                st.sampled_from(list('{}[]()"=,.:?\n$%<>*#~-!/\\ax1')),
            ),
            min_size=1,
            max_size=3,
        ),
    ).map(_mutate)


def _mutate(case):
    text, edits = case
    for at, removed, inserted in edits:
        at = at % (len(text) + 1)
        text = text[:at] + (inserted if removed == 0 else "") + text[at + removed :]
    return text


def _documents(test):
    """Both drivers' property tests: the same 300 documents and mutations, the same each run."""
    return settings(
        max_examples=300,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )(given(st.one_of(hclgen.documents(), _mutations()))(test))


@_documents
def test_driver_builds_what_lark_builds(text):
    ours = _outcome(_our_parse, text)
    assert ours == _outcome(_lark_parse, text)


def _fast_parse(tokens):
    return _parse_fast(iter([tokens]))[0]


def _fast_parse_in_chunks(tokens):
    """Chunks of 1 to 3 tokens: the folded runs are cut at every possible place."""
    chunks, at, size = [], 0, 1
    while at < len(tokens):
        chunks.append(tokens[at : at + size])
        at += size
        size = size % 3 + 1
    return _parse_fast(iter(chunks))[0]


@_documents
def test_fast_driver_builds_what_the_driver_builds(text):
    # The same tree from a text that parses; an error (anywhere: parse_module asks _parse
    # which one to report) from one that does not.
    exact = _outcome(_our_parse, text)
    for parse in (_fast_parse, _fast_parse_in_chunks):
        fast = _outcome(parse, text)
        if isinstance(exact, str):
            assert fast == exact
        elif exact is not None:
            assert isinstance(fast, tuple) and fast[0] in ("unexpected", "invalid")


def test_fast_driver_folds_strings_and_steps():
    text = 'a = x.y["k"].z\nb = ""\nc = "t" == x.y\n'
    tokens = tokenize(text)
    tree = _dump(_fast_parse(tokens))
    assert tree == _dump(_our_parse(tokens))
    assert tree.count("TemplateString") == 3 and tree.count("GetAttr") == 3


@pytest.mark.parametrize(
    "cls",
    [
        cls
        for cls in vars(n).values()
        if isinstance(cls, type) and issubclass(cls, n.Node) and dataclasses.is_dataclass(cls)
    ],
    ids=lambda cls: cls.__name__,
)
def test_fast_constructors_make_what_the_classes_make(cls):
    values = [n.Token("IDENT", f"v{i}", " ", i) for i in range(len(dataclasses.fields(cls)))]
    made, expected = _fast(cls)(*values), cls(*values)
    assert type(made) is cls
    assert [getattr(made, f.name) for f in dataclasses.fields(cls)] == values
    assert [getattr(expected, f.name) for f in dataclasses.fields(cls)] == values
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(made, dataclasses.fields(cls)[0].name, None)
