"""Generate ``tffix/syntax/_tables.py``: Lark's LALR(1) tables for ``grammar.lark``, stored as Python.

    python -m tffix.syntax.tablegen          # rewrite _tables.py after changing the grammar

Lark analyses the grammar (the slow part: about a second) here, at development time;
``parse_module`` only loads the stored tables and never imports Lark.  The stored
module is canonical: states are numbered breadth first from the start state,
visiting symbols in sorted order, so the same grammar always gives the same text
whatever order Lark's analysis produced (``tests/test_parse_tables.py`` regenerates
it and compares).

Each grammar rule gets a reducer that gives the parser the value Lark's own tree
builder would give a ``Transformer`` with ``keep_all_tokens=True``: rules named
``_x`` are inlined into their parent (their children spliced in), ``?rule`` with a
single child is that child, and every other rule calls the builder method named by
its alias or its name with the flat list of children.
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from lark.grammar import Rule, Symbol
    from lark.lexer import LexerState, Token
    from lark.parsers.lalr_analysis import ParseTableBase

TABLES = Path(__file__).with_name("_tables.py")


def _analyse() -> tuple[list[Rule], ParseTableBase[int]]:
    """Lark's rules and integer parse table for the grammar."""
    from lark import Lark
    from lark.lexer import Lexer

    class _NoLexer(Lexer):  # tokens come from tffix.syntax.lexer; Lark only needs a class here
        def __init__(self, lexer_conf: object) -> None:
            pass

        def lex(self, lexer_state: LexerState, parser_state: object) -> Iterator[Token]:  # pragma: no cover
            raise NotImplementedError("never called: tokens come from tffix.syntax.lexer")

    grammar = resources.files("tffix.syntax").joinpath("grammar.lark").read_text()
    lark = Lark(grammar, parser="lalr", lexer=_NoLexer, keep_all_tokens=True, maybe_placeholders=False)
    return lark.rules, lark.parser.parser.parser.parse_table


