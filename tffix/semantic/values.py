"""Static values: what an expression is worth before Terraform runs, or why that cannot be known.

`evaluate` reads literals, templates, variables' defaults, locals, ``each``/
iterator bindings given to it, operators and the common functions, and returns
a Python value: ``str``, ``int``/``float``, ``bool``, ``None`` (null), ``list``
(tuples), `SetValue` (sets, in first-seen order so that expansions follow the
text), ``dict`` (objects and maps).  Anything else — a resource attribute, a data
source, an unsupported function — gives `Unknown`, whose ``reason`` says what is
missing in words a user can act on.

A variable's value is its ``default``: a caller may pass another, which is why
rules say where keys came from.  Evaluation is bounded in depth, so deeply nested
input gives `Unknown` rather than a `RecursionError`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeGuard

from tffix.syntax import nodes as n
from tffix.syntax import query

if TYPE_CHECKING:
    from tffix.semantic.model import SemanticModel

MAX_DEPTH = 100

# A static value: str, int, float, bool, None, list, `SetValue`, dict (string keys) or `Unknown`.
# Callers narrow it with isinstance, as the values come from text tffix does not control.
Value = object


class Unknown:
    """A value tffix cannot know from the text; ``reason`` names what is missing, ``node`` (where
    known) the expression it stands for, e.g. a template's ``${...}`` gap in `shape`."""

    __slots__ = ("node", "reason")

    def __init__(self, reason: str, node: n.Node | None = None):
        self.reason = reason
        self.node = node

    def __repr__(self) -> str:
        return f"Unknown({self.reason!r})"

    def __bool__(self) -> bool:
        raise TypeError("an Unknown value has no truth value; test with is_known()")


class SetValue(tuple[object, ...]):
    """A Terraform set: unique elements, kept in the order they were first written."""

    __slots__ = ()

    def __new__(cls, items: Iterable[object] = ()) -> SetValue:
        seen: set[str] = set()
        unique: list[object] = []
        for item in items:
            marker = json.dumps(item, sort_keys=True, default=str)
            if marker not in seen:
                seen.add(marker)
                unique.append(item)
        return super().__new__(cls, unique)


def is_known(value: Value) -> bool:
    """No `Unknown` anywhere inside the value."""
    stack: list[object] = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, Unknown):
            return False
        if isinstance(current, dict):
            stack.extend(current.values())
        elif isinstance(current, list | tuple):
            stack.extend(current)
    return True


def first_unknown(value: Value) -> Unknown | None:
    stack: list[object] = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, Unknown):
            return current
        if isinstance(current, dict):
            stack.extend(current.values())
        elif isinstance(current, list | tuple):
            stack.extend(current)
    return None


def describe(expr: object) -> str:
    """An expression as a user wrote it, on one line, for messages."""
    text = " ".join(expr.code.split()) if isinstance(expr, n.Node | n.Token) else str(expr)
    return text if len(text) <= 60 else text[:57] + "..."


