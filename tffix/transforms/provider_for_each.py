"""TFX001 provider-for-each: expand ``for_each`` in provider blocks into one aliased provider per key.

Every Terraform release rejects the module while loading it: "Reserved argument
name in provider block: The provider argument name "for_each" is reserved for
use by Terraform in a future version."  No Terraform version expands provider
blocks, so the only form Terraform accepts is one aliased provider per key,
each module call or resource that picked ``aws[each.key]`` written out once per
key with ``aws.<alias>``, and references to the former map of instances
(``module.kms``, ``module.kms["us-east-1"]``) pointed at the expanded objects,
through a ``locals`` map where the whole map was used.

The keys must be known while reading the text: a literal set, list or map, a
variable's ``default`` or a literal local.  Otherwise the finding says what is
missing and changes nothing.

OpenTofu >= 1.9 (``--target opentofu``) accepts ``for_each`` on an aliased
provider: there the rule only adds a missing ``alias``, rewrites
``aws[each.key]`` as ``aws.<alias>[each.key]`` and reports a resource whose
``for_each`` is exactly the provider's (removing a key would destroy the
provider instance together with its resources).
"""
from __future__ import annotations

import json
import re

from tffix.edits import Edit
from tffix.rules import Fix, Rule, finding, replace
from tffix.syntax import nodes as n
from tffix.syntax import query
from tffix.syntax.edit import newline_of, parse_snippet, snippet_expression
from tffix.syntax.source import Span

_CONVERSIONS = ("toset", "tolist")
RESERVED = "Reserved argument name in provider block"


class UnknownKeys(Exception):
    """The keys of a collection cannot be read from the text; the message says what is missing."""


def check(module):
    for file, provider in module.blocks("provider"):
        for_each = provider.attribute("for_each")
        if for_each is None or not provider.labels:
            continue
        if module.target == "opentofu":
            yield from _opentofu(module, file, provider, for_each)
        else:
            yield _terraform(module, file, provider, for_each)


# --- Key sets ------------------------------------------------------------------------------


def key_set(module, expr, seen=()) -> dict[str, str]:
    """Each key of a for_each collection with the source text of its ``each.value``."""
    if isinstance(expr, n.Parenthesized):
        return key_set(module, expr.expression, seen)
    for name in _CONVERSIONS:
        call = query.function_call(expr, name)
        if call is not None and len(call.arguments) == 1:
            return key_set(module, call.arguments[0].value, seen)
    if isinstance(expr, n.Tuple):
        keys = {}
        for item in expr.items:
            value = _static(item.value, expr)
            if not isinstance(value, str):
                raise UnknownKeys(f"the element `{item.value.code.strip()}` is not a literal string")
            keys[value] = json.dumps(value)
        return keys
    if isinstance(expr, n.Object):
        keys = {}
        for item in expr.items:
            try:
                keys[query.object_key(item)] = item.value.code.strip()
            except query.NotStatic:
                raise UnknownKeys(f"the key `{item.key.code.strip()}` is not a literal") from None
        return keys
    path = query.reference(expr)
    if path and len(path) == 2 and path[0] in ("var", "local") and path not in seen:
        source = _variable_default(module, path[1]) if path[0] == "var" else _local(module, path[1])
        if source is None:
            if path[0] == "var":
                raise UnknownKeys(f'set a default for variable "{path[1]}" or list the keys literally')
            raise UnknownKeys(f"local.{path[1]} is not defined in this module; list the keys literally")
        return key_set(module, source, seen + (path,))
    raise UnknownKeys(f"the keys of `{expr.code.strip()}` cannot be known before apply; list them literally "
                      "or take them from a variable with a default")


def _static(expr, owner):
    try:
        return query.static_value(expr)
    except query.NotStatic:
        raise UnknownKeys(f"`{expr.code.strip()}` in `{owner.code.strip()}` is not a literal") from None


def _variable_default(module, name):
    for _, block in module.blocks("variable", name):
        default = block.attribute("default")
        return default.value if default is not None else None
    return None


def _local(module, name):
    for _, block in module.blocks("locals"):
        attr = block.attribute(name)
        if attr is not None:
            return attr.value
    return None


