"""Reading the tree the way a Terraform user talks about it.

Blocks by type and labels, attributes by name, references as dotted paths,
static values of literals.  Nothing here knows a provider: a rule supplies the
names it cares about.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from tffix.syntax import nodes as n
from tffix.syntax import trivia
from tffix.syntax.escapes import unescape

NotStatic = n.NotStatic


def body_of(node: n.Node) -> n.Body:
    if isinstance(node, n.File | n.Block):
        return node.body
    if isinstance(node, n.Body):
        return node
    raise TypeError(f"{type(node).__name__} has no body")


def block_type(block: n.Block) -> str:
    return block.type_token.text


def block_labels(block: n.Block) -> tuple[str, ...]:
    return block.labels


def blocks(node: n.Node, type_: str | None = None, *labels: str) -> Iterator[n.Block]:
    """Direct child blocks of a file, body or block, filtered by type and leading labels."""
    for item in body_of(node).items:
        if not isinstance(item, n.Block) or (type_ is not None and item.type != type_):
            continue
        if labels and n.leading_labels(item, len(labels)) != labels:
            continue
        yield item


def attributes(node: n.Node) -> Iterator[n.Attribute]:
    for item in body_of(node).items:
        if isinstance(item, n.Attribute):
            yield item


def attribute(node: n.Node, name: str) -> n.Attribute | None:
    for item in body_of(node).items:
        if isinstance(item, n.Attribute) and item.name.text == name:
            return item
    return None


def string_value(expr: n.Node) -> str:
    """The value of a quoted string or heredoc without interpolations."""
    if isinstance(expr, n.TemplateString):
        texts = [p.text for p in expr.parts if isinstance(p, n.Token)]
        if len(texts) != len(expr.parts):
            raise NotStatic("template with interpolation")
        return unescape("".join(texts))
    if isinstance(expr, n.Heredoc):
        if any(not isinstance(p, n.Token) for p in expr.parts):
            raise NotStatic("heredoc with interpolation")
        return heredoc_text(expr)
    raise NotStatic(f"{type(expr).__name__} is not a string")


def heredoc_text(expr: n.Heredoc) -> str:
    """A heredoc's raw content (interpolations as written), with `<<-` indentation removed."""
    raw = "".join(p.code for p in expr.parts)
    if expr.open.text.startswith("<<-"):
        lines = raw.split("\n")
        indents = [len(line) - len(line.lstrip(" \t")) for line in lines if line.strip()]
        cut = min(indents, default=0)
        raw = "\n".join(line[cut:] for line in lines)
    return raw


def static_value(expr: n.Node) -> object:
    """A Python value for a literal expression (strings, numbers, bools, null, tuples, objects)."""
    if isinstance(expr, n.Parenthesized):
        return static_value(expr.expression)
    if isinstance(expr, n.Literal):
        text = expr.token.text
        if text in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[text]
        return json.loads(text) if re.fullmatch(r"-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?", text) else text
    if isinstance(expr, n.TemplateString | n.Heredoc):
        return string_value(expr)
    if isinstance(expr, n.UnaryOperation) and expr.operator.type == "MINUS":
        value = static_value(expr.operand)
        if isinstance(value, int | float):
            return -value
    if isinstance(expr, n.Tuple):
        return [static_value(item.value) for item in expr.items]
    if isinstance(expr, n.Object):
        return {object_key(item): static_value(item.value) for item in expr.items}
    raise NotStatic(f"{type(expr).__name__} is not a literal")


def object_key(item: n.ObjectItem) -> str:
    """The key of an object item: a bare name or a literal string."""
    key = item.key
    if isinstance(key, n.Variable):
        return key.name.text
    if isinstance(key, n.Literal):
        return key.token.text
    if isinstance(key, n.Parenthesized):
        key = key.expression
    return string_value(key)


def object_item(obj: n.Object, key: str) -> n.ObjectItem | None:
    for item in obj.items:
        try:
            if object_key(item) == key:
                return item
        except NotStatic:
            continue
    return None


def reference(expr: n.Node) -> tuple[str, ...] | None:
    """``aws_s3_bucket.logs.arn`` as ``("aws_s3_bucket", "logs", "arn")``.

    Literal index steps appear as their value (``module.kms["a"]`` gives
    ``("module", "kms", "a")``); any other step ends the path.
    """
    if isinstance(expr, n.Variable):
        return (expr.name.text,)
    if not isinstance(expr, n.Traversal) or not isinstance(expr.source, n.Variable):
        return None
    path = [expr.source.name.text]
    for step in expr.steps:
        if isinstance(step, n.GetAttr):
            path.append(step.name.text)
        elif isinstance(step, n.Index):
            try:
                path.append(str(static_value(step.key)))
            except NotStatic:
                break
        else:
            break
    return tuple(path)


def references(expr: n.Node) -> Iterator[tuple[str, ...]]:
    """Every reference inside an expression (templates and function arguments included)."""
    for node in expr.walk():
        path = reference(node) if isinstance(node, n.Traversal) else None
        if path is not None:
            yield path
        elif isinstance(node, n.Variable) and not _is_traversal_source(expr, node):
            yield (node.name.text,)


def _is_traversal_source(root: n.Node, variable: n.Variable) -> bool:
    return any(isinstance(node, n.Traversal) and node.source is variable for node in root.walk())


def function_call(expr: n.Node, name: str) -> n.FunctionCall | None:
    """``expr`` itself if it calls ``name`` (e.g. ``jsonencode``)."""
    if isinstance(expr, n.FunctionCall) and "".join(t.text for t in expr.name_tokens) == name:
        return expr
    return None


def indentation(node: n.Node) -> str:
    """The indentation of the line a parsed node starts on (from its own prefix)."""
    prefix = node.first_token.prefix
    if "\n" in prefix:
        return trivia.last_line_indent(prefix)
    return prefix if not prefix.strip() else ""


def same_expression(a: n.Node | n.Token, b: n.Node | n.Token) -> bool:
    """Two expressions written alike but for spaces, comments, newlines and separating commas."""
    return _significant(a) == _significant(b)


def _significant(node: n.Node | n.Token) -> list[str]:
    return [token.text for token in node.tokens() if token.type not in ("NL", "COMMA")]


def references_in_any(expr: n.Node) -> bool:
    """Whether an expression names anything (a variable or traversal), so its text is not a literal."""
    return any(isinstance(node, n.Variable) for node in expr.walk())


def leading_trivia(node: n.Node) -> str:
    """The spaces, newlines and comments written before a node (its first token's prefix)."""
    return node.first_token.prefix


def text(node: n.Node) -> str:
    """A node's source text without the trivia before it."""
    code = node.code
    return code[len(node.first_token.prefix) :]


def written_labels(block: n.Block) -> tuple[str, ...]:
    """A block's labels as written: values of plain ones, the source of a templated one."""
    return n.leading_labels(block, len(block.label_tokens))
