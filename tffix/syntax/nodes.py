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
from operator import attrgetter
from typing import TYPE_CHECKING

from tffix.syntax.escapes import unescape

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, Self, TypeVar, dataclass_transform

    _N = TypeVar("_N")


class Token:
    """A leaf: its type, its text, the trivia before it and the offset of its text.

    ``start`` is the offset of ``text`` in the parsed file, or -1 for a token an
    edit created.  Tokens are immutable by convention (plain slots keep the
    lexer fast and a token small: a large file has millions).
    """

    __slots__ = ("prefix", "start", "text", "type")

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
    """Base of every interior node: children in source order, printing, offsets.

    Nodes are frozen: setting or deleting an attribute raises
    `dataclasses.FrozenInstanceError`, as a ``frozen=True`` dataclass does (see `node`).
    """

    __slots__ = ()

    def __setattr__(self, name: str, value: object) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")

    def __getstate__(self) -> list[object]:  # pickling and copying, as a frozen slotted dataclass
        return [getattr(self, field) for field in _fields(type(self))]

    def __setstate__(self, state: list[object]) -> None:
        for field, value in zip(_fields(type(self)), state, strict=True):
            object.__setattr__(self, field, value)

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
        out: list[str] = []
        try:
            _emit(self, out.append)
        except RecursionError:  # nested deeper than Python recurses: the tokens, without recursion
            return "".join([t.prefix + t.text for t in self.tokens()])
        return "".join(out)

    @property
    def first_token(self) -> Token:
        node = self
        while True:
            first = next(node.children(), None)
            if isinstance(first, Token) or first is None:
                return first  # type: ignore[return-value]  # None only for an empty Body
            node = first

    @property
    def last_token(self) -> Token:
        node = self
        while True:
            last = None
            for last in node.children():  # noqa: B007 - keeps the last child
                pass
            if isinstance(last, Token) or last is None:
                return last  # type: ignore[return-value]  # None only for an empty Body
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
        _start, end = self.span
        return self.first_token.start, end

    def with_changes(self, **changes: object) -> Self:
        return dataclasses.replace(self, **changes)  # type: ignore[type-var]  # every subclass is a `node`

    def replace_descendant(self, old: Node | Token, new: Node | Token | None) -> Self:
        """A copy of this node with ``old`` (found by identity) replaced, or removed if ``new`` is None."""
        replaced = _replace(self, old, new)
        if replaced is self:
            raise ValueError(f"{old!r} is not inside {type(self).__name__}")
        return replaced  # type: ignore[return-value]  # a Node unless `old` is this node itself

    def walk(self) -> Iterator[Node]:
        """This node and every node below it, depth first, in source order.

        Iterative, as every tree walk here is: a list nested 100,000 deep is
        valid HCL, and a recursive walk would stop at Python's recursion limit.
        """
        stack: list[Node] = [self]
        while stack:
            node = stack.pop()
            yield node
            children = [child for child in node.children() if isinstance(child, Node)]
            children.reverse()
            stack.extend(children)


_FIELDS: dict[type, tuple[str, ...]] = {}


def _fields(cls: type) -> tuple[str, ...]:
    fields = _FIELDS.get(cls)
    if fields is None:
        fields = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return fields


# A node class's fields in order, read at once (`operator.attrgetter`); a class of one
# field gives the value alone, the others a tuple of their values.
_GETTERS: dict[type, tuple[Callable[[Node], Any], bool]] = {}


def _getter(cls: type) -> tuple[Callable[[Node], Any], bool]:
    fields = _fields(cls)
    getter = _GETTERS[cls] = (attrgetter(*fields), len(fields) == 1)
    return getter