def generate() -> str:
    """The text of ``_tables.py`` for the current grammar."""
    import lark
    from lark.parsers.lalr_analysis import Shift

    rules, table = _analyse()
    rule_index = {rule: i for i, rule in enumerate(rules)}
    by_origin: dict[str, list[Rule]] = {}
    for rule in rules:
        by_origin.setdefault(rule.origin.name, []).append(rule)

    # What each nonterminal contributes to its parent's children: "one" value, or a
    # "list" to splice in (the helper rules Lark makes for `*`, `+` and `_name` rules).
    contributes: dict[str, str] = {}
    changed = True
    while changed:
        changed = False
        for origin, alternatives in by_origin.items():
            if not origin.startswith("_") or all(
                len(r.expansion) == 1 and _contributes(r.expansion[0], contributes) == "one"
                for r in alternatives
            ):
                kind = "one"
            else:
                kind = "list"
            if contributes.get(origin) != kind:
                contributes[origin] = kind
                changed = True

    # Canonical state numbers: breadth first from the start state, symbols in sorted order.
    start, end = table.start_states["start"], table.end_states["start"]
    order, seen = [start], {start}
    for state in order:
        for symbol in sorted(table.states[state]):
            action, argument = table.states[state][symbol]
            if action is Shift and argument not in seen:
                seen.add(argument)
                order.append(argument)
    number = {state: i for i, state in enumerate(order)}

    # Lark's end-of-input terminal `$END` is the lexer's EOF token.  In the end
    # state (the start rule reduced) Lark accepts; here the end state shifts EOF,
    # the last token, and the driver's loop ends.
    actions, gotos = [], []
    for state in order:
        row: dict[str, int] = {}
        goto: dict[str, int] = {}
        for symbol in sorted(table.states[state]):
            action, argument = table.states[state][symbol]
            terminal = "EOF" if symbol == "$END" else symbol
            if action is Shift:
                (row if symbol.isupper() else goto)[terminal] = number[argument]
            else:
                row[terminal] = ~rule_index[argument]
        if state == end:
            assert not row and not goto, "Lark accepts in the end state; it has no action of its own"
            row["EOF"] = number[end]
        actions.append(row)
        gotos.append(goto)

    # Unit reductions (a rule whose value is its single child's: `?expression:
    # operation`, `_step: get_attr`) only change the state.  After a goto, the
    # ones the lookahead leads to are done here: the goto names the state the
    # last of them reaches, for each lookahead (a parse reduces no differently,
    # and errors are found in the same state with the same expected terminals).
    # Only the lookaheads that commonly end an expression get an entry (over 99%
    # of such reductions in real code); others take the unit reductions one by one.
    passes = {i for i, rule in enumerate(rules) if _reducer(rule, contributes) is None}
    skips: list[tuple[int, int]] = []  # (state, lookaheads index)
    lookaheads: list[dict[str, int]] = []  # terminal -> the state its unit reductions lead to
    plain = [dict(goto) for goto in gotos]
    for below, goto in enumerate(gotos):
        for nonterminal, target in plain[below].items():
            by_terminal: dict[str, int] = {}
            for terminal in sorted(_SKIP_LOOKAHEADS & set(actions[target])):
                state = target
                while (
                    (action := actions[state].get(terminal)) is not None and action < 0 and ~action in passes
                ):
                    state = plain[below][str(rules[~action].origin.name)]
                if state != target:
                    by_terminal[terminal] = state
            if by_terminal:
                if by_terminal not in lookaheads:
                    lookaheads.append(by_terminal)
                skip = (target, lookaheads.index(by_terminal))
                if skip not in skips:
                    skips.append(skip)
                goto[nonterminal] = ~skips.index(skip)

    terminals = sorted({terminal for row in actions for terminal in row})
    nonterminals = sorted({nonterminal for goto in gotos for nonterminal in goto})
    builders = sorted(
        {
            str(rule.alias or rule.origin.name)
            for rule in rules
            if not rule.origin.name.startswith("_") and _reducer(rule, contributes) is not None
        }
    )
    lines = [
        '"""LALR(1) tables for grammar.lark. Generated by `python -m tffix.syntax.tablegen`: do not edit.',
        "",
        f"Lark {lark.__version__} analysed the grammar; tests/test_parse_tables.py fails when this file",
        "no longer matches it.  tffix/syntax/parser.py reads them.",
        '"""',
        "",
        f"START = {number[start]}",
        f"END = {number[end]}",
        "",
        "# The tables are stored as flat tuples of small integers (quick to compile and to load)",
        "# and made into dictionaries here.",
        f"TERMINALS = {tuple(terminals)!r}",
        f"NONTERMINALS = {tuple(nonterminals)!r}",
        "",
        "# ACTIONS[state][terminal]: the next state (shift) if >= 0, else ~rule (reduce by RULES[~value]).",
        "# The end state shifts EOF: the input is accepted.",
        "_ACTIONS = (",
        *_rows([_pairs(row, terminals) for row in actions]),
        ")",
        "ACTIONS = tuple({TERMINALS[row[i]]: row[i + 1] for i in range(0, len(row), 2)} for row in _ACTIONS)",
        "",
        "# GOTO[state][nonterminal]: the state after reducing to that nonterminal if >= 0, else",
        "# SKIPS[~value] = (that state, {lookahead: the state after the unit reductions that follow}).",
        "_GOTO = (",
        *_rows([_pairs(goto, nonterminals) for goto in gotos]),
        ")",
        "GOTO = tuple({NONTERMINALS[row[i]]: row[i + 1] for i in range(0, len(row), 2)} for row in _GOTO)",
        "_LOOKAHEADS = (",
        *_rows([_pairs(by_terminal, terminals) for by_terminal in lookaheads]),
        ")",
        "_SKIPS = (",
        *_rows(
            [tuple(x for skip in skips[i : i + 16] for x in skip) for i in range(0, len(skips), 16)],
            number=False,
        ),
        ")",
        "_LOOKAHEADS = tuple({TERMINALS[row[i]]: row[i + 1] for i in range(0, len(row), 2)} for row in _LOOKAHEADS)",
        "SKIPS = tuple((row[i], _LOOKAHEADS[row[i + 1]]) for row in _SKIPS for i in range(0, len(row), 2))",
        "",
        "# Builder methods the reducers call, each with the flat list of a rule's children.",
        f"BUILDERS = {tuple(builders)!r}",
        "",
        "",
        "# How a reduction makes the nonterminal's value from the values of the rule's symbols:",
        "PASS = 0    # the single value, unchanged",
        "CALL = 1    # reducer(list of the values)",
        "LIST = 2    # the list of the values (a `*`/`+` repetition starts)",
        "APPEND = 3  # the first value, a list, with the second appended (a repetition grows)",
        "",
        "",
        "def rules(b):",
        '    """RULES[i] = (nonterminal, length, how, reducer) for rule i; ``b`` is the builder,',
        "    an object with the methods named in BUILDERS.",
        '    """',
        *(f"    b_{name} = b.{name}" for name in builders),
        "",
        "    def _extend(c):",
        "        c[0].extend(c[1:])",
        "        return c[0]",
        "",
        "    return (",
    ]
    for rule in rules:
        reducer = _reducer(rule, contributes)
        how = {None: "PASS", "lambda c: c": "LIST", "_append": "APPEND"}.get(reducer, "CALL")
        if how != "CALL":
            reducer = None
        shown = " ".join(s.name for s in rule.expansion) or "<empty>"
        lines.append(
            f"        ({str(rule.origin.name)!r}, {len(rule.expansion)}, {how}, {reducer}),  "
            f"# {rule_index[rule]}: {rule.origin.name}: {shown}" + (f" -> {rule.alias}" if rule.alias else "")
        )
    lines += ["    )", ""]
    return "\n".join(lines)


