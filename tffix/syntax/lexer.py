"""A mode-aware HCL2 lexer that feeds Lark's LALR parser and loses no byte.

HCL's lexical structure depends on context in ways a regular lexer cannot see:
newlines end an item in a body or an object but are ignored inside ``()``,
``[]``, ``${}`` and for-expressions; ``}`` closes a brace or an interpolation;
``"`` opens a template whose text is not made of tokens; a heredoc ends on a
line holding its marker.  So this lexer keeps a stack of frames, one per open
bracket or template, and decides each of those questions from the top frame.

Losslessness comes from one convention: every token records the text between
the previous token and itself (spaces, comments, newlines that are not
significant) as its ``prefix``.  The trivia before the end of the file goes to
a final ``EOF`` token.  Joining ``prefix + text`` over all tokens gives the
input back, byte for byte.
"""
from __future__ import annotations

import re

from lark.lexer import Lexer

from tffix.syntax.errors import ParseError
from tffix.syntax.nodes import Token

# Trivia, newlines and the tokens of expression mode, in one pass of `re`.
_EXPR = re.compile(
    r"""
    (?P<ws>(?:[ \t\f\v\ufeff]|\r(?!\n))+)
  | (?P<nl>\r?\n)
  | (?P<comment>\#[^\r\n]*|//[^\r\n]*|/\*.*?\*/)
  | (?P<heredoc><<-?(?P<marker>[^\W\d][\w-]*)[ \t]*\r?\n)
  | (?P<number>[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)
  | (?P<ident>[^\W\d][\w-]*)
  | (?P<quote>")
  | (?P<op>\.\.\.|::|==|!=|<=|>=|&&|\|\||=>|~\}|[-+*/%<>=!?:,.(){}\[\]])
    """,
    re.VERBOSE | re.DOTALL,
)
_DIGITS = re.compile(r"[0-9]+")
# Text of a quoted template up to its end, an interpolation or a directive.
# `$${` and `%%{` are escapes for a literal `${` / `%{`.
_QUOTED_TEXT = re.compile(r"(?:\$\$\{|%%\{|\\.|[^\"\\$%\r\n]|\$(?!\{)|%(?!\{))+")
# One line of heredoc text (with its newline), stopping before `${` or `%{`.
_HEREDOC_TEXT = re.compile(r"(?:\$\$\{|%%\{|[^$%\n]|\$(?!\{)|%(?!\{))+\n?|\n")
# After `{` or `[`: does a for-expression start here?
_FOR_AHEAD = re.compile(r"(?:\s|\#[^\n]*|//[^\n]*|/\*.*?\*/)*for[ \t\r\n]+[^\W\d]", re.DOTALL)

_OPERATORS = {
    "...": "ELLIPSIS", "::": "DCOLON", "==": "EQEQ", "!=": "NEQ", "<=": "LE", ">=": "GE",
    "&&": "AND", "||": "OR", "=>": "ARROW", "~}": "TEMPLATE_CLOSE",
    "-": "MINUS", "+": "PLUS", "*": "STAR", "/": "SLASH", "%": "PERCENT", "<": "LT",
    ">": "GT", "=": "EQUAL", "!": "BANG", "?": "QMARK", ":": "COLON", ",": "COMMA",
    ".": "DOT", "(": "LPAR", ")": "RPAR", "{": "LBRACE", "}": "RBRACE", "[": "LSQB",
    "]": "RSQB",
}
_CLOSERS = {"RPAR": "(", "RSQB": "[", "RBRACE": "{"}
_DIRECTIVE_KEYWORDS = {
    "if": "D_IF", "else": "D_ELSE", "endif": "D_ENDIF", "for": "D_FOR", "endfor": "D_ENDFOR",
}
# A newline right after one of these is trivia: the grammar never needs it.
_NO_NEWLINE_AFTER = frozenset({None, "NL", "LBRACE", "COMMA"})

# Frame kinds.  Newlines are significant in a body or object brace ("{")
# and at top level ("body"); everything else ignores them.
_SIGNIFICANT = frozenset({"body", "{"})


class _Frame:
    __slots__ = ("kind", "marker", "for_expr")

    def __init__(self, kind: str, marker: str = "", for_expr: bool = False):
        self.kind = kind          # body { ( [ ${ %{ " heredoc
        self.marker = marker      # heredoc end marker
        self.for_expr = for_expr  # a `[for ...]` / `{for ...}` bracket