def _emit(node: Node, append: Callable[[str], None]) -> None:
    """Append the prefix and text of every token below ``node`` (printing: `Node.code`).

    Recursive, which is faster than a stack of its own; `Node.code` falls back on
    `_collect` for a tree nested deeper than the recursion limit.
    """
    get, single = _GETTERS.get(type(node)) or _getter(type(node))
    for child in (get(node),) if single else get(node):
        kind = type(child)
        if kind is Token:
            append(child.prefix)
            append(child.text)
        elif kind is tuple:
            for item in child:
                if type(item) is Token:
                    append(item.prefix)
                    append(item.text)
                else:
                    _emit(item, append)
        elif child is not None:
            _emit(child, append)


def _collect(node: Node | Token, out: list[Token]) -> None:
    """Append every token below ``node`` to ``out`` in source order, without recursion."""
    stack = [node]
    while stack:
        current = stack.pop()
        if type(current) is Token:
            out.append(current)
            continue
        children: list[Node | Token] = []
        for field in _fields(type(current)):
            value = getattr(current, field)
            if value is None:
                continue
            if type(value) is tuple:
                children.extend(value)
            else:
                children.append(value)
        children.reverse()
        stack.extend(children)


def _replace(node: Node, old: Node | Token, new: Node | Token | None) -> Node | Token | None:
    """``node`` with ``old`` (found by identity) replaced by ``new`` (None removes it).

    Finds the path to ``old`` without recursion, then rebuilds only the nodes on
    that path; everything else is shared with the original tree.
    """
    if node is old:
        return new
    path = _path_to(node, old)
    if path is None:
        return node
    replacement = new
    for parent, field, position in reversed(path):
        value = getattr(parent, field)
        changed: object
        if position is None:
            changed = replacement
        else:
            items = list(value)
            if replacement is None:
                del items[position]
            else:
                items[position] = replacement
            changed = tuple(items)
        replacement = dataclasses.replace(parent, **{field: changed})  # type: ignore[type-var]  # a `node`
    return replacement


def parent_of(root: Node, target: Node | Token) -> Node | None:
    """The node directly holding ``target`` inside ``root`` (by identity), or None."""
    path = _path_to(root, target)
    return path[-1][0] if path else None


def _path_to(root: Node, target: Node | Token) -> list[tuple[Node, str, int | None]] | None:
    """``[(parent, field, index or None), ...]`` from ``root`` down to ``target``, or None.

    Each visited node keeps only a link to its parent's frame, so memory stays
    proportional to the tree, however deep it is.
    """
    frames: list[tuple[Node, int, str, int | None]] = [
        (root, -1, "", None)
    ]  # node, parent frame, field in the parent, index in that field
    stack = [0]
    while stack:
        index = stack.pop()
        current = frames[index][0]
        for field in _fields(type(current)):
            value = getattr(current, field)
            if value is None:
                continue
            items = enumerate(value) if isinstance(value, tuple) else ((None, value),)
            for position, item in items:
                if item is target:
                    path = [(current, field, position)]
                    while index > 0:
                        _node, parent, parent_field, parent_position = frames[index]
                        path.append((frames[parent][0], parent_field, parent_position))
                        index = parent
                    path.reverse()
                    return path
                if isinstance(item, Node):
                    frames.append((item, index, field, position))
                    stack.append(len(frames) - 1)
    return None


if TYPE_CHECKING:
    # What the checker reads: `node` makes a frozen dataclass (fields, constructor, `replace`).
    @dataclass_transform(frozen_default=True, eq_default=False)
    def node(cls: type[_N]) -> type[_N]: ...

