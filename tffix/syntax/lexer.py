"""A mode-aware HCL2 lexer that feeds the LALR parser and loses no byte.

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
import unicodedata

from tffix.syntax.errors import ParseError
from tffix.syntax.nodes import Token

# Expression mode: trivia, then one token, in a single `re` match.  Where
# newlines are not significant they are part of the trivia.
# Possessive quantifiers: trivia never gives back part of a comment to a token.
_TRIVIA = r"(?:[ \t\f\v\ufeff]|\r(?!\n)|\#[^\r\n]*+|//[^\r\n]*+|/\*.*?\*/)*+"
_TRIVIA_NL = r"(?:[ \t\f\v\ufeff\r\n]|\#[^\r\n]*+|//[^\r\n]*+|/\*.*?\*/)*+"
_TOKEN = r"""(?:
    (?P<nl>\r?\n)
  | (?P<ident>[^\W\d][\w-]*)
  | (?P<heredoc><<-?(?P<marker>[^\W\d][\w-]*)[ \t]*\r?\n)
  | (?P<op>\.\.\.|::|==|!=|<=|>=|&&|\|\||=>|~\}|[-+*/%<>=!?:,.(){}\[\]])
  | (?P<quote>")
  | (?P<number>[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)
  | (?P<end>\Z)
)"""
_EXPR = re.compile(_TRIVIA + _TOKEN, re.VERBOSE | re.DOTALL)
_TRIVIA_ONLY = re.compile(_TRIVIA_NL, re.DOTALL)
_EXPR_NL = re.compile(_TRIVIA_NL + _TOKEN, re.VERBOSE | re.DOTALL)
_DIGITS = re.compile(r"[0-9]+")
# Text of a quoted template up to its end, an interpolation or a directive.
# `$${` and `%%{` are escapes for a literal `${` / `%{`.
_QUOTED_TEXT = re.compile(
    r"(?:\$\$\{|%%\{|\\(?:[nrt\"\\]|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})|[^\"\\$%\r\n]|\$(?!\{)|%(?!\{))+")
# One line of heredoc text (with its newline), stopping before `${` or `%{`.
_HEREDOC_TEXT = re.compile(r"(?:\$\$\{|%%\{|[^$%\n]|\$(?!\{)|%(?!\{))+\n?|\n")
# After `{` or `[`: does a for-expression start here?
_FOR_AHEAD = re.compile(
    r"(?:\s|\#[^\n]*+|//[^\n]*+|/\*.*?\*/)*+for\b(?:\s|\#[^\n]*+|//[^\n]*+|/\*.*?\*/)*+[^\W\d]", re.DOTALL)

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
    __slots__ = ("kind", "marker", "for_expr", "newlines")

    def __init__(self, kind: str, marker: str = "", for_expr: bool = False):
        self.kind = kind          # body { ( [ ${ %{ " heredoc
        self.marker = marker      # heredoc end marker
        self.for_expr = for_expr  # a `[for ...]` / `{for ...}` bracket
        self.newlines = kind in _SIGNIFICANT and not for_expr


def tokenize(text: str) -> list[Token]:
    """All tokens of ``text``, the last one ``EOF`` carrying the trailing trivia."""
    tokens: list[Token] = []
    append = tokens.append
    stack = [_Frame("body")]
    pos = 0
    prev_type = None          # type of the last significant token
    directive_keyword = False  # next identifier is a directive keyword
    length = len(text)
    expr_match = _EXPR.match
    expr_nl_match = _EXPR_NL.match

    while True:
        frame = stack[-1]
        kind = frame.kind
        if kind == '"':
            if pos >= length:
                raise ParseError.at(text, pos, "unterminated string; expected '\"'")
            ch = text[pos]
            if ch == '"':
                append(Token("CQUOTE", '"', "", pos))
                stack.pop()
                pos += 1
            elif text.startswith("${", pos) or text.startswith("%{", pos):
                pos = _open_template_expr(text, pos, stack, append)
                directive_keyword = tokens[-1].type == "DIRECTIVE_OPEN"
            else:
                m = _QUOTED_TEXT.match(text, pos)
                if m is None:
                    if ch == "\\":
                        raise ParseError.at(text, pos, f"invalid escape sequence {text[pos:pos + 2]!r}")
                    raise ParseError.at(text, pos, "unterminated string; expected '\"'")
                append(Token("TEMPLATE_TEXT", m.group(), "", pos))
                pos = m.end()
            prev_type = "TEMPLATE"
            continue
        if kind == "heredoc":
            if pos >= length:
                raise ParseError.at(text, pos, f"unterminated heredoc; expected {frame.marker!r}")
            if text[pos - 1] == "\n":
                end = _heredoc_end(text, pos, frame.marker)
                if end is not None:
                    append(Token("HEREDOC_CLOSE", text[pos:end], "", pos))
                    stack.pop()
                    pos = end
                    prev_type = "HEREDOC_CLOSE"
                    continue
            if text.startswith("${", pos) or text.startswith("%{", pos):
                pos = _open_template_expr(text, pos, stack, append)
                directive_keyword = tokens[-1].type == "DIRECTIVE_OPEN"
            else:
                m = _HEREDOC_TEXT.match(text, pos)
                append(Token("TEMPLATE_TEXT", m.group(), "", pos))
                pos = m.end()
            prev_type = "TEMPLATE"
            continue

        # Expression or body mode.
        if frame.newlines and prev_type not in _NO_NEWLINE_AFTER:
            m = expr_match(text, pos)
        else:
            m = expr_nl_match(text, pos)
        if m is None:
            pos = _TRIVIA_ONLY.match(text, pos).end()
            raise ParseError.at(text, pos, f"unexpected character {text[pos]!r}")
        group = m.lastgroup
        start = m.start(group)
        end = m.end()
        value = text[start:end]
        prefix = text[pos:start]
        if group == "ident":
            type_ = "IDENT"
            if end < length and text[end] > "\x7f":
                end = _identifier_end(text, end)
                value = text[start:end]
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
        elif group == "op":
            type_ = _OPERATORS[value]
            if type_ == "SLASH" and text.startswith("/*", start):
                raise ParseError.at(text, start, "unterminated comment; expected '*/'")
            if type_ == "RBRACE" and (kind == "${" or kind == "%{"):
                type_ = "TEMPLATE_CLOSE"
            if type_ == "TEMPLATE_CLOSE":
                if kind != "${" and kind != "%{":
                    raise ParseError.at(text, start, f"unexpected {value!r}")
                stack.pop()
            elif type_ == "LBRACE" or type_ == "LSQB":
                stack.append(_Frame(value, for_expr=_FOR_AHEAD.match(text, end) is not None))
            elif type_ == "LPAR":
                stack.append(_Frame(value))
            elif type_ in _CLOSERS and kind == _CLOSERS[type_]:
                stack.pop()
        elif group == "nl":
            type_ = "NL"
        elif group == "quote":
            type_ = "OQUOTE"
            stack.append(_Frame('"'))
        elif group == "number":
            type_ = "NUMBER"
            if prev_type == "DOT":
                # Legacy index `a.0.b`: only the digits belong to this step.
                value = _DIGITS.match(text, start).group()
                end = start + len(value)
            elif text.startswith(".", end) and text[end + 1 : end + 2].isdigit():
                raise ParseError.at(text, start, f"invalid number literal {value}.{text[end + 1]}...")
        elif group == "heredoc":
            type_ = "HEREDOC_OPEN"
            stack.append(_Frame("heredoc", marker=m.group("marker")))
        else:  # end of input: what is left is the file's trailing trivia
            break
        append(Token(type_, value, prefix, start))
        prev_type = type_
        pos = end

    tokens.append(Token("EOF", "", text[pos:], length))
    return tokens


def _identifier_end(text: str, end: int) -> int:
    """Extend an identifier over combining marks, which HCL's ID_Continue includes and ``\\w`` does not."""
    length = len(text)
    while end < length:
        ch = text[end]
        if ch.isalnum() or ch in "_-" or unicodedata.category(ch) in ("Mn", "Mc", "Pc"):
            end += 1
        else:
            break
    return end


def _open_template_expr(text, pos, stack, append) -> int:
    """Lex ``${`` / ``%{`` (with an optional ``~``) and push its frame."""
    opener = text[pos : pos + 2]
    width = 3 if text.startswith("~", pos + 2) else 2
    type_ = "INTERP_OPEN" if opener == "${" else "DIRECTIVE_OPEN"
    append(Token(type_, text[pos : pos + width], "", pos))
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
