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
from collections.abc import Iterator
from typing import TYPE_CHECKING

from tffix.syntax.errors import ParseError
from tffix.syntax.nodes import Token

if TYPE_CHECKING:
    from collections.abc import Callable

# Expression mode: trivia, then one token, in a single `re` match.  Where
# newlines are not significant they are part of the trivia.  The commonest
# pairs and runs come in one match and are split in Python, which costs less
# than a match per token: `name =` (`assign`) and `a.b.c` (`chain`), both as
# optional tails of `ident`, so a name is scanned once whatever follows it.
# Possessive quantifiers everywhere a run repeats: trivia never gives back part
# of a comment to a token, and `re` keeps no backtracking state per repetition
# (a greedy `(?:a|b)+` over a 10 MB string literal costs over a gigabyte).
_TRIVIA = r"(?:[ \t\f\v\ufeff]++|\r(?!\n)|\#[^\r\n]*+|//[^\r\n]*+|/\*.*?\*/)*+"
_TRIVIA_NL = r"(?:[ \t\f\v\ufeff\r\n]++|\#[^\r\n]*+|//[^\r\n]*+|/\*.*?\*/)*+"
_TOKEN = r"""(?:
    (?P<ident>[^\W\d][\w-]*+)(?:
        (?P<assign>[ \t]*+=(?![=>]))
      | (?P<chain>(?:\.[^\W\d][\w-]*+)++(?![^\x00-\x7f]))
    )?+
  | (?P<nl>\r?\n)
  | (?P<string>"[^"\\$%\r\n]*+")
  | (?P<heredoc><<-?(?P<marker>[^\W\d][\w-]*+)[ \t]*+\r?\n)
  | (?P<op>\.\.\.|::|==|!=|<=|>=|&&|\|\||=>|[-+*%<>=!?:,.]|/(?!\*))
  | (?P<open>[{\[(])
  | (?P<close>[}\])]|~\})
  | (?P<quote>")
  | (?P<number>[0-9]++(?:\.[0-9]++)?+(?:[eE][+-]?[0-9]++)?+)
  | (?P<comment>/\*)
  | (?P<end>\Z)
)"""
_EXPR = re.compile(_TRIVIA + _TOKEN, re.VERBOSE | re.DOTALL)
_TRIVIA_ONLY = re.compile(_TRIVIA_NL, re.DOTALL)
_EXPR_NL = re.compile(_TRIVIA_NL + _TOKEN, re.VERBOSE | re.DOTALL)
# The numbers of `_TOKEN`'s groups, which `m.lastindex` gives (checked below).
_IDENT, _ASSIGN, _CHAIN, _NL, _STRING, _HEREDOC, _MARKER, _OP = 1, 2, 3, 4, 5, 6, 7, 8
_OPEN, _CLOSE, _QUOTE, _NUMBER, _COMMENT, _END = 9, 10, 11, 12, 13, 14
assert (
    _EXPR.groupindex
    == _EXPR_NL.groupindex
    == {
        "ident": _IDENT,
        "assign": _ASSIGN,
        "chain": _CHAIN,
        "nl": _NL,
        "string": _STRING,
        "heredoc": _HEREDOC,
        "marker": _MARKER,
        "op": _OP,
        "open": _OPEN,
        "close": _CLOSE,
        "quote": _QUOTE,
        "number": _NUMBER,
        "comment": _COMMENT,
        "end": _END,
    }
)
_DIGITS = re.compile(r"[0-9]+")
# Text of a quoted template up to its end, an interpolation or a directive.
# `$${` and `%%{` are escapes for a literal `${` / `%{`.
_QUOTED_TEXT = re.compile(
    r"(?:[^\"\\$%\r\n]++|\$\$\{|%%\{|\\(?:[nrt\"\\]|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})|\$(?!\{)|%(?!\{))++"
)
# One line of heredoc text (with its newline), stopping before `${` or `%{`.
_HEREDOC_TEXT = re.compile(r"(?:[^$%\n]++|\$\$\{|%%\{|\$(?!\{)|%(?!\{))++\n?|\n")
# After `{` or `[`: does a for-expression start here?
_FOR_AHEAD = re.compile(
    r"(?:\s++|\#[^\n]*+|//[^\n]*+|/\*.*?\*/)*+for\b(?:\s++|\#[^\n]*+|//[^\n]*+|/\*.*?\*/)*+[^\W\d]", re.DOTALL
)