class Evaluator:
    """One evaluation context: the model (for ``var.``/``local.``) and the names bound so far."""

    def __init__(self, model: SemanticModel | None, bindings: dict[str, Value] | None = None):
        self.model = model
        self.bindings = dict(bindings or {})
        self._locals_in_progress: set[str] = set()

    def evaluate(self, expr: n.Node, depth: int = 0) -> Value:
        if depth > MAX_DEPTH:
            return Unknown("the expression is nested too deeply to evaluate")
        method: Callable[[n.Node, int], Value] | None = getattr(self, "_" + type(expr).__name__, None)
        if method is None:
            return Unknown(f"`{describe(expr)}` is not a value tffix can compute")
        return method(expr, depth + 1)

    # --- literals ----------------------------------------------------------------------

    def _Literal(self, expr: n.Literal, depth: int) -> Value:
        return query.static_value(expr)

    def _Parenthesized(self, expr: n.Parenthesized, depth: int) -> Value:
        return self.evaluate(expr.expression, depth)

    def _TemplateString(self, expr: n.TemplateString, depth: int) -> Value:
        return self._template(expr, depth)

    def _Heredoc(self, expr: n.Heredoc, depth: int) -> Value:
        if all(isinstance(part, n.Token) for part in expr.parts):
            return query.string_value(expr)
        if expr.open.text.startswith("<<-"):
            return Unknown("an indented heredoc with interpolations")
        return self._template(expr, depth)

    def _template(self, expr: n.TemplateString | n.Heredoc, depth: int) -> Value:
        out = []
        for part in expr.parts:
            if isinstance(part, n.Token):
                if isinstance(expr, n.TemplateString):
                    out.append(query.string_value(n.TemplateString(expr.open, (part,), expr.close)))
                else:
                    out.append(part.text.replace("$${", "${").replace("%%{", "%{"))
            elif isinstance(part, n.Interpolation):
                value = self.evaluate(part.expression, depth)
                if isinstance(value, Unknown):
                    return value
                text = _to_string(value)
                if isinstance(text, Unknown):
                    return text
                out.append(text)
            else:
                return Unknown("a template with directives")
        return "".join(out)

    def _Tuple(self, expr: n.Tuple, depth: int) -> Value:
        return [self.evaluate(item.value, depth) for item in expr.items]

    def _Object(self, expr: n.Object, depth: int) -> Value:
        result = {}
        for item in expr.items:
            key = self._key(item.key, depth)
            if isinstance(key, Unknown):
                return key
            result[key] = self.evaluate(item.value, depth)
        return result

    def _key(self, key: n.Node, depth: int) -> Value:
        if isinstance(key, n.Variable):
            return key.name.text
        value = self.evaluate(key, depth)
        if isinstance(value, Unknown):
            return value
        text = _to_string(value)
        return text

    # --- operators ---------------------------------------------------------------------

    def _UnaryOperation(self, expr: n.UnaryOperation, depth: int) -> Value:
        value = self.evaluate(expr.operand, depth)
        if isinstance(value, Unknown):
            return value
        if expr.operator.text == "-" and _is_number(value):
            return -value
        if expr.operator.text == "!" and isinstance(value, bool):
            return not value
        return Unknown(f"`{describe(expr)}` is not a valid operation")

    def _BinaryOperation(self, expr: n.BinaryOperation, depth: int) -> Value:
        left = self.evaluate(expr.left, depth)
        right = self.evaluate(expr.right, depth)
        for value in (left, right):
            if isinstance(value, Unknown):
                return value
        op = expr.operator.text
        try:
            if op in ("==", "!="):
                return (left == right) == (op == "==")
            if op in ("&&", "||") and isinstance(left, bool) and isinstance(right, bool):
                return (left and right) if op == "&&" else (left or right)
            if _is_number(left) and _is_number(right):
                return _ARITHMETIC[op](left, right)
        except (KeyError, ZeroDivisionError):
            pass
        return Unknown(f"`{describe(expr)}` cannot be computed")

    def _Conditional(self, expr: n.Conditional, depth: int) -> Value:
        condition = self.evaluate(expr.condition, depth)
        if isinstance(condition, Unknown):
            return condition
        if not isinstance(condition, bool):
            return Unknown(f"`{describe(expr.condition)}` is not a bool")
        return self.evaluate(expr.true_value if condition else expr.false_value, depth)

    # --- references --------------------------------------------------------------------

    def _Variable(self, expr: n.Variable, depth: int) -> Value:
        name = expr.name.text
        if name in self.bindings:
            return self.bindings[name]
        return Unknown(f"`{name}` is not a value tffix can compute")

    def _Traversal(self, expr: n.Traversal, depth: int) -> Value:
        source = expr.source
        steps = list(expr.steps)
        if isinstance(source, n.Variable):
            name = source.name.text
            if name in self.bindings:
                value = self.bindings[name]
            elif name in ("var", "local") and steps and isinstance(first := steps[0], n.GetAttr):
                del steps[0]
                value = self._named(name, first.name.text, depth)
            elif name == "each" and "each" not in self.bindings:
                return Unknown("`each` is known per instance only")
            else:
                address = describe(expr)
                return Unknown(f"`{address}` is known only after apply")
        else:
            value = self.evaluate(source, depth)
        for step in steps:
            if isinstance(value, Unknown):
                return value
            value = self._step(value, step, depth)
        return value

    def _named(self, namespace: str, name: str, depth: int) -> Value:
        model = self.model
        if model is None:
            return Unknown(f"{namespace}.{name} is not known here")
        if namespace == "var":
            variable = model.variable(name)
            if variable is None:
                return Unknown(f'variable "{name}" is not declared in this module')
            default = variable.attribute("default")
            if default is None:
                return Unknown(f'variable "{name}" has no default')
            return self.evaluate(default.value, depth)
        local = model.local(name)
        if local is None:
            return Unknown(f"local.{name} is not declared in this module")
        if name in self._locals_in_progress:
            return Unknown(f"local.{name} refers to itself")
        expression = local.local_value
        if expression is None:
            return Unknown(f"local.{name} is written in JSON")
        self._locals_in_progress.add(name)
        try:
            return (
                Evaluator(model).evaluate(expression, depth)
                if self.bindings
                else self.evaluate(expression, depth)
            )
        finally:
            self._locals_in_progress.discard(name)

    def _step(self, value: Value, step: n.Node, depth: int) -> Value:
        if isinstance(step, n.GetAttr):
            key = step.name.text
            if isinstance(value, dict):
                return value.get(key, Unknown(f"no attribute {key!r}"))
            if isinstance(value, list | tuple) and key.isdigit():
                index = int(key)
                return value[index] if index < len(value) else Unknown("index out of range")
            return Unknown(f"no attribute {key!r}")
        if isinstance(step, n.Index):
            index_key = self.evaluate(step.key, depth)
            if isinstance(index_key, Unknown):
                return index_key
            if isinstance(value, dict) and isinstance(index_key, str):
                return value.get(index_key, Unknown(f"no key {index_key!r}"))
            if (
                isinstance(value, list)
                and _is_number(index_key)
                and int(index_key) == index_key
                and 0 <= index_key < len(value)
            ):
                return value[int(index_key)]
            return Unknown("the index selects nothing tffix can compute")
        return Unknown("a splat expression")

    # --- for expressions and functions ---------------------------------------------------

    def _ForExpression(self, expr: n.ForExpression, depth: int) -> Value:
        collection = self.evaluate(expr.collection, depth)
        if isinstance(collection, Unknown):
            return collection
        pairs = _pairs(collection)
        if isinstance(pairs, Unknown):
            return pairs
        key_expr = expr.key  # the object form: {for ... : key => value}
        out_list: list[Value] = []
        out_map: dict[str, Value] = {}
        groups: dict[str, list[Value]] = {}  # the grouping form: key => value...
        for key, value in pairs:
            names = (
                {expr.first_name.text: value}
                if expr.second_name is None
                else {expr.first_name.text: key, expr.second_name.text: value}
            )
            inner = Evaluator(self.model, {**self.bindings, **names})
            if expr.condition is not None:
                keep = inner.evaluate(expr.condition, depth)
                if not isinstance(keep, bool):
                    return (
                        keep if isinstance(keep, Unknown) else Unknown("a for condition that is not a bool")
                    )
                if not keep:
                    continue
            if key_expr is not None:
                out_key = _to_string(inner.evaluate(key_expr, depth))
                if isinstance(out_key, Unknown):
                    return out_key  # an unknown key, or one that is not a string (Terraform rejects it)
                if expr.ellipsis is not None:
                    groups.setdefault(out_key, []).append(inner.evaluate(expr.value, depth))
                else:
                    out_map[out_key] = inner.evaluate(expr.value, depth)
            else:
                out_list.append(inner.evaluate(expr.value, depth))
        if key_expr is None:
            return out_list
        return groups if expr.ellipsis is not None else out_map

    def _FunctionCall(self, expr: n.FunctionCall, depth: int) -> Value:
        name = "".join(token.text for token in expr.name_tokens)
        function = FUNCTIONS.get(name)
        if function is None or expr.ellipsis:
            return Unknown(f"{name}() is not a function tffix evaluates")
        arguments = [self.evaluate(argument.value, depth) for argument in expr.arguments]
        for argument in arguments:
            if isinstance(argument, Unknown):
                return argument
        try:
            return function(*arguments)
        except (TypeError, ValueError, KeyError, IndexError):
            return Unknown(f"{name}() with these arguments is not something tffix evaluates")


