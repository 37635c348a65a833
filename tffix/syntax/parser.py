"""`parse_module`: HCL2 text to a lossless `File`, through Lark's LALR parser.

The lexer (`tffix.syntax.lexer`) tokenizes the whole text first; Lark parses
the token list and builds CST nodes while it reduces (a transformer passed to
``Lark(...)``, so no intermediate tree is made).  The grammar is analysed once
per process and cached on disk, so a one-file run starts fast.
"""
from __future__ import annotations

import os
import re
from importlib import resources
from pathlib import Path

from lark import Lark, Transformer
from lark.exceptions import UnexpectedInput, UnexpectedToken, VisitError

from tffix.syntax import nodes as n
from tffix.syntax.errors import ParseError
from tffix.syntax.lexer import HCLLexer, tokenize

_parser: Lark | None = None

# How Lark's terminal names read in an error message.
_TERMINAL_NAMES = {
    "IDENT": "identifier", "NUMBER": "number", "NL": "newline", "EQUAL": "'='",
    "LBRACE": "'{'", "RBRACE": "'}'", "LSQB": "'['", "RSQB": "']'", "LPAR": "'('",
    "RPAR": "')'", "COMMA": "','", "DOT": "'.'", "STAR": "'*'", "ELLIPSIS": "'...'",
    "DCOLON": "'::'", "QMARK": "'?'", "COLON": "':'", "ARROW": "'=>'", "FOR": "'for'",
    "IN": "'in'", "IF": "'if'", "OQUOTE": "'\"'", "CQUOTE": "'\"'",
    "TEMPLATE_TEXT": "template text", "INTERP_OPEN": "'${'", "DIRECTIVE_OPEN": "'%{'",
    "TEMPLATE_CLOSE": "'}'", "HEREDOC_OPEN": "heredoc", "HEREDOC_CLOSE": "heredoc end marker",
    "D_IF": "'if'", "D_ELSE": "'else'", "D_ENDIF": "'endif'", "D_FOR": "'for'",
    "D_ENDFOR": "'endfor'", "$END": "end of file", "OR": "'||'", "AND": "'&&'", "EQEQ": "'=='",
    "NEQ": "'!='", "LT": "'<'", "GT": "'>'", "LE": "'<='", "GE": "'>='", "PLUS": "'+'",
    "MINUS": "'-'", "SLASH": "'/'", "PERCENT": "'%'", "BANG": "'!'",
}
_BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_PRECEDENCE = {
    "OR": 1, "AND": 2, "EQEQ": 3, "NEQ": 3, "LT": 4, "GT": 4, "LE": 4, "GE": 4,
    "PLUS": 5, "MINUS": 5, "STAR": 6, "SLASH": 6, "PERCENT": 6,
}


class _Invalid(Exception):
    """Raised while building: the tokens parsed, but HCL forbids the arrangement."""

    def __init__(self, offset: int, message: str):
        super().__init__(message)
        self.offset = offset
        self.message = message


def parse_module(text: str) -> n.File:
    """Parse one file of HCL2 native syntax; `File.code` gives ``text`` back exactly."""
    tokens = tokenize(text)
    try:
        body = _get_parser().parse(tokens[:-1])
    except UnexpectedToken as error:
        token = error.token
        offset = len(text) if token.type == "$END" else token.start
        expected = tuple(sorted({_TERMINAL_NAMES.get(t, t) for t in error.expected}))
        found = _TERMINAL_NAMES.get(token.type, repr(getattr(token, "text", "")))
        if token.type in ("IDENT", "NUMBER"):
            found = repr(token.text)
        raise ParseError.at(text, offset, f"unexpected {found}; expected {' or '.join(expected)}",
                            expected) from None
    except VisitError as error:
        if isinstance(error.orig_exc, _Invalid):
            raise ParseError.at(text, error.orig_exc.offset, error.orig_exc.message) from None
        raise
    except _Invalid as error:
        raise ParseError.at(text, error.offset, error.message) from None
    except UnexpectedInput as error:  # pragma: no cover - the lexer raises first
        raise ParseError(str(error), getattr(error, "line", 1), getattr(error, "column", 1)) from None
    return n.File(body, tokens[-1])


def parse_body(text: str) -> n.Body:
    """Parse a snippet of body items (attributes and blocks)."""
    return parse_module(text).body


def parse_expression(text: str) -> n.Node:
    """Parse one expression, e.g. ``'aws_s3_bucket.logs.arn'``."""
    body = parse_module(f"x = {text}").body
    if len(body.items) != 1 or not isinstance(body.items[0], n.Attribute):
        raise ParseError(f"not a single expression: {text!r}", 1, 1)
    return body.items[0].value


def _get_parser() -> Lark:
    global _parser
    if _parser is None:
        grammar = resources.files("tffix.syntax").joinpath("grammar.lark").read_text()
        options = dict(parser="lalr", lexer=HCLLexer, transformer=_Builder(),
                       keep_all_tokens=True, maybe_placeholders=False)
        try:
            _parser = Lark(grammar, cache=str(_cache_path()), **options)
        except OSError:
            _parser = Lark(grammar, **options)
    return _parser


def _cache_path() -> Path:
    from tffix import __version__

    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    directory = Path(base) / "tffix"
    directory.mkdir(parents=True, exist_ok=True)
    return directory / f"grammar-{__version__}.lark"


def _first_offset(node) -> int:
    return node.first_token.start