_OPERATORS = {
    "...": "ELLIPSIS",
    "::": "DCOLON",
    "==": "EQEQ",
    "!=": "NEQ",
    "<=": "LE",
    ">=": "GE",
    "&&": "AND",
    "||": "OR",
    "=>": "ARROW",
    "~}": "TEMPLATE_CLOSE",
    "-": "MINUS",
    "+": "PLUS",
    "*": "STAR",
    "/": "SLASH",
    "%": "PERCENT",
    "<": "LT",
    ">": "GT",
    "=": "EQUAL",
    "!": "BANG",
    "?": "QMARK",
    ":": "COLON",
    ",": "COMMA",
    ".": "DOT",
    "(": "LPAR",
    ")": "RPAR",
    "{": "LBRACE",
    "}": "RBRACE",
    "[": "LSQB",
    "]": "RSQB",
}
_DIRECTIVE_KEYWORDS = {
    "if": "D_IF",
    "else": "D_ELSE",
    "endif": "D_ENDIF",
    "for": "D_FOR",
    "endfor": "D_ENDFOR",
}
# A newline right after one of these is trivia: the grammar never needs it.
_NO_NEWLINE_AFTER = frozenset({None, "NL", "LBRACE", "COMMA"})

# Frames: (kind, heredoc end marker, a `[for ...]` / `{for ...}` bracket, newlines significant).
# Kinds: body { ( [ ${ %{ " heredoc.  Newlines are significant in a body or
# object brace and at top level; everything else ignores them.
_BODY = ("body", "", False, True)
_FRAMES = {
    "{": ("{", "", False, True),
    "[": ("[", "", False, False),
    "(": ("(", "", False, False),
    "${": ("${", "", False, False),
    "%{": ("%{", "", False, False),
    '"': ('"', "", False, False),
}
_FOR_FRAMES = {"{": ("{", "", True, False), "[": ("[", "", True, False)}
_CLOSES = {")": "(", "]": "[", "}": "{"}


# Tokens a chunk of `token_chunks` holds: enough to make the generator's cost nothing.
CHUNK = 4096


def tokenize(text: str) -> list[Token]:
    """All tokens of ``text``, the last one ``EOF`` carrying the trailing trivia."""
    tokens: list[Token] = []
    for chunk in token_chunks(text):
        tokens += chunk
    return tokens


