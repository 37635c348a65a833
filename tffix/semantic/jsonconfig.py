"""`.tf.json` files: Terraform's JSON syntax, read into the same declarations and references.

Terraform reads ``main.tf.json`` beside ``main.tf`` as one module
(developer.hashicorp.com/terraform/language/syntax/json): the top-level object's
keys are block types, their labels are nested object keys (``resource`` → type →
name → body), a body may be an array of bodies, and a ``"//"`` key is a comment.
Strings in bodies are templates (``"${aws_s3_bucket.x.id}"``), except where an
argument takes a bare expression (``depends_on``, ``provider``, ``providers``)
or names (``lifecycle.ignore_changes``); a variable's ``default`` is a literal.

The scanner keeps every value's offsets so findings can point into the file.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tffix.semantic.symbols import DECLARING, Declaration
from tffix.syntax.errors import ParseError

if TYPE_CHECKING:
    from tffix.semantic.model import SemanticModel
    from tffix.semantic.module import ModuleFile


@dataclass(eq=False, slots=True)
class JsonValue:
    """A JSON value with its offsets: ``value`` is a str/number/bool/None, a list of
    `JsonValue`, or a list of (key, key offsets, `JsonValue`) for an object."""

    kind: str  # object | array | string | literal
    start: int
    end: int = -1
    value: object = None
    # An array's JsonValues, or an object's (key, key offsets, JsonValue) triples: Any, as the kind
    # says which, and a union would need a cast at every read.
    items: list[Any] = field(default_factory=list)

    @property
    def text_span(self) -> tuple[int, int]:
        return self.start, self.end

    def get(self, key: str) -> JsonValue | None:
        for name, _, item in self.items if self.kind == "object" else ():
            if name == key:
                return item  # type: ignore[no-any-return]  # an object's items hold JsonValues
        return None


@functools.cache
def _token() -> re.Pattern[str]:
    """Compiled on first use: a module without ``.tf.json`` files never needs it (start-up time)."""
    return re.compile(
        r'\s*(?:(?P<string>"(?:[^"\\\x00-\x1f]|\\.)*")|(?P<punct>[{}\[\]:,])'
        r"|(?P<literal>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null))"
    )


def parse_document(text: str) -> JsonValue:
    """The document with offsets; invalid JSON is a `ParseError` at its position."""
    try:
        json.loads(text.lstrip("\ufeff"))
    except ValueError as error:
        position = getattr(error, "pos", 0)
        raise ParseError.at(text, position, f"invalid JSON: {getattr(error, 'msg', error)}") from None
    position = 1 if text.startswith("\ufeff") else 0
    stack: list[tuple[JsonValue, str | None, tuple[str, tuple[int, int]] | None]] = []
    root = None
    pending_key: tuple[str, tuple[int, int]] | None = None
    token = _token()
    while True:
        match = token.match(text, position)
        if match is None:
            break
        position = match.end()
        if match.group("punct"):
            char = match.group("punct")
            start = match.start("punct")
            if char in "{[":
                value = JsonValue("object" if char == "{" else "array", start)
                stack.append((value, None, pending_key))
                pending_key = None
                continue
            if char in "}]":
                value, _, key = stack.pop()
                value.end = start + 1
                root = _attach(stack, value, key) or root
                continue
            continue  # ':' and ','
        if match.group("string"):
            raw = match.group("string")
            start = match.start("string")
            decoded = json.loads(raw)
            parent = stack[-1][0] if stack else None
            if (
                parent is not None
                and parent.kind == "object"
                and pending_key is None
                and _next_is_colon(text, position)
            ):
                pending_key = (decoded, (start, start + len(raw)))
                continue
            value = JsonValue("string", start, start + len(raw), decoded)
        else:
            start = match.start("literal")
            value = JsonValue("literal", start, match.end(), json.loads(match.group("literal")))
        root = _attach(stack, value, pending_key) or root
        pending_key = None
    if root is None:
        raise ParseError.at(text, 0, "invalid JSON: empty document")
    return root


def _next_is_colon(text: str, position: int) -> bool:
    match = re.compile(r"\s*:").match(text, position)
    return match is not None


def _attach(
    stack: list[tuple[JsonValue, str | None, tuple[str, tuple[int, int]] | None]],
    value: JsonValue,
    key: tuple[str, tuple[int, int]] | None,
) -> JsonValue | None:
    if not stack:
        return value
    parent = stack[-1][0]
    if parent.kind == "object":
        assert key is not None, "the JSON was validated: an object's value follows its key"
        parent.items.append((key[0], key[1], value))
    else:
        parent.items.append(value)
    return None


# --- Terraform's JSON structure --------------------------------------------------------

_LABELS = {block_type: width for block_type, width in DECLARING.items() if width}
_EXPRESSION_ARGUMENTS = {"depends_on", "provider", "providers"}


def _bodies(value: JsonValue) -> list[JsonValue]:
    if value.kind == "array":
        return [item for item in value.items if item.kind == "object"]
    return [value] if value.kind == "object" else []


def _entries(value: JsonValue) -> list[tuple[str, JsonValue]]:
    return [(key, item) for key, _, item in value.items if key != "//"] if value.kind == "object" else []


def declarations(file: ModuleFile) -> list[Declaration]:
    """The declarations of one `.tf.json` file, each with its JSON body as its node."""
    out: list[Declaration] = []
    if file.json is None:
        return out
    for block_type, value in _entries(file.json):
        if block_type == "locals":
            for body in _bodies(value):
                out.extend(Declaration("local", (name,), file, item) for name, item in _entries(body))
            continue
        width = _LABELS.get(block_type)
        if width is None:
            if block_type in ("moved", "import", "removed", "terraform"):
                out.extend(Declaration(block_type, (), file, body) for body in _bodies(value))
            continue
        for labels, body in _labelled(value, width):
            if block_type == "provider":
                alias = body.get("alias")
                alias_name = alias.value if alias is not None and alias.kind == "string" else ""
                labels = (labels[0], alias_name if isinstance(alias_name, str) else "")
            out.append(Declaration(block_type, labels, file, body))
    return out


def collect_references(declaration: Declaration, model: SemanticModel) -> None:
    """Give the model every reference written in a JSON declaration's strings."""
    node = declaration.node
    assert isinstance(node, JsonValue), "a declaration of a .tf.json file holds its JSON value"
    if declaration.kind == "local":
        _strings(node, declaration, model)
        return
    if declaration.kind == "terraform":
        return
    for name, item in _entries(node):
        if declaration.kind == "variable" and name in ("default", "type", "description"):
            continue
        if name == "lifecycle":
            for lifecycle in _bodies(item):
                for inner, inner_item in _entries(lifecycle):
                    if inner != "ignore_changes":
                        _strings(
                            inner_item,
                            declaration,
                            model,
                            bare=inner == "replace_triggered_by",
                            context="replace_triggered_by"
                            if inner == "replace_triggered_by"
                            else "expression",
                        )
            continue
        if declaration.kind in ("moved", "removed", "import") and name in ("from", "to"):
            context = "moved_from" if name == "from" and declaration.kind != "import" else "address"
            _strings(item, declaration, model, bare=True, context=context)
            continue
        _strings(
            item,
            declaration,
            model,
            bare=name in _EXPRESSION_ARGUMENTS,
            context="depends_on" if name == "depends_on" else "expression",
            provider=name in ("provider", "providers"),
        )


def _labelled(
    value: JsonValue, width: int, labels: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], JsonValue]]:
    if width == 0:
        for body in _bodies(value):
            yield labels, body
        return
    for name, item in _entries(value):
        yield from _labelled(item, width - 1, labels + (name,))


def _strings(
    value: JsonValue,
    declaration: Declaration,
    model: SemanticModel,
    bare: bool = False,
    context: str = "expression",
    provider: bool = False,
) -> None:
    """Parse every string under a JSON value that holds an expression, and hand it to the model."""
    from tffix.syntax.parser import parse_expression

    stack = [value]
    while stack:
        current = stack.pop()
        if current.kind == "object":
            stack.extend(item for key, _, item in current.items if key != "//")
        elif current.kind == "array":
            stack.extend(current.items)
        elif (
            current.kind == "string"
            and isinstance(text := current.value, str)
            and (bare or "${" in text or "%{" in text)
        ):
            source = text if bare else json.dumps(text)
            try:
                expr = parse_expression(source)
            except ParseError:
                continue
            model.add_json_expression(expr, declaration, (current.start, current.end), context, provider)