else:

    def node(cls):
        """A slotted dataclass, frozen by `Node`, with the constructor of `_constructor`.

        ``dataclass(frozen=True)`` would generate three functions a class (``__init__``,
        ``__setattr__``, ``__delattr__``) from source at import time: two thirds of this
        module's import time.  `Node` holds the last two once for all.
        """
        cls = dataclass(init=False, slots=True, eq=False, repr=False)(cls)
        cls.__init__ = _constructor(cls)
        return cls

    def _constructor(cls):
        """The ``__init__`` a dataclass would have: fields in order, by position or name, defaults."""
        fields = dataclasses.fields(cls)
        names = tuple(field.name for field in fields)
        count = len(names)
        defaults = {f.name: f.default for f in fields if f.default is not dataclasses.MISSING}
        setters = tuple(cls.__dict__[name].__set__ for name in names)  # the slots: past __setattr__
        positions = {name: i for i, name in enumerate(names)}

        def __init__(self, *args, **kwargs):
            given = len(args)
            if given > count:
                raise TypeError(f"{cls.__name__}() takes {count} arguments but {given} were given")
            for setter, value in zip(setters, args):
                setter(self, value)
            for i in range(given, count):
                name = names[i]
                if name in kwargs:
                    value = kwargs.pop(name)
                elif name in defaults:
                    value = defaults[name]
                else:
                    raise TypeError(f"{cls.__name__}() missing required argument: {name!r}")
                setters[i](self, value)
            for name in kwargs:
                if name in positions:
                    raise TypeError(f"{cls.__name__}() got multiple values for argument {name!r}")
                raise TypeError(f"{cls.__name__}() got an unexpected keyword argument {name!r}")

        __init__.__qualname__ = f"{cls.__qualname__}.__init__"
        return __init__


class _BodyOwner:
    """Reading a body as a Terraform user talks about it: attributes by name, blocks by type and labels.

    Edits are functions of `tffix.syntax.edit` (``edit.insert_attribute(block, ...)``):
    nodes know nothing of editing, so the two modules do not import each other.
    """

    __slots__ = ()
    body: Body  # declared by File and Block

    def attribute(self, name: str) -> Attribute | None:
        for item in self.body.items:
            if type(item) is Attribute and item.name.text == name:
                return item
        return None

    def attributes(self) -> list[Attribute]:
        return [item for item in self.body.items if type(item) is Attribute]

    def blocks(self, type_: str | None = None, *labels: str) -> list[Block]:
        """Direct child blocks, filtered by type and leading labels (a templated label never matches)."""
        out = []
        for item in self.body.items:
            if type(item) is not Block or (type_ is not None and item.type_token.text != type_):
                continue
            if labels and leading_labels(item, len(labels)) != labels:
                continue
            out.append(item)
        return out


# --- Structure -------------------------------------------------------------------------


@node
class Body(Node):
    """The attributes and blocks of a file or a block, in order."""

    items: tuple[Attribute | Block, ...]

    def __repr__(self) -> str:
        return f"Body({len(self.items)} items)"


@node
class File(_BodyOwner, Node):
    """A whole HCL file: its body and the end-of-file token."""

    body: Body
    eof: Token  # its prefix is the trivia after the last item


@node
class Attribute(Node):
    """``name = value`` in a body."""

    name: Token
    equals: Token
    value: Node
    newline: Token | None = None

    def __repr__(self) -> str:
        return f"Attribute({self.name.text})"


@node
class Block(_BodyOwner, Node):
    """``type "label" ... { body }``."""

    type_token: Token
    label_tokens: tuple[Token | TemplateString, ...]  # Token: IDENT
    open: Token
    body: Body
    close: Token
    newline: Token | None = None

    @property
    def type(self) -> str:
        return self.type_token.text

    @property
    def labels(self) -> tuple[str, ...]:
        """The labels' values; raises `NotStatic` for a label holding ``${...}`` (which HCL forbids)."""
        return leading_labels(self, len(self.label_tokens), strict=True)

    def __repr__(self) -> str:
        return f"Block({self.type} {' '.join(leading_labels(self, len(self.label_tokens)))})"


# --- Expressions -----------------------------------------------------------------------


@node
class Literal(Node):
    """A number, ``true``, ``false`` or ``null``."""

    token: Token


@node
class Variable(Node):
    """A bare name: ``var``, ``local``, ``aws_s3_bucket``, an iterator."""

    name: Token


@node
class TemplateString(Node):
    """A quoted template: ``"text ${expr} %{ if c }more%{ endif }"``."""

    open: Token
    parts: tuple[Token | Interpolation | Directive, ...]  # Token: TEMPLATE_TEXT
    close: Token