def token_chunks(text: str, size: int = CHUNK) -> Iterator[list[Token]]:
    """The tokens of ``text`` in order, in lists of about ``size`` (the last one ends with ``EOF``).

    The parser takes them from here: a list of every token would stay alive beside the
    tree that holds them until the whole file is parsed (8 bytes and more a token); a
    generator of single tokens costs the parse a tenth of its time.  A lexical error is
    raised when the chunk holding it is made.
    """
    tokens: list[Token] = []
    append = tokens.append
    stack = [_BODY]
    kind, marker, for_expr, newlines = _BODY
    pos = 0
    prev_type = None  # type of the last significant token
    directive_keyword = False  # next identifier is a directive keyword
    length = len(text)
    expr_match = _EXPR.match
    expr_nl_match = _EXPR_NL.match
    operators = _OPERATORS
    no_newline_after = _NO_NEWLINE_AFTER
    token = Token
    # One string object per distinct identifier and short trivia: a large file
    # repeats a few hundred of them millions of times.
    shared: dict[str, str] = {}
    share = shared.setdefault

    while True:
        if len(tokens) >= size:
            yield tokens
            tokens = []
            append = tokens.append
        if kind == '"':
            if pos >= length:
                raise ParseError.at(text, pos, "unterminated string; expected '\"'")
            ch = text[pos]
            if ch == '"':
                append(token("CQUOTE", '"', "", pos))
                stack.pop()
                kind, marker, for_expr, newlines = stack[-1]
                pos += 1
            elif text.startswith("${", pos) or text.startswith("%{", pos):
                pos = _open_template_expr(text, pos, stack, append)
                kind, marker, for_expr, newlines = stack[-1]
                directive_keyword = kind == "%{"
            else:
                m = _QUOTED_TEXT.match(text, pos)
                if m is None:
                    if ch == "\\":
                        raise ParseError.at(text, pos, f"invalid escape sequence {text[pos : pos + 2]!r}")
                    raise ParseError.at(text, pos, "unterminated string; expected '\"'")
                append(token("TEMPLATE_TEXT", m.group(), "", pos))
                pos = m.end()
            prev_type = "TEMPLATE"
            continue
        if kind == "heredoc":
            if pos >= length:
                raise ParseError.at(text, pos, f"unterminated heredoc; expected {marker!r}")
            if text[pos - 1] == "\n":
                end = _heredoc_end(text, pos, marker)
                if end is not None:
                    append(token("HEREDOC_CLOSE", text[pos:end], "", pos))
                    stack.pop()
                    kind, marker, for_expr, newlines = stack[-1]
                    pos = end
                    prev_type = "HEREDOC_CLOSE"
                    continue
            if text.startswith("${", pos) or text.startswith("%{", pos):
                pos = _open_template_expr(text, pos, stack, append)
                kind, marker, for_expr, newlines = stack[-1]
                directive_keyword = kind == "%{"
            else:
                m = _HEREDOC_TEXT.match(text, pos)
                append(token("TEMPLATE_TEXT", m.group(), "", pos))  # type: ignore[union-attr]  # any text but `${`/`%{` matches
                pos = m.end()  # type: ignore[union-attr]  # any text but `${`/`%{` matches
            prev_type = "TEMPLATE"
            continue

        # Expression or body mode, until a quoted template or a heredoc opens (or
        # an interpolation closes back into one).  `m.lastindex` names the token's
        # group: the `_GROUP` numbers below.
        while True:
            if len(tokens) >= size:
                yield tokens
                tokens = []
                append = tokens.append
            if newlines and prev_type not in no_newline_after:
                m = expr_match(text, pos)
            else:
                m = expr_nl_match(text, pos)
            if m is None:
                pos = _TRIVIA_ONLY.match(text, pos).end()  # type: ignore[union-attr]  # trivia or nothing: always matches
                raise ParseError.at(text, pos, f"unexpected character {text[pos]!r}")
            group: int = m.lastindex  # type: ignore[assignment]  # every alternative is a group
            if group <= _CHAIN:  # an identifier, maybe with `=` or `.name` steps after it
                start, end = m.span(_IDENT)
                prefix = text[pos:start]
                if len(prefix) > 1:
                    prefix = share(prefix, prefix) if len(prefix) < 24 else prefix
                if group == _IDENT or directive_keyword or for_expr or kind == "%{":
                    # Where identifiers may be keywords, one at a time.
                    if end < length and text[end] > "\x7f":
                        end = _identifier_end(text, end)
                    value = text[start:end]
                    value = share(value, value)
                    type_ = "IDENT"
                    if directive_keyword:
                        type_ = _DIRECTIVE_KEYWORDS.get(value, "IDENT")
                        directive_keyword = False
                    elif (for_expr or kind == "%{") and prev_type != "DOT":
                        if value == "for" and for_expr and prev_type in ("LSQB", "LBRACE"):
                            type_ = "FOR"
                        elif kind == "%{" and value == "in":
                            type_ = "IN"
                        elif for_expr and (value == "in" or value == "if"):
                            type_ = value.upper()
                    append(token(type_, value, prefix, start))
                    prev_type = type_
                    pos = end
                elif group == _ASSIGN:
                    name = text[start:end]
                    append(token("IDENT", share(name, name), prefix, start))
                    pos = m.end()
                    equals = pos - 1
                    append(token("EQUAL", "=", text[end:equals] if end < equals else "", equals))
                    prev_type = "EQUAL"
                else:
                    pos = m.end()
                    at = start
                    for part in text[start:pos].split("."):
                        if at != start:
                            append(token("DOT", ".", "", at - 1))
                        append(token("IDENT", share(part, part), prefix if at == start else "", at))
                        at += len(part) + 1
                    prev_type = "IDENT"
                continue
            start, end = m.span(group)
            prefix = text[pos:start]
            if len(prefix) > 1:
                prefix = share(prefix, prefix) if len(prefix) < 24 else prefix
            if group == _NL:
                append(token("NL", "\n" if end - start == 1 else "\r\n", prefix, start))
                prev_type = "NL"
                pos = end
                continue
            if group == _STRING:
                # A template with no interpolation, directive, escape or newline: its
                # three tokens at once, as the '"' frame above would make them.
                append(token("OQUOTE", '"', prefix, start))
                if end - start > 2:
                    value = text[start + 1 : end - 1]
                    if end - start < 26:  # short string values repeat: `"Allow"`, CIDRs, names
                        value = share(value, value)
                    append(token("TEMPLATE_TEXT", value, "", start + 1))
                append(token("CQUOTE", '"', "", end - 1))
                prev_type = "TEMPLATE"
                pos = end
                continue
            if group == _OP:
                value = text[start:end]
                type_ = operators[value]
            elif group == _OPEN:
                value = text[start:end]
                type_ = operators[value]
                if value != "(" and _FOR_AHEAD.match(text, end) is not None:
                    stack.append(_FOR_FRAMES[value])
                else:
                    stack.append(_FRAMES[value])
                kind, marker, for_expr, newlines = stack[-1]
            elif group == _CLOSE:
                value = text[start:end]
                if kind == "${" or kind == "%{":
                    type_ = "TEMPLATE_CLOSE"
                    if value == "}" or value == "~}":
                        stack.pop()
                        kind, marker, for_expr, newlines = stack[-1]
                        append(token(type_, value, prefix, start))
                        prev_type = type_
                        pos = end
                        break  # back in the template's text
                    type_ = operators[value]
                elif value == "~}":
                    raise ParseError.at(text, start, f"unexpected {value!r}")
                else:
                    type_ = operators[value]
                    if kind == _CLOSES[value]:
                        stack.pop()
                        kind, marker, for_expr, newlines = stack[-1]
            elif group == _QUOTE:
                stack.append(_FRAMES['"'])
                kind, marker, for_expr, newlines = stack[-1]
                append(token("OQUOTE", '"', prefix, start))
                prev_type = "OQUOTE"
                pos = end
                break  # into the template's text
            elif group == _NUMBER:
                value = text[start:end]
                type_ = "NUMBER"
                if prev_type == "DOT":
                    # Legacy index `a.0.b`: only the digits belong to this step.
                    value = _DIGITS.match(text, start).group()  # type: ignore[union-attr]  # the number pattern starts with a digit
                    end = start + len(value)
                elif text.startswith(".", end) and text[end + 1 : end + 2].isdigit():
                    raise ParseError.at(text, start, f"invalid number literal {value}.{text[end + 1]}...")
                value = share(value, value) if len(value) < 8 else value
            elif group == _HEREDOC:
                stack.append(("heredoc", m.group(_MARKER), False, False))
                kind, marker, for_expr, newlines = stack[-1]
                append(token("HEREDOC_OPEN", text[start:end], prefix, start))
                prev_type = "HEREDOC_OPEN"
                pos = end
                break  # into the heredoc's text
            elif group == _COMMENT:
                raise ParseError.at(text, start, "unterminated comment; expected '*/'")
            else:  # end of input: what is left is the file's trailing trivia
                append(token("EOF", "", text[pos:], length))
                yield tokens
                return
            append(token(type_, value, prefix, start))
            prev_type = type_
            pos = end


def _identifier_end(text: str, end: int) -> int:
    """Extend an identifier over combining marks, which HCL's ID_Continue includes and ``\\w`` does not."""
    import unicodedata  # rare: not worth its import on every start

    length = len(text)
    while end < length:
        ch = text[end]
        if ch.isalnum() or ch in "_-" or unicodedata.category(ch) in ("Mn", "Mc", "Pc"):
            end += 1
        else:
            break
    return end


def _open_template_expr(
    text: str, pos: int, stack: list[tuple[str, str, bool, bool]], append: Callable[[Token], None]
) -> int:
    """Lex ``${`` / ``%{`` (with an optional ``~``) and push its frame."""
    opener = text[pos : pos + 2]
    width = 3 if text.startswith("~", pos + 2) else 2
    type_ = "INTERP_OPEN" if opener == "${" else "DIRECTIVE_OPEN"
    append(Token(type_, text[pos : pos + width], "", pos))
    stack.append(_FRAMES[opener])
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