_SKIP_LOOKAHEADS = frozenset(
    {
        "NL",
        "COMMA",
        "RPAR",
        "RSQB",
        "RBRACE",
        "TEMPLATE_CLOSE",
        "CQUOTE",
        "TEMPLATE_TEXT",
        "EQUAL",
        "COLON",
        "ARROW",
        "IF",
        "QMARK",
        "DOT",
        "LSQB",
        "EQEQ",
        "NEQ",
        "AND",
        "OR",
    }
)


def _contributes(symbol: Symbol, contributes: Mapping[str, str]) -> str:
    return "one" if symbol.is_term else contributes.get(symbol.name, "one")


def _reducer(rule: Rule, contributes: Mapping[str, str]) -> str | None:
    """Python source of the reducer for ``rule``, over ``c`` (the values of its symbols)."""
    kinds = [_contributes(s, contributes) for s in rule.expansion]
    origin = str(rule.origin.name)
    if origin.startswith("_"):
        if contributes[origin] == "one":
            return None  # a single value passed up unchanged
        if kinds and rule.expansion[0].name == origin and all(k == "one" for k in kinds[1:]):
            return "_append" if len(kinds) == 2 else "_extend"  # left recursion: grow the list in place
        return "lambda c: c" if all(k == "one" for k in kinds) else f"lambda c: {_flat(kinds)}"
    if rule.options.expand1 and not rule.alias and kinds == ["one"]:
        return None  # `?rule` with one child: the child
    name = f"b_{rule.alias or origin}"
    flat = "c" if all(k == "one" for k in kinds) else "c[0]" if kinds == ["list"] else _flat(kinds)
    if rule.options.expand1 and not rule.alias:
        return f"lambda c: (lambda f: f[0] if len(f) == 1 else {name}(f))({flat})"
    return name if flat == "c" else f"lambda c: {name}({flat})"


def _flat(kinds: Sequence[str]) -> str:
    return "[" + ", ".join(f"*c[{i}]" if kind == "list" else f"c[{i}]" for i, kind in enumerate(kinds)) + "]"


def _pairs(mapping: Mapping[str, int], names: Sequence[str]) -> tuple[int, ...]:
    index = {name: i for i, name in enumerate(names)}
    return tuple(x for key, value in mapping.items() for x in (index[key], value))


def _rows(rows: Sequence[object], number: bool = True) -> list[str]:
    return [f"    {row!r}," + (f"  # {i}" if number else "") for i, row in enumerate(rows)]


def main() -> int:
    text = generate()
    if TABLES.exists() and TABLES.read_text(encoding="utf-8") == text:
        print(f"{TABLES.name} is up to date")
        return 0
    TABLES.write_text(text, encoding="utf-8")
    print(f"wrote {TABLES}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
