"""TFX001 provider-for-each: expand ``for_each`` in provider blocks into one aliased provider per key.

Every Terraform release rejects the module while loading it: "Reserved argument
name in provider block: The provider argument name "for_each" is reserved for
use by Terraform in a future version."  No Terraform version expands provider
blocks, so the only form Terraform accepts is one aliased provider per key.

The fix writes that form:

- the provider once per key, ``each.key``/``each.value`` replaced by the key's
  values and ``alias`` set to a name made from the key (unique: ``us-east-1`` and
  ``us_east_1`` do not both become ``us_east_1``);
- every selection of an instance (``aws[each.key]``, ``aws[each.value]`` over a
  set, ``aws["us-east-1"]``, ``aws.<alias>[...]`` written for OpenTofu) as the
  aliased provider it picks, worked out per instance of the block selecting it;
- each module call, resource or data source that picks the provider per instance
  once per key (``module.kms_us_east_1``), with a ``moved`` block from the old
  instance address (``module.kms["us-east-1"]``), so state made by OpenTofu or an
  earlier layout follows (Terraform treats a ``moved`` from an absent address as
  a no-op);
- references to those blocks: a literal instance becomes its block, ``depends_on``
  lists every instance, and every other use (``module.kms[each.key]``,
  ``values(module.kms)``, ``for m in module.kms``) reads a ``locals`` map of the
  instances that stands for the former map.

The keys must be known while reading the text: a literal set, list or map, a
variable's ``default`` or a literal local.  Otherwise the finding says what is
missing and changes nothing.

OpenTofu >= 1.9 (``--target opentofu``) accepts ``for_each`` on an aliased
provider: there the rule only adds a missing ``alias``, rewrites
``aws[each.key]`` as ``aws.<alias>[each.key]`` and reports a block whose
``for_each`` is exactly the provider's (removing a key would destroy the provider
instance together with its resources).

Leaves alone, reporting why: keys it cannot know, a selection it cannot work out
for some instance (``aws[var.region]``), a block or reference in a ``.tf.json``
file, a block whose name cannot be written as an address, a ``moved`` block that
moves the whole collection.  Comments directly above the ``for_each`` argument go
with it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tffix.edits import Edit, minimal_edits
from tffix.rules import Rule, finding, replace
from tffix.semantic import rewrite
from tffix.semantic.values import Unknown, describe
from tffix.syntax import build, edit, query
from tffix.syntax.errors import EditError

if TYPE_CHECKING:
    from tffix.semantic.symbols import Declaration

RESERVED = "Reserved argument name in provider block"


class Decline(Exception):
    """The expansion cannot be written; the message says what is missing."""


def check(module):
    model = module.model
    planned: dict = {}  # names the expansions of this run write, so that two never write the same one
    for provider in model.all("provider"):
        for_each = provider.attribute("for_each")
        if for_each is None:
            continue
        if module.target == "opentofu":
            yield from _opentofu(model, provider, for_each)
        else:
            yield _terraform(model, provider, for_each, planned)


def alias_name(key: str) -> str:
    """A valid identifier for a key: ``us-east-1`` gives ``us_east_1``."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", key)
    if not name or not (name[0].isalpha() or name[0] == "_"):
        name = "k_" + name
    return name


def unique_names(keys, taken: set[str]) -> dict[str, str]:
    """`alias_name` of every key, with ``_2``, ``_3``... where two keys (or a taken name) would clash."""
    names, used = {}, set(taken)
    for key in keys:
        base = name = alias_name(key)
        number = 2
        while name in used:
            name = f"{base}_{number}"
            number += 1
        used.add(name)
        names[key] = name
    return names


# --- Terraform: expansion ------------------------------------------------------------------


def _terraform(model, provider, for_each, planned: dict):
    message = f'{RESERVED}: `for_each` is not allowed in provider "{provider.type}" in any Terraform version'
    keys = model.instance_keys(provider, lists=True)
    if isinstance(keys, Unknown):
        return finding(
            provider.file,
            for_each.name,
            f"{message}; cannot expand it: {keys.reason}; list the keys "
            "literally or take them from a variable with a default",
        )
    try:
        plan = _Expansion(model, provider, keys, planned)
    except Decline as missing:
        return finding(provider.file, for_each.name, f"{message}; cannot expand {missing}")
    what = f"one aliased provider per key ({', '.join(plan.aliases.values())})"
    return finding(provider.file, for_each.name, f"{message}; expanded into {what}", fix=plan.edits)