@node
class Heredoc(Node):
    """``<<EOF`` ... ``EOF`` (or ``<<-EOF``, indented): a template over several lines."""

    open: Token  # `<<EOF` / `<<-EOF` with its newline
    parts: tuple[Token | Interpolation | Directive, ...]  # Token: TEMPLATE_TEXT
    close: Token  # the marker line, indentation included


@node
class Interpolation(Node):
    """``${ expression }`` inside a template."""

    open: Token  # `${` or `${~`
    expression: Node
    close: Token  # `}` or `~}`


@node
class Directive(Node):
    """``%{ if c }``, ``%{ else }``, ``%{ endif }``, ``%{ for k, v in c }``, ``%{ endfor }``."""

    open: Token
    keyword: Token
    parts: tuple[Token | Node, ...]  # what follows the keyword: tokens and expressions
    close: Token


@node
class TupleItem(Node):
    """One element of a tuple, with its comma if it has one."""

    value: Node
    comma: Token | None = None


@node
class Tuple(Node):
    """``[a, b, c]``."""

    open: Token
    items: tuple[TupleItem, ...]
    close: Token


@node
class ObjectItem(Node):
    """``key = value`` (or ``key: value``) inside an object."""

    key: Node
    equals: Token  # `=` or `:`
    value: Node
    separator: Token | None = None  # `,` or a newline


@node
class Object(Node):
    """``{ key = value, ... }``."""

    open: Token
    items: tuple[ObjectItem, ...]
    close: Token


@node
class Argument(Node):
    """One argument of a function call, with its comma if it has one."""

    value: Node
    comma: Token | None = None


@node
class FunctionCall(Node):
    """``name(arguments...)``, or a provider function ``provider::p::name(...)``."""

    name_tokens: tuple[Token, ...]  # IDENT (`::` IDENT)*
    open: Token
    arguments: tuple[Argument, ...]
    ellipsis: tuple[Token, ...]  # `...` and an optional `,`
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
    key: Node | None  # object form only
    arrow: Token | None
    value: Node
    ellipsis: Token | None
    if_keyword: Token | None
    condition: Node | None
    close: Token


@node
class Conditional(Node):
    """``condition ? true_value : false_value``."""

    condition: Node
    question: Token
    true_value: Node
    colon: Token
    false_value: Node


@node
class BinaryOperation(Node):
    """``left operator right``."""

    left: Node
    operator: Token
    right: Node


@node
class UnaryOperation(Node):
    """``-operand`` or ``!operand``."""

    operator: Token
    operand: Node


@node
class Parenthesized(Node):
    """``( expression )``."""

    open: Token
    expression: Node
    close: Token


@node
class GetAttr(Node):
    """``.name``, a step of a traversal."""

    dot: Token
    name: Token  # IDENT, or NUMBER for a legacy index `a.0`


@node
class Index(Node):
    """``[key]``, a step of a traversal."""

    open: Token
    key: Node
    close: Token


@node
class Splat(Node):
    """``.*`` or ``[*]``."""

    tokens_: tuple[Token, ...]


@node
class Traversal(Node):
    """An expression followed by attribute, index and splat steps: ``aws_s3_bucket.logs.arn``."""

    source: Node
    steps: tuple[GetAttr | Index | Splat, ...]


class NotStatic(ValueError):
    """The expression's value depends on something only Terraform knows."""


def leading_labels(block: Block, count: int, strict: bool = False) -> tuple[str, ...]:
    """The first ``count`` labels' values; a templated label as written (or `NotStatic` if ``strict``)."""
    labels: list[str] = []
    for label in block.label_tokens[:count]:
        if isinstance(label, Token):
            labels.append(label.text)
        elif all(isinstance(part, Token) for part in label.parts):
            labels.append(unescape("".join(part.text for part in label.parts)))  # type: ignore[union-attr]  # all Tokens
        elif strict:
            raise NotStatic("a label with an interpolation")
        else:
            labels.append(label.code.strip())
    return tuple(labels)