def shape(expr: n.Node, model: SemanticModel | None = None) -> tuple[str | Unknown, ...]:
    """A string expression as literal pieces and `Unknown` gaps: ``"arn:${var.p}:s3:::${var.b}"``
    gives ``("arn:", Unknown, ":s3:::", Unknown)``; a known value gives one piece."""
    evaluator = Evaluator(model)
    value = evaluator.evaluate(expr)
    if isinstance(value, str):
        return (value,)
    if not isinstance(expr, n.TemplateString):
        return (value if isinstance(value, Unknown) else Unknown("not a string"),)
    pieces: list[str | Unknown] = []
    for part in expr.parts:
        if isinstance(part, n.Token):
            piece = _to_string(evaluator.evaluate(n.TemplateString(expr.open, (part,), expr.close)))
        elif isinstance(part, n.Interpolation):
            piece = _to_string(evaluator.evaluate(part.expression))
            if isinstance(piece, Unknown):
                piece = Unknown(piece.reason, part.expression)
        else:
            piece = Unknown("a template directive")
        if pieces and isinstance(piece, str) and isinstance(pieces[-1], str):
            pieces[-1] += piece
        else:
            pieces.append(piece)
    return tuple(pieces)


def literal_source(
    expr: n.Node, model: SemanticModel | None = None, depth: int = 0
) -> n.Object | n.Tuple | None:
    """The literal object or tuple an expression stands for, through parentheses, ``toset``/
    ``tolist``/``tomap``, a variable's default and a local; None when it is computed."""
    while depth < MAX_DEPTH:
        depth += 1
        if isinstance(expr, n.Parenthesized):
            expr = expr.expression
        elif (
            isinstance(expr, n.FunctionCall)
            and len(expr.arguments) == 1
            and not expr.ellipsis
            and "".join(t.text for t in expr.name_tokens) in ("toset", "tolist", "tomap")
        ):
            expr = expr.arguments[0].value
        elif (
            isinstance(expr, n.Traversal)
            and isinstance(expr.source, n.Variable)
            and model is not None
            and expr.source.name.text in ("var", "local")
            and len(expr.steps) == 1
            and isinstance(expr.steps[0], n.GetAttr)
        ):
            name = expr.steps[0].name.text
            if expr.source.name.text == "var":
                variable = model.variable(name)
                default = variable.attribute("default") if variable is not None else None
                if default is None:
                    return None
                expr = default.value
            else:
                local = model.local(name)
                value = local.local_value if local is not None else None
                if value is None:
                    return None
                expr = value
        else:
            return expr if isinstance(expr, n.Object | n.Tuple) else None
    return None


