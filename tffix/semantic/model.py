"""The semantic model of one module: what is declared, what refers to what, what values are known.

Built once per module (and again after each round of fixes) and shared by every
rule, like ruff's ``SemanticModel`` or libcst's scope provider.  Rules ask it
"which block does this reference name", "what refers to this block", "what are
this block's instance keys", and never slice traversals themselves.

- A `Declaration` is a top-level block (``resource``, ``data``, ``ephemeral``,
  ``module``, ``provider``, ``variable``, ``output``, ``moved``, ``import``,
  ``removed``, ``check``, ``terraform``) or one ``locals`` attribute, with the file
  it is in; data sources nested in a ``check`` block are declarations too.
- A `Reference` is one traversal in an expression (``aws_s3_bucket.logs.arn``,
  ``module.kms["a"].id``, ``var.x``, ``each.key``, ``aws.west`` in a ``provider``
  argument), cut once into the address it names, its instance key and the steps
  after, with what it resolves to: a `Declaration`, a `Binding` (``each``,
  ``count``, ``self``, a ``for`` or ``dynamic`` iterator, ``path``,
  ``terraform``), or nothing.
- Reverse references, instance keys and static values (`tffix.semantic.values`).

The model knows Terraform, not any provider: ``aws_s3_bucket`` is just a type.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from tffix.semantic import values
from tffix.semantic.symbols import (
    BUILTIN_ATTRIBUTES,
    DECLARING,
    RESOURCE_LIKE,
    Binding,
    Declaration,
    Reference,
)
from tffix.syntax import nodes as n
from tffix.syntax import query

# Declarations whose address must be unique in a module.
UNIQUE = frozenset(
    {"resource", "data", "ephemeral", "module", "provider", "variable", "output", "local", "check"}
)

if TYPE_CHECKING:
    from tffix.semantic.module import Module, ModuleFile

    Step = n.GetAttr | n.Index | n.Splat
    # A traversal cut by `_cut`: address names, instance key, the steps after, splat after the address.
    Cut = tuple[tuple[str, ...], n.Node | None, tuple[Step, ...], bool]
    Names = dict[str, Binding]  # the iterator names in scope
    # What `_body` walks: a block, the names in scope, its path of block types, its declaration.
    Frame = tuple[n.Block, "_Scope", tuple[str, ...], Declaration]


class _Scope:
    """The iterator names in scope, and the declaration they belong to.  A plain class, not a
    dataclass: start-up time (tests/test_startup.py)."""

    __slots__ = ("names", "owner")

    def __init__(self, owner: Declaration, names: Names | None = None):
        self.owner = owner
        self.names: Names = {} if names is None else names  # iterator name -> Binding

    def bind(self, bindings: Names) -> _Scope:
        return _Scope(self.owner, {**self.names, **bindings})


def _by_position(references: list[Reference], starts: dict[int, tuple[int, int]]) -> None:
    """Sort by file, then span: by where each starts (``starts``, by id), which needs only its
    first token (a whole span walks the node to its last), then, where two start at the same
    place (the references of one `.tf.json` string), by the whole span."""
    keyed = sorted((starts[id(r)], index) for index, r in enumerate(references))
    ordered = [references[index] for _, index in keyed]
    first = 0
    for last in range(1, len(keyed) + 1):
        if last == len(keyed) or keyed[last][0] != keyed[first][0]:
            if last - first > 1:
                ordered[first:last] = sorted(ordered[first:last], key=lambda r: r.span)
            first = last
    references[:] = ordered


class SemanticModel:
    def __init__(self, module: Module):
        self.module = module
        self.declarations: list[Declaration] = []
        self.orphans: list[Declaration] = []  # blocks Terraform rejects (templated or missing labels)
        self.references: list[Reference] = []
        self._by_key: dict[tuple[str, tuple[str, ...]], list[Declaration]] = defaultdict(list)
        # kind, and (kind, type), to its declarations
        self._by_kind: dict[str | tuple[str, str], list[Declaration]] = defaultdict(list)
        self._refs_to: dict[int, list[Reference]] = defaultdict(list)
        self._refs_by_node: dict[int, Reference] = {}
        self._refs_of: dict[int, list[Reference]] = defaultdict(list)
        self._configuration_aliases: set[tuple[str, str]] = set()
        self.cursor: Declaration | None = None  # the declaration a rule looked at last
        self._location: tuple[int, int] | None = None
        self._interpolations: dict[int, n.Interpolation] = {}
        self._current_file: ModuleFile | None = None  # while walking an override file's block: that file
        ordered = sorted(module.files, key=lambda file: file.is_override)  # overrides merge last
        if any(file.syntax == "json" for file in ordered):
            from tffix.semantic import jsonconfig  # here: a module of .tf files never needs it
        for file in ordered:
            if file.syntax == "json":
                for declaration in jsonconfig.declarations(file):
                    self._declare(declaration)
            elif file.is_override:
                self._merge_overrides(file)
            else:
                self._declare_file(file)
        for declaration in [*self.declarations, *self.orphans]:
            if declaration.is_json:
                jsonconfig.collect_references(declaration, self)
            else:
                self._collect_references(declaration)
        order = {id(file): index for index, file in enumerate(module.files)}
        starts = {
            id(r): (order[id(r.file)], r.location[0] if r.location is not None else r.node.first_token.start)
            for r in self.references
        }
        _by_position(self.references, starts)
        for group in (*self._refs_to.values(), *self._refs_of.values()):
            _by_position(group, starts)

    # --- declarations ----------------------------------------------------------------------

    def _declare_file(self, file: ModuleFile) -> None:
        if file.tree is None:
            return
        for block in file.tree.body.items:
            if not isinstance(block, n.Block):
                continue
            kind = block.type
            if kind == "locals":
                for attr in block.attributes():
                    self._declare(Declaration("local", (attr.name.text,), file, attr))
                continue
            labels = _labels(block)
            if labels is None:
                self._orphan(file, block)  # a label with an interpolation: Terraform rejects the block
                continue
            if kind == "provider":
                if not labels:
                    continue
                alias = block.attribute("alias")
                alias_name = _string(alias.value) if alias is not None else ""
                if alias_name is None:
                    continue
                labels = (labels[0], alias_name)
            elif kind in DECLARING:
                if len(labels) < DECLARING[kind]:
                    self._orphan(file, block)  # missing labels: Terraform reports it; nothing declared
                    continue
                labels = labels[: DECLARING[kind]]
            else:
                continue
            declaration = Declaration(kind, labels, file, block)
            self._declare(declaration)
            if kind == "check":
                for nested in block.blocks("data"):
                    nested_labels = _labels(nested)
                    if nested_labels is not None and len(nested_labels) >= 2:
                        self._declare(Declaration("data", nested_labels[:2], file, nested, declaration))
            if kind == "terraform":
                self._read_configuration_aliases(block)

    def _merge_overrides(self, file: ModuleFile) -> None:
        """Blocks of an override file merge into the declaration they name (Terraform's
        "Override Files"); a local replaces the local of its name.  A block with nothing to
        override declares nothing (Terraform: "Missing base configuration for override")."""
        if file.tree is None:
            return
        for block in file.tree.body.items:
            if not isinstance(block, n.Block):
                continue
            if block.type == "locals":
                for attr in block.attributes():
                    base = self.get("local", attr.name.text)
                    if base is None:
                        self._orphan(file, block)
                    else:
                        base.overrides.append((file, block))
                        base.node, base.file = attr, file
                continue
            labels = _labels(block)
            if block.type == "provider" and labels:
                alias = block.attribute("alias")
                labels = (labels[0], (_string(alias.value) or "") if alias is not None else "")
            elif block.type in DECLARING and labels is not None:
                labels = labels[: DECLARING[block.type]]
            base = self.get(block.type, *labels) if labels is not None else None
            if base is None or block.type in ("moved", "import", "removed", "terraform"):
                self._orphan(file, block)
            else:
                base.overrides.append((file, block))

    def _orphan(self, file: ModuleFile, block: n.Block) -> None:
        """A block Terraform rejects declares nothing, but what it refers to still counts, so that a
        fix cannot leave a reference there dangling unnoticed."""
        self.orphans.append(Declaration(block.type, (), file, block))

    def _declare(self, declaration: Declaration) -> None:
        self.declarations.append(declaration)
        self._by_key[(declaration.kind, declaration.labels)].append(declaration)
        self._by_kind[declaration.kind].append(declaration)
        self._by_kind[(declaration.kind, declaration.type)].append(declaration)

    def _read_configuration_aliases(self, terraform: n.Block) -> None:
        """``configuration_aliases = [aws.west]``: provider configurations a caller passes in."""
        for required in terraform.blocks("required_providers"):
            for attr in required.attributes():
                if not isinstance(attr.value, n.Object):
                    continue
                item = query.object_item(attr.value, "configuration_aliases")
                if item is None or not isinstance(item.value, n.Tuple):
                    continue
                for element in item.value.items:
                    path = query.reference(element.value)
                    if path and len(path) == 2:
                        self._configuration_aliases.add(path)

    def get(self, kind: str, *labels: str) -> Declaration | None:
        found = self._by_key.get((kind, tuple(labels)))
        return found[0] if found else None

    def all(self, kind: str | None = None, type_: str | None = None) -> Iterator[Declaration]:
        """Declarations of a kind (and resource type), in file order; the last one is the cursor."""
        candidates: Iterable[Declaration]
        if kind is None:
            candidates = (
                self.declarations if type_ is None else [d for d in self.declarations if d.type == type_]
            )
        else:
            candidates = self._by_kind.get(kind if type_ is None else (kind, type_), ())
        for declaration in candidates:
            self.cursor = declaration
            yield declaration

    def declares(self, kind: str, type_: str | None = None) -> bool:
        """Whether the module declares something of this kind (and resource type); unlike `all`,
        the cursor stays where it is."""
        return bool(self._by_kind.get(kind if type_ is None else (kind, type_)))

    def resources(self, type_: str | None = None) -> Iterator[Declaration]:
        return self.all("resource", type_)

    def data_sources(self, type_: str | None = None) -> Iterator[Declaration]:
        return self.all("data", type_)

    def resource(self, type_: str, name: str) -> Declaration | None:
        return self.get("resource", type_, name)

    def variable(self, name: str) -> Declaration | None:
        return self.get("variable", name)

    def local(self, name: str) -> Declaration | None:
        return self.get("local", name)

    def provider(self, name: str, alias: str = "") -> Declaration | None:
        return self.get("provider", name, alias)

    def names(self, kind: str) -> set[str]:
        """Names already taken by declarations of a kind (resource: ``type.name``)."""
        return {".".join(d.labels) for d in self.declarations if d.kind == kind}

    def provider_aliases(self, name: str) -> set[str]:
        """The aliases a ``provider = <name>.<alias>`` may name: aliased ``provider`` blocks and
        ``configuration_aliases`` (configurations the calling module passes in)."""
        declared = {d.labels[1] for d in self.declarations if d.kind == "provider" and d.labels[0] == name}
        passed = {alias for provider, alias in self._configuration_aliases if provider == name}
        return (declared | passed) - {""}

    # --- references ------------------------------------------------------------------------

    def _collect_references(self, declaration: Declaration) -> None:
        scope = _Scope(declaration)
        if declaration.kind == "local":
            value = declaration.local_value
            if value is not None:
                self._expression(value, declaration, scope)
            return
        block = declaration.block
        if block is None or declaration.parent is not None:
            return  # a check block's data source is walked with its check
        self._body(block, declaration, scope, (block.type,))
        for file, override in declaration.overrides:
            self._current_file = file
            try:
                self._body(override, declaration, scope, (override.type,))
            finally:
                self._current_file = None

    def _body(self, block: n.Block, declaration: Declaration, scope: _Scope, path: tuple[str, ...]) -> None:
        """Every expression of a block and its nested blocks, with the names each may use."""
        stack: list[Frame] = [(block, scope, path, declaration)]
        while stack:
            current, current_scope, current_path, owner = stack.pop()
            for item in current.body.items:
                if isinstance(item, n.Attribute):
                    self._argument(item, owner, current_scope, current_path)
                    continue
                nested_path = current_path + (item.type,)
                if item.type == "dynamic":
                    stack.extend(self._dynamic(item, owner, current_scope, nested_path))
                    continue
                if current_path == ("check",) and item.type == "data":
                    nested_owner = self._nested_declaration(item) or owner
                    stack.append((item, _Scope(nested_owner, current_scope.names), nested_path, nested_owner))
                else:
                    stack.append((item, current_scope, nested_path, owner))

    def _nested_declaration(self, block: n.Block) -> Declaration | None:
        for declaration in self.declarations:
            if declaration.node is block:
                return declaration
        return None

    def _dynamic(
        self, block: n.Block, owner: Declaration, scope: _Scope, path: tuple[str, ...]
    ) -> list[Frame]:
        """``dynamic "x" { for_each = ... content { ... x.value ... } }``: the iterator's scope."""
        labels = _labels(block) or ()
        iterator = block.attribute("iterator")
        name = labels[0] if labels else None
        if iterator is not None:
            name = _variable_name(iterator.value) or name
        inner = scope.bind({name: Binding(name, "dynamic", block, owner)}) if name else scope
        for attr in block.attributes():
            if attr.name.text == "iterator":
                continue
            self._argument(attr, owner, inner if attr.name.text == "labels" else scope, path)
        return [
            (nested, inner, path[:-1] + (labels[0] if labels else "dynamic",), owner)
            for nested in block.blocks("content")
        ]

    def _argument(self, attr: n.Attribute, owner: Declaration, scope: _Scope, path: tuple[str, ...]) -> None:
        name = attr.name.text
        kind = owner.kind
        if kind == "variable" and path == ("variable",) and name == "type":
            return  # a type constraint: `string` is a type, not a reference
        if kind == "terraform":
            return  # required_providers, backend and cloud hold no references
        if path[-1:] == ("lifecycle",) and name == "ignore_changes":
            return  # names of this resource's own arguments
        if path in (("moved",), ("removed",), ("import",)) and name in ("from", "to"):
            context = "moved_from" if name == "from" and kind != "import" else "address"
            self._address(attr.value, owner, scope, context)
            return
        if len(path) == 1 and name == "provider" and kind in RESOURCE_LIKE + ("import",):
            self._provider(attr.value, owner, scope)
            return
        if len(path) == 1 and name == "providers" and kind == "module":
            if isinstance(attr.value, n.Object):
                for item in attr.value.items:
                    self._provider(item.value, owner, scope)
            else:
                self._expression(attr.value, owner, scope)
            return
        if len(path) == 1 and name == "depends_on":
            self._expression(attr.value, owner, scope, "depends_on")
            return
        if path[-1:] == ("lifecycle",) and name == "replace_triggered_by":
            self._expression(attr.value, owner, scope, "replace_triggered_by")
            return
        self._expression(attr.value, owner, scope)

    def _address(self, expr: n.Node, owner: Declaration, scope: _Scope, context: str) -> None:
        """``moved``/``removed``/``import`` addresses: written like references, naming instances."""
        for node, names, key, steps, splat in _traversals(expr):
            self._add_reference(self._reference(node, owner, names, key, steps, context, scope, splat))

    def _provider(self, expr: n.Node, owner: Declaration, scope: _Scope) -> None:
        """``aws``, ``aws.west``, ``aws.west[each.key]`` (OpenTofu) or ``aws[each.key]`` (invalid)."""
        node: n.Node
        names: tuple[str, ...]
        key: n.Node | None
        steps: tuple[Step, ...]
        if isinstance(expr, n.Variable):
            names, key, steps, _splat = (expr.name.text,), None, (), False
            node = expr
        elif isinstance(expr, n.Traversal) and isinstance(expr.source, n.Variable):
            node = expr
            names, key, steps, _splat = _cut(expr, provider=True)
        else:
            self._expression(expr, owner, scope)
            return
        reference = Reference(node, self._current_file or owner.file, owner, names, key, steps, "provider")
        reference.target = self._resolve_provider(reference)
        self._add_reference(reference)
        if key is not None:
            self._expression(key, owner, scope)

    def _expression(
        self, expr: n.Node, owner: Declaration, scope: _Scope, context: str = "expression"
    ) -> None:
        """Every reference inside one expression, with ``for`` and ``%{ for }`` names in scope."""
        stack: list[tuple[n.Node, Names]] = [(expr, scope.names)]
        while stack:
            node, names = stack.pop()
            if isinstance(node, n.Traversal) and isinstance(node.source, n.Variable):
                cut_names, key, steps, splat = _cut(node)
                self._add_reference(
                    self._reference(node, owner, cut_names, key, steps, context, _Scope(owner, names), splat)
                )
                stack.extend((step.key, names) for step in node.steps if isinstance(step, n.Index))
            elif isinstance(node, n.Variable):
                self._add_reference(
                    self._reference(
                        node, owner, (node.name.text,), None, (), context, _Scope(owner, names), False
                    )
                )
            elif isinstance(node, n.ForExpression):
                bound = {node.first_name.text: Binding(node.first_name.text, "for", node, owner)}
                if node.second_name is not None:
                    bound[node.second_name.text] = Binding(node.second_name.text, "for", node, owner)
                inner = {**names, **bound}
                stack.append((node.collection, names))
                stack.extend(
                    (part, inner) for part in (node.key, node.value, node.condition) if part is not None
                )
            elif isinstance(node, n.ObjectItem):
                if not isinstance(node.key, n.Variable):
                    stack.append((node.key, names))
                stack.append((node.value, names))
            elif isinstance(node, n.TemplateString | n.Heredoc):
                stack.extend(self._template_parts(node, names, owner))
            elif isinstance(node, n.FunctionCall):
                stack.extend((argument, names) for argument in node.arguments)
            elif isinstance(node, n.Node):
                stack.extend((child, names) for child in node.children() if isinstance(child, n.Node))

    def _template_parts(
        self, template: n.TemplateString | n.Heredoc, names: Names, owner: Declaration
    ) -> list[tuple[n.Node, Names]]:
        """Template parts with the names in scope at each: ``%{ for x in xs }`` binds x until ``endfor``."""
        out: list[tuple[n.Node, Names]] = []
        scopes = [names]
        for part in template.parts:
            if isinstance(part, n.Directive):
                keyword = part.keyword.text
                expressions = [p for p in part.parts if isinstance(p, n.Node)]
                out.extend((expr, scopes[-1]) for expr in expressions)
                if keyword == "for":
                    bound = {
                        token.text: Binding(token.text, "template_for", part, owner)
                        for token in part.parts
                        if isinstance(token, n.Token) and token.type == "IDENT"
                    }
                    scopes.append({**scopes[-1], **bound})
                elif keyword == "endfor" and len(scopes) > 1:
                    scopes.pop()
            elif isinstance(part, n.Interpolation):
                self._interpolations[id(part.expression)] = part
                out.append((part.expression, scopes[-1]))
        return out

    def _reference(
        self,
        node: n.Node,
        owner: Declaration,
        names: tuple[str, ...],
        key: n.Node | None,
        steps: tuple[Step, ...],
        context: str,
        scope: _Scope,
        splat: bool,
    ) -> Reference:
        reference = Reference(
            node, self._current_file or owner.file, owner, names, key, steps, context, splat=splat
        )
        reference.target = self._resolve(reference, scope)
        return reference

    def add_json_expression(
        self, expr: n.Node, declaration: Declaration, location: tuple[int, int], context: str, provider: bool
    ) -> None:
        """References in an expression parsed from a `.tf.json` string, placed at that string."""
        self._location = location
        try:
            scope = _Scope(declaration)
            if context in ("address", "moved_from"):
                self._address(expr, declaration, scope, context)
            elif provider and isinstance(expr, n.Object):
                for item in expr.items:
                    self._provider(item.value, declaration, scope)
            elif provider:
                self._provider(expr, declaration, scope)
            else:
                self._expression(expr, declaration, scope, context)
        finally:
            self._location = None

    def _add_reference(self, reference: Reference) -> None:
        if self._location is not None:
            reference.location = self._location
        reference.interpolation = self._interpolations.get(id(reference.node))
        self.references.append(reference)
        self._refs_by_node[id(reference.node)] = reference
        if reference.owner is not None:
            self._refs_of[id(reference.owner)].append(reference)
        if isinstance(reference.target, Declaration):
            self._refs_to[id(reference.target)].append(reference)

    # --- resolution ------------------------------------------------------------------------

    def _resolve(self, reference: Reference, scope: _Scope) -> Declaration | Binding | None:
        names = reference.names
        first = names[0]
        if first in scope.names:
            return scope.names[first]
        owner = scope.owner
        if first == "each":
            holder = owner.parent or owner
            if (
                holder.block is not None
                and holder.attribute("for_each") is not None
                and names[1:2] in (("key",), ("value",))
            ):
                return Binding("each", "each", holder.block, holder)
            return None
        if first == "count":
            holder = owner.parent or owner
            if holder.block is not None and holder.attribute("count") is not None and names[1:] == ("index",):
                return Binding("count", "count", holder.block, holder)
            return None
        if first == "self":
            return Binding("self", "self", owner.node, owner) if owner.kind in RESOURCE_LIKE else None
        if first in BUILTIN_ATTRIBUTES:
            return Binding(first, "builtin") if names[1:2] and names[1] in BUILTIN_ATTRIBUTES[first] else None
        if len(names) < 2:
            return None
        if first == "var":
            return self.get("variable", names[1])
        if first == "local":
            return self.get("local", names[1])
        if first == "module":
            return self.get("module", names[1])
        if first in ("data", "ephemeral", "resource"):
            return self.get(first, *names[1:3]) if len(names) >= 3 else None
        return self.get("resource", *names[:2])

    def _resolve_provider(self, reference: Reference) -> Declaration | Binding | None:
        name = reference.names[0]
        alias = reference.names[1] if len(reference.names) > 1 else ""
        declared = self.get("provider", name, alias)
        if declared is None and (name, alias) in self._configuration_aliases:
            return Binding(f"{name}.{alias}", "builtin")
        if declared is None:
            # Terraform supplies an empty default configuration for any provider.
            return Binding(name, "builtin") if not alias and reference.key is None else None
        has_for_each = declared.attribute("for_each") is not None if declared.block else False
        if (reference.key is not None) != has_for_each:
            return None  # an instance of a provider without for_each, or a for_each provider unindexed
        return declared

    # --- queries ---------------------------------------------------------------------------

    def reference(self, expr: n.Node) -> Reference | None:
        """The reference ``expr`` is, looking through parentheses and a lone ``"${...}"``."""
        expr = unwrap(expr)
        return self._refs_by_node.get(id(expr))

    def target(self, expr: n.Node) -> Declaration | None:
        """The declaration an expression names, if it is exactly a reference to one."""
        reference = self.reference(expr)
        return reference.declaration if reference is not None else None

    def points_to(self, expr: n.Node) -> Reference | None:
        """The reference an expression comes down to: itself, or what a local holding exactly one
        reference holds (``local.logs`` with ``logs = aws_s3_bucket.logs.arn``), locals of locals too."""
        reference = self.reference(expr)
        seen = set()
        while (
            reference is not None
            and reference.names[0] == "local"
            and not reference.steps
            and reference.key is None
            and isinstance(reference.target, Declaration)
            and id(reference.target) not in seen
            and (value := reference.target.local_value) is not None
        ):
            seen.add(id(reference.target))
            reference = self.reference(value)
        return reference

    def argument_target(self, declaration: Declaration, argument: str) -> Declaration | None:
        """The declaration an argument of a block designates (``key_id = aws_kms_key.k.arn`` -> the key)."""
        attr = declaration.attribute(argument)
        if attr is None:
            return None
        reference = self.points_to(attr.value)
        return reference.declaration if reference is not None else None

    def shape(self, expr: n.Node) -> tuple[str | values.Unknown, ...]:
        """A string expression as literal pieces and `Unknown` gaps (see `tffix.semantic.values.shape`)."""
        return values.shape(expr, self)

    def literal(self, expr: n.Node) -> values.Value:
        """The value of an expression that does not depend on variables or locals, or Unknown."""
        return values.evaluate(expr, None)

    def references_to(self, declaration: Declaration) -> list[Reference]:
        return list(self._refs_to.get(id(declaration), ()))

    def references_from(self, declaration: Declaration) -> list[Reference]:
        """References written inside a declaration (a check block's data sources included)."""
        return list(self._refs_of.get(id(declaration), ()))

    def references_in(self, declaration: Declaration, node: n.Node) -> list[Reference]:
        """References of a declaration that lie inside one of its nodes (an argument, a nested block)."""
        if node is declaration.node:
            return self.references_from(declaration)
        inside = {id(descendant) for descendant in node.walk()}
        return [r for r in self._refs_of.get(id(declaration), ()) if id(r.node) in inside]

    def depends_on(self, declaration: Declaration) -> set[Declaration]:
        """What a declaration is ordered after: everything it references (``depends_on`` included)."""
        return {r.declaration for r in self.references_from(declaration) if r.declaration is not None}

    def duplicates(self) -> list[str]:
        """Addresses declared more than once (Terraform rejects each: "Duplicate resource ...")."""
        counts: dict[tuple[str, tuple[str, ...]], int] = {}
        for declaration in self.declarations:
            if declaration.kind in UNIQUE and declaration.parent is None:
                key = (declaration.kind, declaration.labels)
                counts[key] = counts.get(key, 0) + 1
        return sorted(
            self._by_key[(kind, labels)][0].address for (kind, labels), count in counts.items() if count > 1
        )

    def unresolved(self) -> list[Reference]:
        """References that name nothing the module declares or Terraform binds."""
        return [r for r in self.references if r.target is None and r.context != "moved_from"]

    def value(self, expr: n.Node, bindings: dict[str, values.Value] | None = None) -> values.Value:
        """The static value of an expression (see `tffix.semantic.values`)."""
        return values.evaluate(expr, self, bindings)

    def instance_keys(
        self, declaration: Declaration, lists: bool = False
    ) -> dict[str, values.Value] | values.Unknown:
        """``{key: each.value}`` for a declaration with ``for_each``, or `Unknown` saying why not.

        Keys are strings: a map's keys, or a set of strings (each.value is then the key).
        ``lists`` also takes a list of unique strings as the set it was meant to be
        (Terraform rejects a list there; a rule removing ``for_each`` may accept it).
        """
        attr = declaration.attribute("for_each")
        if attr is None:
            return values.Unknown(f"{declaration.address} has no for_each")
        value = self.value(attr.value)
        if isinstance(value, values.Unknown):
            return value
        if isinstance(value, dict):
            if not all(isinstance(k, str) for k in value):
                return values.Unknown("for_each keys must be strings")
            return value
        if isinstance(value, list) and lists and len(set(map(repr, value))) == len(value):
            value = values.SetValue(value)
        if isinstance(value, values.SetValue):
            keys = [item for item in value if isinstance(item, str)]
            if len(keys) != len(value):  # a null too, which `next(..., None)` used to let through
                return values.Unknown(
                    f"`{values.describe(attr.value)}` holds a value that is not a literal string"
                )
            return {key: key for key in keys}
        if isinstance(value, list):
            return values.Unknown(f"`{values.describe(attr.value)}` is a list; for_each takes a map or a set")
        return values.Unknown(f"`{values.describe(attr.value)}` is not a map or a set")

    def instance_sources(self, declaration: Declaration) -> dict[str, n.Node]:
        """Where each instance's ``each.value`` is written, when the for_each collection is a literal
        (directly, or in a variable's default or a local): ``{key: node}``; empty when it is computed."""
        attr = declaration.attribute("for_each")
        node = values.literal_source(attr.value, self) if attr is not None else None
        out: dict[str, n.Node] = {}
        if isinstance(node, n.Object):
            for item in node.items:
                key = self.literal(item.key) if not isinstance(item.key, n.Variable) else item.key.name.text
                if isinstance(key, str):
                    out[key] = item.value
        elif isinstance(node, n.Tuple):
            for element in node.items:
                key = self.literal(element.value)
                if isinstance(key, str):
                    out[key] = element.value
        return out


