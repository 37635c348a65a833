"""Writing new HCL: values in, source text out, laid out the way ``terraform fmt`` lays it out.

Rules never build HCL with f-strings: a label such as ``me?`` or a key such as
``a$${b`` would come out as text that does not parse, or parses as something
else.  Here every piece is quoted or checked where it is made (anchor:
OpenRewrite's ``JavaTemplate``):

- Python values render as HCL literals: ``str`` as a quoted string with its
  escapes (``$${`` for a literal ``${``), ``bool``, numbers, ``None`` as ``null``,
  ``list``/``tuple`` as tuples, ``dict`` as objects;
- `ref` writes a traversal from names it checks are identifiers; `template` mixes
  literal text and expressions inside ``"..."``; `call` a function call; `raw`
  takes text a rule read from the tree, after checking it parses as one expression;
- `Object` and `Block` render over several lines, ``=`` aligned across
  consecutive one-line items, two spaces per level.

Anything that cannot be written raises `EditError`: the finding is then reported
without a fix.  Text comes out at indentation 0 with ``\\n``
newlines; the edit API re-indents it and uses the file's own newline.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tffix.syntax.errors import EditError, ParseError

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

_IDENTIFIER = re.compile(r"[^\W\d][\w-]*")
_LITERAL_NAMES = frozenset({"true", "false", "null"})
INDENT = "  "


def is_identifier(name: str) -> bool:
    return bool(_IDENTIFIER.fullmatch(name)) and name not in _LITERAL_NAMES


def identifier(name: str) -> str:
    if not isinstance(name, str) or not is_identifier(name):
        raise _error(f"{name!r} is not a valid name")
    return name


def _error(message: str) -> EditError:
    return EditError(message)


@dataclass(frozen=True, slots=True)
class Expression:
    """HCL expression text, known to be valid (made by this module's functions).

    A template keeps its ``parts`` (literal strings and expressions), so that it
    can also be written where templates have other quoting (JSON in a heredoc).
    """

    text: str
    parts: tuple[object, ...] = ()  # a template's: literal text and interpolated `Expression`s

    def __str__(self) -> str:
        return self.text


def raw(text: str) -> Expression:
    """Expression text taken from the tree (e.g. an existing value), checked to parse alone."""
    from tffix.syntax.parser import parse_expression

    try:
        parse_expression(text)
    except ParseError as error:
        raise _error(f"cannot write {text!r}: {error.message}") from None
    return Expression(text)


def ref(*names: str, index: object = None, then: tuple[str, ...] = ()) -> Expression:
    """``a.b.c``, optionally ``a.b[index].then...``: each name checked, the index rendered as a value."""
    if not names:
        raise _error("an empty reference")
    text = ".".join(identifier(name) for name in names)
    if index is not None:
        text += f"[{render(index)}]"
    for name in then:
        text += "." + identifier(name)
    return Expression(text)


def template(*parts: object) -> Expression:
    """A quoted template: ``str`` parts are literal text (escaped), `Expression` parts are interpolated."""
    out = ['"']
    for part in parts:
        if isinstance(part, Expression):
            if "\n" in part.text:
                raise _error("a multi-line expression inside a template")
            out.append("${" + part.text + "}")
        else:
            out.append(_escape(str(part)))
    out.append('"')
    return Expression("".join(out), tuple(parts))


def call(name: str, *arguments: object) -> Expression:
    rendered = [render(argument) for argument in arguments]
    if len(rendered) == 1 and rendered[0][:1] in "{[":
        return Expression(f"{identifier(name)}({rendered[0]})")  # jsonencode({ ... }) hugs its object
    if any("\n" in text for text in rendered):
        inner = ",\n".join(_indent(text) for text in rendered)
        return Expression(f"{identifier(name)}(\n{inner},\n)")
    return Expression(f"{identifier(name)}({', '.join(rendered)})")


def string(value: str) -> Expression:
    return Expression('"' + _escape(value) + '"', (value,))


def heredoc_json_string(value: object) -> str:
    """A JSON string token for a heredoc: literal text JSON-escaped (and ``$${`` for ``${``),
    a template's expressions as ``${...}``, which a heredoc interpolates."""
    parts: tuple[object, ...] = value.parts if isinstance(value, Expression) else (value,)
    if isinstance(value, Expression) and not parts:
        raise _error("only strings and templates can be written into a JSON heredoc")
    out = []
    for part in parts:
        if isinstance(part, Expression):
            out.append("${" + part.text + "}")
        else:
            out.append(
                json.dumps(str(part), ensure_ascii=False)[1:-1].replace("${", "$${").replace("%{", "%%{")
            )
    return '"' + "".join(out) + '"'


def _escape(value: str) -> str:
    """HCL's string escapes: JSON's, plus ``$${`` and ``%%{`` so no template sequence starts."""
    text = json.dumps(value, ensure_ascii=False)[1:-1]
    text = text.replace("\\/", "/")
    return text.replace("${", "$${").replace("%{", "%%{")


@dataclass(frozen=True, slots=True)
class Object:
    """An object constructor; ``quoted_keys`` writes every key as a string (``"Sid" = ...``),
    None takes the enclosing object's choice (plain ``dict`` values always do)."""

    items: tuple[tuple[str, object], ...]
    quoted_keys: bool | None = None
    one_line: bool = False

    def __init__(
        self,
        items: Mapping[str, object] | Iterable[tuple[str, object]],
        quoted_keys: bool | None = None,
        one_line: bool = False,
    ):
        object.__setattr__(self, "items", tuple(items.items() if isinstance(items, dict) else items))
        object.__setattr__(self, "quoted_keys", quoted_keys)
        object.__setattr__(self, "one_line", one_line)


@dataclass(frozen=True, slots=True)
class Block:
    """A block: attributes (``(name, value)``) and nested `Block`s, in order."""

    type: str
    labels: tuple[str, ...] = ()
    items: tuple[tuple[str, object] | Block, ...] = field(default=())

    def __init__(
        self,
        type: str,
        labels: Iterable[str] = (),
        items: Mapping[str, object] | Iterable[tuple[str, object] | Block] = (),
    ):
        object.__setattr__(self, "type", type)
        object.__setattr__(self, "labels", tuple(labels))
        object.__setattr__(self, "items", tuple(items.items() if isinstance(items, dict) else items))

    def text(self) -> str:
        head = " ".join([identifier(self.type)] + [string(label).text for label in self.labels])
        inner = body(self.items)
        if not inner:
            return head + " {\n}"
        return f"{head} {{\n{_indent(inner)}\n}}"


def body(items: Iterable[tuple[str, object] | Block]) -> str:
    """Attributes and blocks as body lines, as terraform fmt lays them out: ``=`` aligned across a
    run of one-line attributes (a multi-line value ends the run and is not aligned), a blank line
    between attributes and a block and between blocks."""
    groups: list[list[str]] = []  # separated by blank lines
    lines: list[str] = []  # the attribute lines of the current group
    run: list[tuple[str, str]] = []

    def flush_run() -> None:
        if run:
            width = max(len(name) for name, _ in run)
            lines.extend(f"{name.ljust(width)} = {value}" for name, value in run)
            run.clear()

    def flush_group() -> None:
        flush_run()
        if lines:
            groups.append(lines[:])
            lines.clear()

    for item in items:
        if isinstance(item, Block):
            flush_group()
            groups.append([item.text()])
            continue
        name, value = item
        text = render(value)
        if "\n" in text:
            flush_run()
            lines.append(f"{identifier(name)} = {text}")
        else:
            run.append((identifier(name), text))
    flush_group()
    return "\n\n".join("\n".join(group) for group in groups)


def render(value: object, quoted_keys: bool = False) -> str:
    """HCL source text for a value (see the module docstring)."""
    if isinstance(value, Expression):
        return value.text
    if isinstance(value, Object):
        return _object(value, quoted_keys if value.quoted_keys is None else value.quoted_keys)
    if isinstance(value, Block):
        raise _error("a block is not an expression")
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    if isinstance(value, str):
        return string(value).text
    if isinstance(value, list | tuple):
        rendered = [render(item, quoted_keys) for item in value]
        if any("\n" in text for text in rendered):
            return "[\n" + ",\n".join(_indent(text) for text in rendered) + "\n]"
        return "[" + ", ".join(rendered) + "]"
    if isinstance(value, dict):
        return _object(Object(value), quoted_keys)
    raise _error(f"cannot write a {type(value).__name__} as HCL")


def key(name: str, quoted: bool = False) -> str:
    """An object key: bare when it is a name (and quoting is not asked for), else a string."""
    return name if is_identifier(name) and not quoted else string(name).text


def _object(value: Object, quoted_keys: bool) -> str:
    if not value.items:
        return "{}"
    pairs = [(key(name, quoted_keys), render(item, quoted_keys)) for name, item in value.items]
    if value.one_line:
        if any("\n" in text for _, text in pairs):
            raise _error("a one-line object with a multi-line value")
        return "{ " + ", ".join(f"{name} = {text}" for name, text in pairs) + " }"
    lines: list[str] = []
    run: list[tuple[str, str]] = []

    def flush() -> None:
        if run:
            width = max(len(name) for name, _ in run)
            lines.extend(f"{name.ljust(width)} = {text}" for name, text in run)
            run.clear()

    for name, text in pairs:
        if "\n" in text:
            flush()
            lines.append(f"{name} = {text}")
        else:
            run.append((name, text))
    flush()
    return "{\n" + "\n".join(_indent(line) for line in lines) + "\n}"


def _indent(text: str) -> str:
    return "\n".join(INDENT + line if line else line for line in text.split("\n"))
