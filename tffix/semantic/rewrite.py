"""Rewriting references: the one place that knows which steps of a traversal its address takes.

A rule says what a reference should name now (``module.kms_us_east_1`` instead of
``module.kms["us-east-1"]``) or which instance's values ``each.key``/``each.value``
stand for; these functions cut the traversal where the model cut it and keep
everything after (``.arn``, ``[0]``), through the syntax layer's edit API.
"""

from __future__ import annotations

from tffix.semantic.symbols import Reference
from tffix.semantic.values import Unknown, Value, is_known
from tffix.syntax import build, edit, query
from tffix.syntax import nodes as n
from tffix.syntax.errors import EditError


def head_width(reference: Reference) -> int:
    """How many steps of the reference's traversal its address and instance key take."""
    return len(reference.names) - 1 + (1 if reference.key is not None else 0)


def retarget(root: n.Node, reference: Reference, address: build.Expression, keep_key: bool = False) -> n.Node:
    """``root`` with ``reference`` naming ``address`` instead; the steps after its address are kept,
    and its instance key too with ``keep_key`` (``module.kms[each.key].arn`` -> ``local.kms[each.key].arn``)."""
    node = reference.node
    width = head_width(reference) - (1 if keep_key and reference.key is not None else 0)
    if not isinstance(node, n.Traversal) or (width == len(node.steps) and not keep_key):
        return edit.replace_expression(root, node, address.text)
    return edit.replace_head(root, node, width, address.text)


def rename_attribute(root: n.Node, reference: Reference, name: str) -> n.Node:
    """``root`` with the first attribute after the reference's address (and key) renamed:
    ``module.kms.nope`` -> ``module.kms.arn``, ``module.kms["a"].nope.id`` -> ``module.kms["a"].arn.id``."""
    step = reference.steps[0] if reference.steps else None
    if not isinstance(step, n.GetAttr):
        raise EditError(f"`{reference.text()}` names no attribute after its address")
    return root.replace_descendant(step.name, step.name.with_text(build.identifier(name)))


def substitute(root: n.Node, reference: Reference, value: Value, source: n.Node | None = None) -> n.Node:
    """``root`` with ``each.key``/``each.value...`` replaced by one instance's value.

    ``value`` is what the reference's address stands for (the key, or each.value),
    ``source`` the node it is written in, if any.  Member steps (``.region``,
    ``["role"]``, ``[0]``) are followed into the value and its source; a string
    standing alone in ``${...}`` is inlined into its template.  Raises `EditError`
    when the value is neither known nor written anywhere.
    """
    steps = list(reference.steps)
    used = 0
    for step in steps:
        key = _member_key(step)
        member = _member(value, key)
        if key is None or isinstance(member, Unknown):
            break
        value = member
        source = _member_node(source, key) if source is not None else None
        used += 1
    whole = used == len(steps)
    if source is not None and (query.references_in_any(source) or not is_known(value)):
        text = source.code.strip()  # written with references: keep the expression, not its value
    elif is_known(value):
        if whole and reference.interpolation is not None and isinstance(value, str):
            return edit.inline_interpolation(root, reference.interpolation, value)
        text = build.render(value)
    else:
        raise EditError(f"`{reference.text()}` has no value tffix can write for this instance")
    if whole or not isinstance(reference.node, n.Traversal):
        return edit.replace_expression(root, reference.node, text)
    return edit.replace_head(root, reference.node, len(reference.names) - 1 + used, text)


def _member_key(step: n.Node) -> object:
    if isinstance(step, n.GetAttr):
        return step.name.text
    if isinstance(step, n.Index):
        try:
            return query.static_value(step.key)
        except query.NotStatic:
            return None
    return None


def _member(value: Value, key: object) -> Value:
    if isinstance(value, dict) and isinstance(key, str):
        return value.get(key, Unknown("no such key"))
    if isinstance(value, list | tuple) and isinstance(key, int) and 0 <= key < len(value):
        return value[key]
    return Unknown("no such member")


def _member_node(source: n.Node, key: object) -> n.Node | None:
    if isinstance(source, n.Object) and isinstance(key, str):
        item = query.object_item(source, key)
        return item.value if item is not None else None
    if isinstance(source, n.Tuple) and isinstance(key, int) and 0 <= key < len(source.items):
        return source.items[key].value
    return None