class _Builder(Transformer):
    """Lark callbacks that build CST nodes while the parser reduces.

    Shared by every parse: it keeps no state.
    """

    def start(self, children):
        return children[0]

    def body(self, items):
        _require_separators(items, "newline", "expected a newline before this item")
        seen = set()
        for item in items:
            if isinstance(item, n.Attribute):
                if item.name.text in seen:
                    raise _Invalid(item.name.start, f"attribute redefined: {item.name.text!r} is already set")
                seen.add(item.name.text)
        return n.Body(tuple(items))

    def attribute(self, c):
        return n.Attribute(c[0], c[1], c[2], c[3] if len(c) > 3 else None)

    def block(self, c):
        newline = c[-1] if c[-1].type == "NL" else None
        if newline is not None:
            c = c[:-1]
        block = n.Block(c[0], tuple(c[1:-3]), c[-3], c[-2], c[-1], newline)
        items = block.body.items
        if not items:
            return block
        first_on_own_line = _line_break(items[0].first_token.prefix)
        if items[-1].newline is None and first_on_own_line:
            raise _Invalid(block.close.start, "expected a newline after the last argument, before '}'")
        if not first_on_own_line or items[-1].newline is None:
            # An item on the line of `{`, or one not ending its line, makes a
            # one-line block (`a { b = 1 }`): a single argument, `}` on that line.
            if len(items) > 1 or not isinstance(items[0], n.Attribute):
                raise _Invalid(_first_offset(items[0]), "a one-line block holds a single argument")
            if items[0].newline is not None or _line_break(block.close.prefix):
                raise _Invalid(block.close.start, "a one-line block ends with '}' on the same line")
        return block

    def conditional(self, c):
        return n.Conditional(*c)

    def operation_chain(self, c):
        # Precedence climbing over the flat `operand (operator operand)*` list.
        position = 0

        def climb(minimum):
            nonlocal position
            left = c[position]
            position += 1
            while position < len(c) and _PRECEDENCE[c[position].type] >= minimum:
                operator = c[position]
                position += 1
                right = climb(_PRECEDENCE[operator.type] + 1)
                left = n.BinaryOperation(left, operator, right)
            return left

        return climb(1)

    def unary_operation(self, c):
        return n.UnaryOperation(c[0], c[1])

    def traversal(self, c):
        return n.Traversal(c[0], tuple(c[1:]))

    def get_attr(self, c):
        return n.GetAttr(c[0], c[1])

    def index(self, c):
        return n.Index(c[0], c[1], c[2])

    def splat(self, c):
        return n.Splat(tuple(c))

    def literal(self, c):
        return n.Literal(c[0])

    def variable(self, c):
        token = c[0]
        if token.text in ("true", "false", "null"):
            return n.Literal(token)
        return n.Variable(token)

    def parenthesized(self, c):
        return n.Parenthesized(c[0], c[1], c[2])

    def function_call(self, c):
        i = 0
        while c[i].type != "LPAR":
            i += 1
        arguments = []
        j = i + 1
        while isinstance(c[j], n.Argument):
            arguments.append(c[j])
            j += 1
        _require_separators(arguments, "comma", "expected ',' between arguments")
        return n.FunctionCall(tuple(c[:i]), c[i], tuple(arguments), tuple(c[j:-1]), c[-1])

    def argument(self, c):
        return n.Argument(c[0], c[1] if len(c) > 1 else None)

    def tuple(self, c):
        items = c[1:-1]
        _require_separators(items, "comma", "expected ',' between tuple items")
        return n.Tuple(c[0], tuple(items), c[-1])

    def tuple_item(self, c):
        return n.TupleItem(c[0], c[1] if len(c) > 1 else None)

    def object(self, c):
        items = c[1:-1]
        _require_separators(items, "separator", "expected ',' or a newline between object items")
        return n.Object(c[0], tuple(items), c[-1])

    def object_item(self, c):
        return n.ObjectItem(c[0], c[1], c[2], c[3] if len(c) > 3 else None)

    def for_tuple(self, c):
        return _for_expression(c, is_object=False)

    def for_object(self, c):
        return _for_expression(c, is_object=True)

    def string(self, c):
        return n.TemplateString(c[0], tuple(c[1:-1]), c[-1])

    def heredoc(self, c):
        return n.Heredoc(c[0], tuple(c[1:-1]), c[-1])

    def interpolation(self, c):
        return n.Interpolation(c[0], c[1], c[2])

    def directive(self, c):
        return n.Directive(c[0], c[1], tuple(c[2:-1]), c[-1])


def _line_break(trivia: str) -> bool:
    """Trivia ends a line (a newline outside ``/* */``: a block comment's own lines do not count)."""
    if "/*" in trivia:
        trivia = _BLOCK_COMMENT.sub("", trivia)
    return "\n" in trivia


def _require_separators(items, field, message):
    for item, following in zip(items, items[1:]):
        if getattr(item, field) is None:
            raise _Invalid(_first_offset(following), message)


def _for_expression(c, is_object):
    # open FOR name [, name] IN collection : [key =>] value [...] [if cond] close
    open_, for_keyword, first_name = c[0], c[1], c[2]
    i = 3
    comma = second_name = None
    if isinstance(c[i], n.Token) and c[i].type == "COMMA":
        comma, second_name = c[i], c[i + 1]
        i += 2
    in_keyword, collection, colon = c[i], c[i + 1], c[i + 2]
    i += 3
    key = arrow = None
    if is_object:
        key, arrow = c[i], c[i + 1]
        i += 2
    value = c[i]
    i += 1
    ellipsis = if_keyword = condition = None
    if isinstance(c[i], n.Token) and c[i].type == "ELLIPSIS":
        ellipsis = c[i]
        i += 1
    if isinstance(c[i], n.Token) and c[i].type == "IF":
        if_keyword, condition = c[i], c[i + 1]
        i += 2
    return n.ForExpression(open_, for_keyword, first_name, comma, second_name, in_keyword,
                           collection, colon, key, arrow, value, ellipsis, if_keyword,
                           condition, c[i])