def alias_name(key: str) -> str:
    """A valid identifier for a key: ``us-east-1`` gives ``us_east_1``."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", key)
    if not name or not (name[0].isalpha() or name[0] == "_"):
        name = "k_" + name
    return name


# --- Terraform: expansion ------------------------------------------------------------------


class _Consumer:
    """A module call, resource or data source that iterates the provider's keys."""

    def __init__(self, file, block, keys, refs):
        self.file, self.block, self.keys, self.refs = file, block, keys, refs
        kind = block.type
        labels = block.labels
        self.prefix = ("module", labels[0]) if kind == "module" else (
            ("data",) + labels[:2] if kind == "data" else labels[:2])
        self.name = labels[0] if kind == "module" else labels[1]

    def instance(self, key):
        return self.prefix[:-1] + (f"{self.name}_{alias_name(key)}",)


def _terraform(module, file, provider, for_each):
    message = (f'{RESERVED}: `for_each` is not allowed in provider "{provider.labels[0]}" '
               "in any Terraform version")
    try:
        keys = key_set(module, for_each.value)
    except UnknownKeys as missing:
        return finding(file, for_each.name, f"{message}; cannot expand it: {missing}")
    name = provider.labels[0]
    alias = provider.attribute("alias")
    alias_text = _string_or_none(alias.value) if alias is not None else None
    consumers = []
    for other_file, block in _iterating_blocks(module):
        refs = _provider_refs(block, name, alias_text)
        if not refs:
            continue
        try:
            own = key_set(module, block.attribute("for_each").value)
        except UnknownKeys as missing:
            return finding(file, for_each.name, f"{message}; cannot expand {_describe(block)}: {missing}")
        if not set(own) <= set(keys):
            return finding(file, for_each.name, f"{message}; cannot expand {_describe(block)}: "
                           "it iterates keys the provider does not have")
        consumers.append(_Consumer(other_file, block, own, refs))
    try:
        edits = _expansion(module, file, provider, for_each, keys, consumers)
    except UnknownKeys as missing:
        return finding(file, for_each.name, f"{message}; cannot expand it: {missing}")
    what = f"one aliased provider per key ({', '.join(alias_name(k) for k in keys)})"
    return finding(file, for_each.name, f"{message}; expanded into {what}", fix=Fix(edits))


def _expansion(module, file, provider, for_each, keys, consumers):
    """The edits writing the provider, its consumers and the references to them once per key."""
    name = provider.labels[0]
    alias = provider.attribute("alias")
    locals_needed = {}
    rewrite = _Rewriter(consumers, module, locals_needed)
    edits = [_replace_block(file, provider, [
        _rewrite_alias(_substitute(provider.remove(for_each), key, value), alias, alias_name(key))
        for key, value in keys.items()])]
    expanded = {id(c.block) for c in consumers}
    for other_file, block in module.blocks():
        if id(block) in expanded or block is provider:
            continue
        new = _fixed_instances(rewrite.block(block), name, _string_or_none(alias.value) if alias else None, keys)
        if new is not block:
            edits.extend(replace(other_file, block, new))
    for consumer in consumers:
        copies = []
        for key, value in consumer.keys.items():
            block = consumer.block
            for ref in consumer.refs:
                block = block.replace_descendant(ref, _expression(f"{name}.{alias_name(key)}", ref))
            block = block.remove(block.attribute("for_each"))
            block = _substitute(block, key, value)
            block = rewrite.block(block)
            copies.append(_relabel(block, consumer.instance(key)[-1]))
        local = locals_needed.get(consumer.prefix)
        extra = [_locals_block(consumer, local, newline_of(consumer.file.tree))] if local else []
        edits.append(_replace_block(consumer.file, consumer.block, copies, extra))
    return edits


def _describe(block) -> str:
    return " ".join([block.type] + [json.dumps(label) for label in block.labels])


def _string_or_none(expr):
    try:
        return query.string_value(expr)
    except query.NotStatic:
        return None


def _iterating_blocks(module):
    for kind in ("module", "resource", "data"):
        for file, block in module.blocks(kind):
            if block.attribute("for_each") is not None:
                yield file, block