@dataclass(eq=False)
class _Consumer:
    """A module call, resource or data source that picks the provider per instance."""

    declaration: Declaration
    keys: dict  # its instance keys -> each.value
    sources: dict  # its instance keys -> where each.value is written
    names: dict = field(default_factory=dict)  # instance key -> the expanded block's name
    local: str | None = None  # the locals map standing for the former map, when one is needed

    def address(self, key) -> build.Expression:
        declaration = self.declaration
        name = self.names[key]
        if declaration.kind == "module":
            return build.ref("module", name)
        if declaration.kind == "data":
            return build.ref("data", declaration.type, name)
        return build.ref(declaration.type, name)

    def old_address(self, key) -> build.Expression:
        declaration = self.declaration
        if declaration.kind == "module":
            return build.ref("module", declaration.name, index=key)
        return build.ref(declaration.type, declaration.name, index=key)


class _Expansion:
    def __init__(self, model, provider, keys: dict, planned: dict):
        self.model, self.provider, self.keys = model, provider, keys
        self.planned = planned
        aliases = planned.setdefault(("provider", provider.type), set())
        taken = {d.name for d in model.all("provider") if d.type == provider.type and d is not provider}
        self.aliases = unique_names(keys, taken | aliases)
        aliases.update(self.aliases.values())
        self.sources = model.instance_sources(provider)
        self.consumers: dict[int, _Consumer] = {}
        self.fixed_selections: dict[int, str] = {}  # provider reference -> the key it always picks
        for reference in model.references_to(provider):
            self._selection(reference)
        for consumer in self.consumers.values():
            self._name_instances(consumer)
        self.local_names = {d.name for d in model.all("local")}
        self._check_references()

    # -- what selects what --

    def _selection(self, reference) -> None:
        owner = reference.owner
        if owner is None or owner.block is None:
            raise Decline(f"it: `{reference.text()}` is in a file tffix does not edit")
        if reference.key is None:
            raise Decline(f"it: `{reference.text()}` names the provider without an instance")
        depends_on_each = any(r.names[0] == "each" for r in self.model.references_in(owner, reference.key))
        if not depends_on_each:
            self.fixed_selections[id(reference)] = self._pick(reference, None, _describe(owner))
            return
        consumer = self.consumers.get(id(owner))
        if consumer is None:
            keys = self.model.instance_keys(owner, lists=True)
            if isinstance(keys, Unknown):
                raise Decline(
                    f"{_describe(owner)}: {keys.reason}; list its keys literally or take them from a "
                    "variable with a default"
                )
            consumer = _Consumer(owner, keys, self.model.instance_sources(owner))
            self.consumers[id(owner)] = consumer
        for key, value in consumer.keys.items():
            self._pick(reference, {"key": key, "value": value}, _describe(owner))

    def _pick(self, reference, each, where: str) -> str:
        """The provider key a selection picks (for one instance of its block)."""
        bindings = {"each": each} if each is not None else None
        key = self.model.value(reference.key, bindings)
        if not isinstance(key, str) or key not in self.keys:
            shown = f"`{describe(reference.key)}`"
            if each is not None:
                shown += f" (for the instance {json.dumps(each['key'])})"
            reason = key.reason if isinstance(key, Unknown) else f"{json.dumps(key)} is not one of its keys"
            raise Decline(f"{where}: {shown} selects no instance of the provider ({reason})")
        return key

    def _name_instances(self, consumer: _Consumer) -> None:
        declaration = consumer.declaration
        kind = declaration.kind
        taken = self.planned.setdefault((kind, declaration.type), set())
        taken |= {
            d.name
            for d in self.model.declarations
            if d.kind == kind and (kind == "module" or d.type == declaration.type)
        }
        names = unique_names(consumer.keys, set())
        for key, suffix in names.items():
            base = name = f"{declaration.name}_{suffix}"
            number = 2
            while name in taken:
                name = f"{base}_{number}"
                number += 1
            taken.add(name)
            consumer.names[key] = name
        if not build.is_identifier(declaration.name):
            raise Decline(f"{_describe(declaration)}: its name cannot be written as an address")

    def _check_references(self) -> None:
        """Every reference to an expanded block must have a rewrite; decide which need a local map."""
        for consumer in self.consumers.values():
            for reference in self.model.references_to(consumer.declaration):
                if reference.owner is None or (
                    reference.owner.block is None and reference.owner.kind != "local"
                ):
                    raise Decline(
                        f"{_describe(consumer.declaration)}: `{reference.text()}` is in a file tffix "
                        "does not edit"
                    )
                if reference.context == "moved_from":
                    continue
                if reference.context == "address" and reference.key is None:
                    raise Decline(
                        f"{_describe(consumer.declaration)}: `{reference.text()}` moves the whole collection"
                    )
                if reference.context == "depends_on" and reference.key is None:
                    continue
                if reference.key is None or not all(
                    isinstance(key, str) for key in self._keys_named(reference)
                ):
                    self._needs_local(consumer)

    def _keys_named(self, reference) -> list:
        """The instance key a reference's index names, for each instance of the block holding it."""
        holder = self.consumers.get(id(reference.owner))
        if holder is None:
            return [self.model.value(reference.key)]
        return [
            self.model.value(reference.key, {"each": {"key": key, "value": value}})
            for key, value in holder.keys.items()
        ]

    def _needs_local(self, consumer: _Consumer) -> None:
        if consumer.local is None:
            name = consumer.declaration.name
            while name in self.local_names:
                name += "_all"
            self.local_names.add(name)
            consumer.local = name

    # -- writing --

    def edits(self) -> list[Edit]:
        edits = self._replace_block(self.provider, [self._provider_copy(key) for key in self.keys])
        expanded = {id(c.declaration) for c in self.consumers.values()}
        for declaration in self.model.declarations:
            if id(declaration) in expanded or declaration is self.provider or declaration.is_json:
                continue
            node = declaration.node
            new = self._rewritten(declaration, node, None)
            if new is not node:
                edits.extend(replace(declaration.file, node, new))
        for consumer in self.consumers.values():
            copies = [self._consumer_copy(consumer, key) for key in consumer.keys]
            extra = [self._locals_text(consumer)] if consumer.local else []
            if consumer.declaration.kind != "data":
                extra += [
                    build.Block(
                        "moved", items=[("from", consumer.old_address(key)), ("to", consumer.address(key))]
                    ).text()
                    for key in consumer.keys
                ]
            edits.extend(self._replace_block(consumer.declaration, copies, extra))
        return edits

    def _provider_copy(self, key):
        block = self._rewritten(
            self.provider, self.provider.block, {"key": key, "value": self.keys[key]}, self.sources.get(key)
        )
        block = edit.remove(block, block.attribute("for_each"))
        alias = build.render(self.aliases[key])
        if block.attribute("alias") is not None:
            return edit.set_attribute(block, "alias", alias)  # where it is, with its comments
        first = block.attributes()[:1]
        if first:
            return edit.insert_attribute(block, "alias", alias, before=first[0].name.text)
        return edit.insert_attribute(block, "alias", alias)

    def _consumer_copy(self, consumer: _Consumer, key):
        declaration = consumer.declaration
        block = self._rewritten(
            declaration,
            declaration.block,
            {"key": key, "value": consumer.keys[key]},
            consumer.sources.get(key),
        )
        block = edit.remove(block, block.attribute("for_each"))
        return edit.set_label(block, 0 if declaration.kind == "module" else 1, consumer.names[key])

    def _rewritten(self, declaration, root, each, source=None):
        """``root`` (a declaration's node) with every reference this expansion changes rewritten.

        ``each`` is the instance being written (``{"key", "value"}``) when ``root`` is
        a copy of an expanded block; references nested in one being rewritten go with it.
        """
        references = [
            r for r in self.model.references_from(declaration) if self._changes(r, declaration, each)
        ]
        outer = [r for r in references if not any(o is not r and _inside(r, o) for o in references)]
        for reference in outer:
            root = self._rewrite(root, reference, each, source)
        return root

    def _changes(self, reference, declaration, each) -> bool:
        target = reference.target
        if reference.context == "moved_from":
            return False
        if target is self.provider:
            return True
        if reference.names[0] == "each":
            return each is not None and getattr(target, "declaration", None) is declaration
        return id(target) in self.consumers

    def _rewrite(self, root, reference, each, source):
        target = reference.target
        if target is self.provider:
            key = self.fixed_selections.get(id(reference)) or self._pick(reference, each, "")
            return rewrite.retarget(root, reference, build.ref(self.provider.type, self.aliases[key]))
        if reference.names[0] == "each":
            if reference.names == ("each", "key"):
                return rewrite.substitute(root, reference, each["key"])
            return rewrite.substitute(root, reference, each["value"], source)
        consumer = self.consumers[id(target)]
        if reference.context == "depends_on" and reference.key is None:
            return edit.replace_in_list(
                root, reference.node, [consumer.address(k).text for k in consumer.keys]
            )
        if reference.key is not None:
            key = self.model.value(reference.key, {"each": each} if each is not None else None)
            if isinstance(key, str) and key in consumer.keys:
                return rewrite.retarget(root, reference, consumer.address(key))
            if isinstance(key, str):
                raise EditError(
                    f"`{reference.text()}` names an instance that {_describe(consumer.declaration)} "
                    "does not have"
                )
        if consumer.local is None:
            raise EditError(f"`{reference.text()}` cannot be rewritten")
        return rewrite.retarget(root, reference, build.ref("local", consumer.local), keep_key=True)

    def _locals_text(self, consumer: _Consumer) -> str:
        assert consumer.local is not None, "asked for when a locals map stands for the former map"
        entries = build.Object([(key, consumer.address(key)) for key in consumer.keys], quoted_keys=True)
        return build.Block("locals", items=[(consumer.local, entries)]).text()

    def _replace_block(self, declaration, copies, extra=()):
        """Replace a block (its leading comments stay) by several, separated by blank lines."""
        file, block = declaration.file, declaration.block
        nl = edit.newline_of(file.tree)
        texts = [query.text(copy).rstrip("\r\n") for copy in copies]
        texts.extend(text.replace("\n", nl) for text in extra)
        start, end = file.span(block).start, block.span[1]
        old = file.text[start:end]
        trailing = old[len(old.rstrip("\r\n")) :]
        return minimal_edits(file.path, old, (nl + nl).join(texts) + trailing, base=start)