def evaluate(
    expr: n.Node, model: SemanticModel | None = None, bindings: dict[str, Value] | None = None
) -> Value:
    """The static value of ``expr`` (see the module docstring), or `Unknown`."""
    return Evaluator(model, bindings).evaluate(expr)


# --- helpers -------------------------------------------------------------------------------

_ARITHMETIC: dict[str, Callable[[float, float], Value]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
    "%": lambda a, b: a % b,
    "<": lambda a, b: a < b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    ">=": lambda a, b: a >= b,
}


def _is_number(value: Value) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _to_string(value: Value) -> str | Unknown:
    if isinstance(value, str | Unknown):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if _is_number(value):
        return str(int(value)) if float(value).is_integer() else repr(value)
    return Unknown("a value that is not a string used as one")


def _pairs(collection: Value) -> list[tuple[Value, Value]] | Unknown:
    if isinstance(collection, dict):
        return list(collection.items())
    if isinstance(collection, list | tuple):
        if isinstance(collection, SetValue):
            return [(item, item) for item in collection]
        return list(enumerate(collection))
    return Unknown("a for expression over something that is not a collection")


def _merge(*maps: Value) -> dict[str, Value]:
    result: dict[str, Value] = {}
    for item in maps:
        if not isinstance(item, dict):
            raise TypeError("merge() takes maps")
        result.update(item)
    return result