def _provider_refs(block, name, alias):
    """``aws[each.key]`` / ``aws.<alias>[each.key]`` in ``providers`` or ``provider`` of a block."""
    places = []
    if block.type == "module":
        providers = block.attribute("providers")
        if providers is not None and isinstance(providers.value, n.Object):
            places = [item.value for item in providers.value.items]
    else:
        attr = block.attribute("provider")
        if attr is not None:
            places = [attr.value]
    refs = []
    for expr in places:
        if not isinstance(expr, n.Traversal) or not isinstance(expr.source, n.Variable):
            continue
        if expr.source.name.text != name:
            continue
        steps = expr.steps
        if len(steps) == 2 and isinstance(steps[0], n.GetAttr) and alias is not None \
                and steps[0].name.text == alias:
            steps = steps[1:]
        if len(steps) == 1 and isinstance(steps[0], n.Index) and _each(steps[0].key) == "key":
            refs.append(expr)
    return refs


def _fixed_instances(block, name, alias, keys):
    """``provider = aws["us-east-1"]`` (one literal instance) written as ``aws.us_east_1``."""
    places = [block.attribute("provider")]
    providers = block.attribute("providers") if block.type == "module" else None
    if providers is not None and isinstance(providers.value, n.Object):
        places += providers.value.items
    for place in places:
        expr = place.value if place is not None else None
        if not isinstance(expr, n.Traversal) or not isinstance(expr.source, n.Variable) \
                or expr.source.name.text != name:
            continue
        steps = expr.steps
        if len(steps) == 2 and isinstance(steps[0], n.GetAttr) and steps[0].name.text == alias:
            steps = steps[1:]
        if len(steps) != 1 or not isinstance(steps[0], n.Index):
            continue
        try:
            key = query.static_value(steps[0].key)
        except query.NotStatic:
            continue
        if key in keys:
            block = block.replace_descendant(expr, _expression(f"{name}.{alias_name(key)}", expr))
    return block


def _each(expr):
    """``"key"`` or ``"value"`` when ``expr`` is exactly ``each.key`` / ``each.value``."""
    if isinstance(expr, n.Traversal) and isinstance(expr.source, n.Variable) \
            and expr.source.name.text == "each" and len(expr.steps) == 1 \
            and isinstance(expr.steps[0], n.GetAttr) and expr.steps[0].name.text in ("key", "value"):
        return expr.steps[0].name.text
    return None


def _expression(text, old):
    """A parsed expression standing where ``old`` stood (same leading trivia)."""
    new = snippet_expression(text)
    return new.replace_descendant(new.first_token, new.first_token.with_prefix(old.first_token.prefix))


def _substitute(block, key, value):
    """``each.key`` and ``each.value`` replaced by the literals of one key."""
    literal = {"key": json.dumps(key), "value": value}
    static = {"key": key}
    try:
        static["value"] = query.string_value(snippet_expression(value))
    except query.NotStatic:
        pass
    block = _substitute_members(block, value)
    while True:
        target = next((node for node in block.walk() if _each(node)), None)
        if target is None:
            leftover = next((node for node in block.walk()
                             if isinstance(node, n.Variable) and node.name.text == "each"), None)
            if leftover is not None:
                raise UnknownKeys(f"`{_parent(block, leftover).code.strip()}` cannot be resolved for the "
                                  f"key {json.dumps(key)}")
            return block
        parent = _parent(block, target)
        which = _each(target)
        if isinstance(parent, n.Interpolation) and which in static:
            text = static[which].replace("$", "$$").replace("%{", "%%{")
            text = json.dumps(text)[1:-1]
            block = block.replace_descendant(parent, n.Token("TEMPLATE_TEXT", text))
        else:
            block = block.replace_descendant(target, _expression(literal[which], target))
        block = _merge_template_text(block)


def _substitute_members(block, value):
    """``each.value.name`` (or ``each.value["name"]``, ``each.value[0]``) replaced by that member of a literal."""
    while True:
        target = next((node for node in block.walk() if isinstance(node, n.Traversal)
                       and isinstance(node.source, n.Variable) and node.source.name.text == "each"
                       and len(node.steps) > 1 and isinstance(node.steps[0], n.GetAttr)
                       and node.steps[0].name.text == "value" and _member(snippet_expression(value), node.steps[1])
                       is not None), None)
        if target is None:
            return block
        expr = snippet_expression(value)
        steps = list(target.steps[1:])
        while steps and _member(expr, steps[0]) is not None:
            expr = _member(expr, steps.pop(0))
        new = _expression(expr.code.strip(), target)
        if steps:
            new = n.Traversal(new, tuple(steps)) if not isinstance(new, n.Traversal) else \
                n.Traversal(new.source, new.steps + tuple(steps))
        block = block.replace_descendant(target, new)