def tokenize(text: str) -> list[Token]:
    """All tokens of ``text``, the last one ``EOF`` carrying the trailing trivia."""
    tokens: list[Token] = []
    append = tokens.append
    stack = [_Frame("body")]
    pos = 0
    trivia_start = 0
    prev_type = None          # type of the last significant token
    directive_keyword = False  # next identifier is a directive keyword
    length = len(text)
    expr_match = _EXPR.match

    while True:
        frame = stack[-1]
        kind = frame.kind
        if kind == '"':
            if pos >= length:
                raise ParseError.at(text, pos, "unterminated string; expected '\"'")
            ch = text[pos]
            if ch == '"':
                append(Token("CQUOTE", '"', text[trivia_start:pos], pos))
                stack.pop()
                pos += 1
            elif text.startswith("${", pos) or text.startswith("%{", pos):
                pos = _open_template_expr(text, pos, trivia_start, stack, append)
                directive_keyword = tokens[-1].type == "DIRECTIVE_OPEN"
            else:
                m = _QUOTED_TEXT.match(text, pos)
                if m is None:
                    raise ParseError.at(text, pos, "unterminated string; expected '\"'")
                append(Token("TEMPLATE_TEXT", m.group(), text[trivia_start:pos], pos))
                pos = m.end()
            trivia_start = pos
            prev_type = "TEMPLATE"
            continue
        if kind == "heredoc":
            if pos >= length:
                raise ParseError.at(text, pos, f"unterminated heredoc; expected {frame.marker!r}")
            if text[pos - 1] == "\n":
                end = _heredoc_end(text, pos, frame.marker)
                if end is not None:
                    append(Token("HEREDOC_CLOSE", text[pos:end], text[trivia_start:pos], pos))
                    stack.pop()
                    pos = trivia_start = end
                    prev_type = "HEREDOC_CLOSE"
                    continue
            if text.startswith("${", pos) or text.startswith("%{", pos):
                pos = _open_template_expr(text, pos, trivia_start, stack, append)
                directive_keyword = tokens[-1].type == "DIRECTIVE_OPEN"
            else:
                m = _HEREDOC_TEXT.match(text, pos)
                append(Token("TEMPLATE_TEXT", m.group(), text[trivia_start:pos], pos))
                pos = m.end()
            trivia_start = pos
            prev_type = "TEMPLATE"
            continue

        # Expression or body mode.
        m = expr_match(text, pos)
        if m is None:
            if pos >= length:
                break
            if text.startswith("/*", pos):
                raise ParseError.at(text, pos, "unterminated comment; expected '*/'")
            raise ParseError.at(text, pos, f"unexpected character {text[pos]!r}")
        group = m.lastgroup
        value = m.group()
        if group == "ws" or group == "comment":
            pos = m.end()
            continue
        if group == "nl":
            if kind in _SIGNIFICANT and not frame.for_expr and prev_type not in _NO_NEWLINE_AFTER:
                append(Token("NL", value, text[trivia_start:pos], pos))
                prev_type = "NL"
                trivia_start = m.end()
            pos = m.end()
            continue
        start = pos
        prefix = text[trivia_start:start]
        if group == "ident":
            type_ = "IDENT"
            if directive_keyword:
                type_ = _DIRECTIVE_KEYWORDS.get(value, "IDENT")
                directive_keyword = False
            elif prev_type != "DOT":
                if value == "for" and frame.for_expr and prev_type in ("LSQB", "LBRACE"):
                    type_ = "FOR"
                elif kind == "%{" and value == "in":
                    type_ = "IN"
                elif frame.for_expr and (value == "in" or value == "if"):
                    type_ = value.upper()
            append(Token(type_, value, prefix, start))
        elif group == "number":
            if prev_type == "DOT":
                # Legacy index `a.0.b`: only the digits belong to this step.
                value = _DIGITS.match(text, pos).group()
            append(Token("NUMBER", value, prefix, start))
        elif group == "quote":
            append(Token("OQUOTE", '"', prefix, start))
            stack.append(_Frame('"'))
        elif group == "heredoc":
            append(Token("HEREDOC_OPEN", value, prefix, start))
            stack.append(_Frame("heredoc", marker=m.group("marker")))
        else:
            type_ = _OPERATORS[value]
            if type_ == "RBRACE" and kind in ("${", "%{"):
                type_ = "TEMPLATE_CLOSE"
            if type_ == "TEMPLATE_CLOSE":
                if kind not in ("${", "%{"):
                    raise ParseError.at(text, start, f"unexpected {value!r}")
                stack.pop()
            elif type_ in ("LBRACE", "LSQB", "LPAR"):
                is_for = type_ != "LPAR" and _FOR_AHEAD.match(text, start + 1) is not None
                stack.append(_Frame(value, for_expr=is_for))
            elif type_ in _CLOSERS and kind == _CLOSERS[type_]:
                stack.pop()
            append(Token(type_, value, prefix, start))
        prev_type = tokens[-1].type
        pos = trivia_start = start + len(value)

    tokens.append(Token("EOF", "", text[trivia_start:], length))
    return tokens


def _open_template_expr(text, pos, trivia_start, stack, append) -> int:
    """Lex ``${`` / ``%{`` (with an optional ``~``) and push its frame."""
    opener = text[pos : pos + 2]
    width = 3 if text.startswith("~", pos + 2) else 2
    type_ = "INTERP_OPEN" if opener == "${" else "DIRECTIVE_OPEN"
    append(Token(type_, text[pos : pos + width], text[trivia_start:pos], pos))
    stack.append(_Frame(opener))
    return pos + width


def _heredoc_end(text: str, pos: int, marker: str) -> int | None:
    """End offset of the closing marker if the line at ``pos`` is one, else None."""
    i = pos
    length = len(text)
    while i < length and text[i] in " \t":
        i += 1
    if not text.startswith(marker, i):
        return None
    end = i + len(marker)
    j = end
    while j < length and text[j] in " \t":
        j += 1
    if j == length or text[j] == "\n" or text.startswith("\r\n", j):
        return end
    return None


class HCLLexer(Lexer):
    """Lark's entry point for a custom lexer: the parser asks it for tokens."""

    def __init__(self, lexer_conf):
        pass

    def lex(self, tokens):
        # `parse_module` tokenizes first (it needs the EOF token's trivia) and
        # hands Lark the token list as custom input.
        return iter(tokens)