def _inside(inner, outer) -> bool:
    a, b = inner.node.text_span, outer.node.text_span
    return b[0] <= a[0] and a[1] <= b[1]


def _describe(declaration) -> str:
    """``module "kms"``, ``resource "aws_s3_bucket" "b"``: the block as its first line reads."""
    if declaration.kind == "local":
        return f"local.{declaration.name}"
    block = declaration.block
    labels = query.written_labels(block) if block is not None else declaration.labels
    return " ".join([declaration.kind] + [json.dumps(label) for label in labels])


# --- OpenTofu ------------------------------------------------------------------------------


def _opentofu(model, provider, for_each):
    name = provider.type
    alias = provider.name or _tofu_alias(model, provider, for_each)
    # `aws[each.key]` names no configuration once the provider has an alias: find it by its name.
    bare = [
        r
        for r in model.references
        if r.context == "provider"
        and r.names == (name,)
        and r.key is not None
        and r.target in (provider, None)
    ]
    changes = []
    if not provider.name:
        changes.append(f'`alias = "{alias}"`')
    if bare:
        changes.append(f"instances as `{name}.{alias}[each.key]`")
    for reference in model.references_to(provider):
        owner = reference.owner
        own = owner.attribute("for_each") if owner is not None else None
        if own is not None and query.same_expression(own.value, for_each.value):
            yield finding(
                owner.file,
                own.name,
                f'{_describe(owner)} iterates exactly the keys of provider "{name}": removing a key '
                "would remove the provider instance its resources still need; subtract a variable of "
                "keys being retired (e.g. `setsubtract(..., var.disabled_regions)`)",
            )
    if not changes:
        return

    def fix():
        edits = []
        if not provider.name:
            block = provider.block
            first = block.attributes()[0].name.text
            edits += replace(
                provider.file, block, edit.insert_attribute(block, "alias", build.render(alias), before=first)
            )
        by_owner: dict[int, list] = {}
        for reference in bare:
            by_owner.setdefault(id(reference.owner), []).append(reference)
        for references in by_owner.values():
            owner = references[0].owner
            if owner.block is None:
                raise EditError(f"`{references[0].text()}` is in a file tffix does not edit")
            block = owner.block
            for reference in references:
                block = rewrite.retarget(block, reference, build.ref(name, alias), keep_key=True)
            edits += replace(owner.file, owner.block, block)
        return edits

    yield finding(
        provider.file,
        for_each.name,
        f'`for_each` in provider "{name}" needs ' + " and ".join(changes) + " in OpenTofu",
        fix=fix,
    )


def _tofu_alias(model, provider, for_each) -> str:
    """``by_region`` for ``var.regions``: the collection's name in the singular."""
    for reference in model.references_in(provider, for_each.value):
        if reference.names[0] in ("var", "local") and len(reference.names) == 2:
            base = reference.names[1]
            return "by_" + (base[:-1] if base.endswith("s") and len(base) > 1 else base)
    return "by_key"


EXAMPLE = """\
provider "aws" {
  for_each = toset(["us-east-1", "eu-west-1"])
  region   = each.key
}

module "kms" {
  source    = "./modules/kms"
  for_each  = toset(["us-east-1", "eu-west-1"])
  providers = { aws = aws[each.key] }
}

output "key_arns" {
  value = { for region, m in module.kms : region => m.key_arn }
}
"""

RULE = Rule(
    "TFX001",
    "provider-for-each",
    check,
    summary="expand for_each in provider blocks into one aliased provider per key",
    safe=True,
    doc=__doc__,
    example=EXAMPLE,
    needs=("provider",),
)