def _member(expr, step):
    """The item of a literal object or tuple that one traversal step selects, if it can be told."""
    if isinstance(step, n.GetAttr):
        key = step.name.text
    elif isinstance(step, n.Index):
        try:
            key = query.static_value(step.key)
        except query.NotStatic:
            return None
    else:
        return None
    if isinstance(expr, n.Object) and isinstance(key, str):
        item = query.object_item(expr, key)
        return item.value if item is not None else None
    if isinstance(expr, n.Tuple) and isinstance(key, int) and 0 <= key < len(expr.items):
        return expr.items[key].value
    return None


def _parent(root, child):
    for node in root.walk():
        if any(c is child for c in node.children()):
            return node
    return None


def _merge_template_text(block):
    """Adjacent template text tokens (left by inlining an interpolation) joined into one."""
    for node in block.walk():
        if isinstance(node, n.TemplateString | n.Heredoc):
            parts = []
            for part in node.parts:
                if parts and isinstance(part, n.Token) and isinstance(parts[-1], n.Token) \
                        and part.type == parts[-1].type == "TEMPLATE_TEXT":
                    parts[-1] = n.Token("TEMPLATE_TEXT", parts[-1].text + part.text)
                else:
                    parts.append(part)
            if len(parts) != len(node.parts):
                block = block.replace_descendant(node, node.with_changes(parts=tuple(parts)))
                return _merge_template_text(block)
    return block


def _rewrite_alias(block, alias, name):
    """``alias = "<name>"`` as the block's first attribute."""
    if alias is not None:
        block = block.remove(block.attribute("alias"))
    attrs = block.attributes()
    if attrs:
        return block.insert_attribute("alias", json.dumps(name), before=attrs[0].name.text)
    return block.insert_attribute("alias", json.dumps(name))


def _relabel(block, name):
    label = block.label_tokens[0] if block.type == "module" else block.label_tokens[1]
    new = parse_snippet(f'x "{name}" {{\n}}\n').items[0].label_tokens[0]
    if isinstance(label, n.Token):
        new = n.Token(label.type, name)
    new = new.replace_descendant(new.first_token, new.first_token.with_prefix(label.first_token.prefix)) \
        if isinstance(new, n.Node) else new.with_prefix(label.prefix)
    return block.replace_descendant(label, new)


def _replace_block(file, block, copies, extra=()):
    """Replace a block (its leading comments stay) by several, separated by blank lines."""
    nl = newline_of(file.tree)
    texts = []
    for copy in copies:
        first = copy.first_token
        texts.append(copy.replace_descendant(first, first.with_prefix("")).code.rstrip("\r\n"))
    texts.extend(extra)
    start, end = file.span(block).start, block.span[1]
    old = file.text[start:end]
    trailing = old[len(old.rstrip("\r\n")):]
    return Edit(Span(file.path, start, end), (nl + nl).join(texts) + trailing)


