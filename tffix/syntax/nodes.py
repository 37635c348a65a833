"""The concrete syntax tree of HCL2 native syntax.

One convention holds everywhere: **a token owns the trivia before it** (spaces,
comments, newlines that carry no meaning) as its ``prefix``; the trivia before
the end of the file belongs to the file's ``eof`` token.  A node is its tokens
in order, so printing a node is joining ``prefix + text`` over its tokens: a
parsed node prints exactly the bytes it came from, and an edited node prints
its new tokens beside the original ones.

Nodes are frozen; an edit returns a new node (``with_changes``,
``replace_descendant``) and leaves the original, with its offsets, intact, so a
rule can diff the two and turn the change into an `Edit` of the file.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass


class Token:
    """A leaf: its type, its text, the trivia before it and the offset of its text.

    ``start`` is the offset of ``text`` in the parsed file, or -1 for a token an
    edit created.  Tokens are immutable by convention (plain slots keep the
    lexer fast and a token small: a large file has millions).
    """

    __slots__ = ("type", "text", "prefix", "start")

    def __init__(self, type: str, text: str, prefix: str = "", start: int = -1):
        self.type = type
        self.text = text
        self.prefix = prefix
        self.start = start

    def __repr__(self) -> str:
        return f"Token({self.type}, {self.text!r})"

    def tokens(self) -> list[Token]:
        return [self]

    @property
    def code(self) -> str:
        return self.prefix + self.text

    @property
    def span(self) -> tuple[int, int]:
        return self.start - len(self.prefix), self.start + len(self.text)

    @property
    def text_span(self) -> tuple[int, int]:
        return self.start, self.start + len(self.text)

    def with_prefix(self, prefix: str) -> Token:
        return Token(self.type, self.text, prefix, -1 if self.start < 0 else self.start)

    def with_text(self, text: str) -> Token:
        return Token(self.type, text, self.prefix, -1)


class Node:
    """Base of every interior node: children in source order, printing, offsets."""

    __slots__ = ()

    def children(self) -> Iterator[Node | Token]:
        for field in _fields(type(self)):
            value = getattr(self, field)
            if value is None:
                continue
            if isinstance(value, tuple):
                yield from value
            else:
                yield value

    def tokens(self) -> list[Token]:
        """Every token of this node, in source order."""
        out: list[Token] = []
        _collect(self, out)
        return out

    @property
    def code(self) -> str:
        return "".join([t.prefix + t.text for t in self.tokens()])

    @property
    def first_token(self) -> Token:
        node = self
        while True:
            first = next(node.children(), None)
            if isinstance(first, Token) or first is None:
                return first
            node = first

    @property
    def last_token(self) -> Token:
        node = self
        while True:
            last = None
            for last in node.children():
                pass
            if isinstance(last, Token) or last is None:
                return last
            node = last

    @property
    def span(self) -> tuple[int, int]:
        """Offsets of this parsed node in its file, leading trivia included."""
        first, last = self.first_token, self.last_token
        if first.start < 0 or last.start < 0:
            raise ValueError("an edited node has no offsets in the original file")
        return first.start - len(first.prefix), last.start + len(last.text)

    @property
    def text_span(self) -> tuple[int, int]:
        """Offsets of this parsed node without its leading trivia."""
        start, end = self.span
        return self.first_token.start, end

    def with_changes(self, **changes) -> Node:
        return dataclasses.replace(self, **changes)

    def replace_descendant(self, old: Node | Token, new: Node | Token | None) -> Node:
        """A copy of this node with ``old`` (found by identity) replaced, or removed if ``new`` is None."""
        replaced = _replace(self, old, new)
        if replaced is self:
            raise ValueError(f"{old!r} is not inside {type(self).__name__}")
        return replaced

    def walk(self) -> Iterator[Node]:
        """This node and every node below it, depth first, in source order."""
        yield self
        for child in self.children():
            if isinstance(child, Node):
                yield from child.walk()


_FIELDS: dict[type, tuple[str, ...]] = {}


def _fields(cls: type) -> tuple[str, ...]:
    fields = _FIELDS.get(cls)
    if fields is None:
        fields = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return fields


def _collect(node, out: list) -> None:
    for field in _fields(type(node)):
        value = getattr(node, field)
        if value is None:
            continue
        if type(value) is tuple:
            for item in value:
                if type(item) is Token:
                    out.append(item)
                else:
                    _collect(item, out)
        elif type(value) is Token:
            out.append(value)
        else:
            _collect(value, out)


def _replace(node, old, new):
    if node is old:
        return new
    if isinstance(node, Token):
        return node
    changes = {}
    for field in _fields(type(node)):
        value = getattr(node, field)
        if isinstance(value, tuple):
            items = []
            changed = False
            for item in value:
                replaced = _replace(item, old, new)
                changed |= replaced is not item
                if replaced is not None:
                    items.append(replaced)
            if changed:
                changes[field] = tuple(items)
        elif value is not None:
            replaced = _replace(value, old, new)
            if replaced is not value:
                changes[field] = replaced
    return dataclasses.replace(node, **changes) if changes else node


def node(cls):
    return dataclass(frozen=True, slots=True, eq=False, repr=False)(cls)


class _BodyOwner:
    """Queries and edits shared by `File` and `Block` (see `query` and `edit`)."""

    __slots__ = ()

    def attribute(self, name: str) -> Attribute | None:
        from tffix.syntax import query
        return query.attribute(self, name)

    def attributes(self) -> list[Attribute]:
        from tffix.syntax import query
        return list(query.attributes(self))

    def blocks(self, type_: str | None = None, *labels: str) -> list[Block]:
        from tffix.syntax import query
        return list(query.blocks(self, type_, *labels))

    def rename_attribute(self, old: str, new: str):
        from tffix.syntax import edit
        return edit.rename_attribute(self, old, new)

    def set_attribute(self, name: str, value: str):
        from tffix.syntax import edit
        return edit.set_attribute(self, name, value)

    def insert_attribute(self, name: str, value: str, **where):
        from tffix.syntax import edit
        return edit.insert_attribute(self, name, value, **where)

    def comment_above(self, name: str, comments: list[str]):
        from tffix.syntax import edit
        return edit.comment_above(self, name, comments)

    def insert_block(self, text: str, **where):
        from tffix.syntax import edit
        return edit.insert_block(self, text, **where)

    def remove(self, item):
        from tffix.syntax import edit
        return edit.remove(self, item)


# --- Structure -------------------------------------------------------------------------


@node
class Body(Node):
    items: tuple  # Attribute | Block

    def __repr__(self) -> str:
        return f"Body({len(self.items)} items)"


@node
class File(_BodyOwner, Node):
    body: Body
    eof: Token  # its prefix is the trivia after the last item


@node
class Attribute(Node):
    name: Token
    equals: Token
    value: Node
    newline: Token | None = None

    def __repr__(self) -> str:
        return f"Attribute({self.name.text})"


@node
class Block(_BodyOwner, Node):
    type_token: Token
    label_tokens: tuple  # Token (IDENT) | TemplateString
    open: Token
    body: Body
    close: Token
    newline: Token | None = None

    @property
    def type(self) -> str:
        return self.type_token.text

    @property
    def labels(self) -> tuple[str, ...]:
        from tffix.syntax import query
        return query.block_labels(self)

    def __repr__(self) -> str:
        return f"Block({self.type} {' '.join(self.labels)})"


# --- Expressions -----------------------------------------------------------------------


@node
class Literal(Node):
    """A number, ``true``, ``false`` or ``null``."""

    token: Token


@node
class Variable(Node):
    name: Token


@node
class TemplateString(Node):
    """A quoted template: ``"text ${expr} %{ if c }more%{ endif }"``."""

    open: Token
    parts: tuple  # Token (TEMPLATE_TEXT) | Interpolation | Directive
    close: Token


@node
class Heredoc(Node):
    open: Token       # `<<EOF` / `<<-EOF` with its newline
    parts: tuple      # Token (TEMPLATE_TEXT) | Interpolation | Directive
    close: Token      # the marker line, indentation included


@node
class Interpolation(Node):
    open: Token       # `${` or `${~`
    expression: Node
    close: Token      # `}` or `~}`


@node
class Directive(Node):
    """``%{ if c }``, ``%{ else }``, ``%{ endif }``, ``%{ for k, v in c }``, ``%{ endfor }``."""

    open: Token
    keyword: Token
    parts: tuple      # what follows the keyword: tokens and expressions
    close: Token


@node
class TupleItem(Node):
    value: Node
    comma: Token | None = None


@node
class Tuple(Node):
    open: Token
    items: tuple      # TupleItem
    close: Token


@node
class ObjectItem(Node):
    key: Node
    equals: Token     # `=` or `:`
    value: Node
    separator: Token | None = None  # `,` or a newline


@node
class Object(Node):
    open: Token
    items: tuple      # ObjectItem
    close: Token


@node
class Argument(Node):
    value: Node
    comma: Token | None = None


@node
class FunctionCall(Node):
    name_tokens: tuple  # IDENT (`::` IDENT)*
    open: Token
    arguments: tuple    # Argument
    ellipsis: tuple     # `...` and an optional `,`
    close: Token


@node
class ForExpression(Node):
    """``[for k, v in coll : value if cond]`` or ``{for k, v in coll : key => value... if cond}``."""

    open: Token
    for_keyword: Token
    first_name: Token
    comma: Token | None
    second_name: Token | None
    in_keyword: Token
    collection: Node
    colon: Token
    key: Node | None      # object form only
    arrow: Token | None
    value: Node
    ellipsis: Token | None
    if_keyword: Token | None
    condition: Node | None
    close: Token


@node
class Conditional(Node):
    condition: Node
    question: Token
    true_value: Node
    colon: Token
    false_value: Node


@node
class BinaryOperation(Node):
    left: Node
    operator: Token
    right: Node


@node
class UnaryOperation(Node):
    operator: Token
    operand: Node


@node
class Parenthesized(Node):
    open: Token
    expression: Node
    close: Token


@node
class GetAttr(Node):
    dot: Token
    name: Token       # IDENT, or NUMBER for a legacy index `a.0`


@node
class Index(Node):
    open: Token
    key: Node
    close: Token


@node
class Splat(Node):
    """``.*`` or ``[*]``."""

    tokens_: tuple


@node
class Traversal(Node):
    """An expression followed by attribute, index and splat steps: ``aws_s3_bucket.logs.arn``."""

    source: Node
    steps: tuple      # GetAttr | Index | Splat