def unwrap(expr: n.Node) -> n.Node:
    """An expression without enclosing parentheses or a template that is a single interpolation."""
    while True:
        if isinstance(expr, n.Parenthesized):
            expr = expr.expression
        elif (
            isinstance(expr, n.TemplateString)
            and len(expr.parts) == 1
            and isinstance(only := expr.parts[0], n.Interpolation)
        ):
            expr = only.expression
        else:
            return expr


def _labels(block: n.Block) -> tuple[str, ...] | None:
    try:
        return block.labels
    except query.NotStatic:
        return None


def _string(expr: n.Node) -> str | None:
    try:
        return query.string_value(expr)
    except query.NotStatic:
        return None


def _variable_name(expr: n.Node) -> str | None:
    return expr.name.text if isinstance(expr, n.Variable) else None


def _cut(traversal: n.Traversal, provider: bool = False) -> Cut:
    """A traversal cut into (address names, instance key, remaining steps, splat after the address).

    ``aws_s3_bucket.x.arn`` -> (aws_s3_bucket, x), None, (.arn); ``module.m["k"].id`` ->
    (module, m), ["k"], (.id); ``data.t.x`` takes three names; ``var.v``, ``local.l``,
    ``each.key``, ``count.index``, ``path.module`` two; ``self.x`` one; a provider
    reference ``aws.west[k]`` takes its alias.
    """
    source = traversal.source
    assert isinstance(source, n.Variable), "only a traversal of a name is cut"
    first = source.name.text
    if provider:
        width = 2
    elif first in ("data", "ephemeral", "resource"):
        width = 3  # `resource.T.N` is Terraform's escape for a type named like a keyword
    elif first == "self":
        width = 1
    else:
        width = 2
    names = [first]
    steps = list(traversal.steps)
    while len(names) < width and steps and isinstance(name_step := steps[0], n.GetAttr):
        del steps[0]
        names.append(name_step.name.text)
    key = None
    splat = False
    if first not in ("var", "local", "each", "count", "self", "path", "terraform") and steps:
        if isinstance(index_step := steps[0], n.Index):
            del steps[0]
            key = index_step.key
        elif isinstance(steps[0], n.Splat):
            splat = True
    return tuple(names), key, tuple(steps), splat


def _traversals(
    expr: n.Node,
) -> Iterable[tuple[n.Node, tuple[str, ...], n.Node | None, tuple[Step, ...], bool]]:
    unwrapped = unwrap(expr)
    if isinstance(unwrapped, n.Traversal) and isinstance(unwrapped.source, n.Variable):
        names, key, steps, splat = _cut(unwrapped)
        yield unwrapped, names, key, steps, splat
    elif isinstance(unwrapped, n.Variable):
        yield unwrapped, (unwrapped.name.text,), None, (), False