class _Rewriter:
    """References to an expanded collection pointed at its instances (or at a local map of them)."""

    def __init__(self, consumers, module, locals_needed):
        self.consumers = consumers
        self.locals_needed = locals_needed
        self.local_names = {name for _, b in module.blocks("locals") for name in
                            (a.name.text for a in b.attributes())}

    def block(self, block):
        block = self._depends_on(block)
        while True:
            target = next(((node, c) for node in block.walk() for c in self.consumers
                           if self._matches(node, c)), None)
            if target is None:
                return block
            node, consumer = target
            block = block.replace_descendant(node, self._rewritten(node, consumer))

    def _depends_on(self, block):
        """``depends_on`` takes no local: a whole expanded collection becomes its instances."""
        attr = block.attribute("depends_on")
        if attr is None or not isinstance(attr.value, n.Tuple):
            return block
        texts, changed = [], False
        for item in attr.value.items:
            consumer = next((c for c in self.consumers if self._matches(item.value, c)
                             and len(item.value.steps) == len(c.prefix) - 1), None)
            if consumer is None:
                texts.append(item.value.code.strip())
            else:
                texts.extend(".".join(consumer.instance(key)) for key in consumer.keys)
                changed = True
        if not changed:
            return block
        return block.set_attribute("depends_on", _list_text(texts, attr.value))

    @staticmethod
    def _matches(node, consumer):
        if not isinstance(node, n.Traversal) or not isinstance(node.source, n.Variable):
            return False
        width = len(consumer.prefix) - 1
        steps = node.steps[:width]
        return node.source.name.text == consumer.prefix[0] and len(steps) == width and all(
            isinstance(s, n.GetAttr) and s.name.text == p for s, p in zip(steps, consumer.prefix[1:]))

    def _rewritten(self, node, consumer):
        width = len(consumer.prefix) - 1
        rest = node.steps[width:]
        if rest and isinstance(rest[0], n.Index):
            try:
                key = query.static_value(rest[0].key)
            except query.NotStatic:
                key = None
            if key in consumer.keys:
                head = ".".join(consumer.instance(key))
                return self._with_steps(head, rest[1:], node)
        local = self.locals_needed.setdefault(consumer.prefix, self._local_name(consumer))
        return self._with_steps(f"local.{local}", rest, node)

    def _local_name(self, consumer):
        name = consumer.name
        taken = self.local_names | set(self.locals_needed.values())
        while name in taken:
            name += "_all"
        return name

    @staticmethod
    def _with_steps(head, steps, old):
        new = _expression(head, old)
        return n.Traversal(new.source, new.steps + tuple(steps)) if steps else new


def _list_text(texts, old):
    """A list written on one line, or one item per line if the old list was multi-line."""
    if "\n" not in old.code.strip():
        return "[" + ", ".join(texts) + "]"
    return "[\n" + "".join(f"  {text},\n" for text in texts) + "]"


def _locals_block(consumer, local, nl):
    """A ``locals`` map of the expanded instances, standing for the former map of instances."""
    width = max(len(json.dumps(k)) for k in consumer.keys)
    lines = ["locals {", f"  {local} = {{"]
    lines += [f"    {json.dumps(k).ljust(width)} = {'.'.join(consumer.instance(k))}" for k in consumer.keys]
    lines += ["  }", "}"]
    return nl.join(lines)


# --- OpenTofu ------------------------------------------------------------------------------


def _opentofu(module, file, provider, for_each):
    name = provider.labels[0]
    alias = provider.attribute("alias")
    alias_text = _string_or_none(alias.value) if alias is not None else None
    edits = []
    fixed = []
    if alias is None:
        alias_text = _tofu_alias(for_each.value)
        attrs = provider.attributes()
        edits.extend(replace(file, provider, provider.insert_attribute(
            "alias", json.dumps(alias_text), before=attrs[0].name.text)))
        fixed.append(f'`alias = "{alias_text}"`')
    for other_file, block in _iterating_blocks(module):
        bare = [ref for ref in _provider_refs(block, name, None) if len(ref.steps) == 1]
        if bare:
            new = block
            for ref in bare:
                new = new.replace_descendant(ref, _expression(f"{name}.{alias_text}{ref.steps[0].code}", ref))
            edits.extend(replace(other_file, block, new))
            if "instances" not in " ".join(fixed):
                fixed.append(f"instances as `{name}.{alias_text}[each.key]`")
        if _provider_refs(block, name, alias_text) and \
                block.attribute("for_each").value.code.strip() == for_each.value.code.strip():
            yield finding(other_file, block.attribute("for_each").name,
                          f'{_describe(block)} iterates exactly the keys of provider "{name}": removing a key '
                          "would remove the provider instance its resources still need; subtract a variable of "
                          "keys being retired (e.g. `setsubtract(..., var.disabled_regions)`)")
    if edits:
        yield finding(file, for_each.name, f'`for_each` in provider "{name}" needs ' + " and ".join(fixed)
                      + " in OpenTofu", fix=Fix(edits))


def _tofu_alias(expr) -> str:
    """``by_region`` for ``var.regions``: the collection's name in the singular."""
    for node in expr.walk():
        path = query.reference(node)
        if path and len(path) == 2 and path[0] in ("var", "local"):
            base = path[1]
            return "by_" + (base[:-1] if base.endswith("s") and len(base) > 1 else base)
    return "by_key"


RULE = Rule("TFX001", "provider-for-each", check,
            summary="expand for_each in provider blocks into one aliased provider per key", safe=True)