def _concat(*lists: Value) -> list[Value]:
    result: list[Value] = []
    for item in lists:
        if not isinstance(item, list | tuple):
            raise TypeError("concat() takes lists")
        result.extend(item)
    return result


_FORMAT_VERB = r"%(?:%|(?:\[\d+\])?[-+# 0]*\d*(?:\.\d+)?([sdvtfq]))"  # compiled by `re` on first use


def _format(spec: Value, *arguments: Value) -> str:
    if not isinstance(spec, str):
        raise TypeError("format() takes a string")
    remaining = list(arguments)

    def one(match: re.Match[str]) -> str:
        if match.group(0) == "%%":
            return "%"
        value = remaining.pop(0)
        verb = match.group(1)
        if verb == "q":
            return json.dumps(value)
        if verb == "d" and not _is_number(value):
            raise TypeError("%d needs a number")
        text = _to_string(value)
        if isinstance(text, Unknown):
            raise TypeError("format() of a non-primitive")
        return text

    return re.sub(_FORMAT_VERB, one, spec)


def _tolist(value: Value) -> list[Value]:
    if isinstance(value, list | tuple):
        return list(value)
    raise TypeError("tolist() takes a list or set")


def _toset(value: Value) -> SetValue:
    if isinstance(value, list | tuple):
        return SetValue(value)
    raise TypeError("toset() takes a list or set")


def _keys(value: Value) -> list[str]:
    if isinstance(value, dict):
        return sorted(value)
    raise TypeError("keys() takes a map")


def _values(value: Value) -> list[Value]:
    if isinstance(value, dict):
        return [value[key] for key in sorted(value)]
    raise TypeError("values() takes a map")


def _length(value: Value) -> int:
    if isinstance(value, str | list | tuple | dict):
        return len(value)
    raise TypeError("length() takes a collection or string")


def _join(separator: str, *lists: list[Value]) -> str:
    texts = []
    for items in lists:
        for item in items:
            text = _to_string(item)
            if isinstance(text, Unknown):
                raise TypeError("join() takes lists of strings")
            texts.append(text)
    return separator.join(texts)


def _setsubtract(a: Iterable[Value], b: Iterable[Value]) -> SetValue:
    return SetValue(item for item in a if item not in b)


def _tomap(value: Value) -> dict[str, Value]:
    if isinstance(value, dict):
        return dict(value)
    raise TypeError("tomap() takes an object")


def _flatten(value: Iterable[Value]) -> list[Value]:
    out: list[Value] = []
    stack = [iter(value)]
    while stack:
        for item in stack[-1]:
            if isinstance(item, list | tuple):
                stack.append(iter(item))
                break
            out.append(item)
        else:
            stack.pop()
    return out


FUNCTIONS: dict[str, Callable[..., Value]] = {
    "toset": _toset,
    "tolist": _tolist,
    "tomap": _tomap,
    "keys": _keys,
    "values": _values,
    "merge": _merge,
    "concat": _concat,
    "format": _format,
    "length": _length,
    "lower": lambda s: s.lower(),
    "upper": lambda s: s.upper(),
    "join": _join,
    "distinct": lambda items: list(SetValue(items)),
    "flatten": _flatten,
    "setsubtract": _setsubtract,
    "setunion": lambda *sets: SetValue(i for s in sets for i in s),
    "tostring": lambda value: _to_string(value),
    "sort": lambda items: sorted(items),
    "range": lambda *args: list(range(*(int(a) for a in args))),
}
