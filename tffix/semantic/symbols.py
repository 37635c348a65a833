"""What the semantic model is made of: declarations, bindings and references.

Kept apart from `tffix.semantic.model` (which builds them) so that the readers of
each syntax (HCL in the model, JSON in `tffix.semantic.jsonconfig`) can make them
without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tffix.semantic import values
from tffix.syntax import nodes as n

if TYPE_CHECKING:
    from tffix.semantic.module import ModuleFile

# Top-level block types and the labels that name them.
RESOURCE_LIKE = ("resource", "data", "ephemeral")
DECLARING = {
    "resource": 2,
    "data": 2,
    "ephemeral": 2,
    "module": 1,
    "provider": 1,
    "variable": 1,
    "output": 1,
    "check": 1,
    "moved": 0,
    "import": 0,
    "removed": 0,
    "terraform": 0,
}
_NOT_RESOURCES = frozenset({"var", "local", "module", "each", "count", "self", "path", "terraform"})
BUILTIN_ATTRIBUTES = {"path": {"module", "root", "cwd"}, "terraform": {"workspace", "applying"}}


@dataclass(eq=False, slots=True)
class Declaration:
    """Something the module declares, with the node it is written in."""

    kind: str  # the block type, or "local"
    labels: tuple[str, ...]  # resource/data: (type, name); module/variable/output/check: (name,);
    #                            provider: (name, alias or ""); local: (name,)
    file: ModuleFile
    node: object  # n.Block (a local: its n.Attribute; JSON: a JSON node)
    parent: Declaration | None = None  # a data source inside a check block
    # Blocks of ``*_override.tf`` files merged into this one, in the order Terraform merges them,
    # as (file, block): their arguments replace this block's, their nested blocks replace all of a type.
    overrides: list[tuple[ModuleFile, n.Block]] = field(default_factory=list)

    @property
    def type(self) -> str:
        """The resource type, or the provider's local name ("" where there is none)."""
        if self.kind in RESOURCE_LIKE or self.kind == "provider":
            return self.labels[0] if self.labels else ""
        return ""

    @property
    def name(self) -> str:
        """The name (a provider's alias, "" for its default configuration; "" for a block Terraform
        rejects for its labels)."""
        if self.kind in RESOURCE_LIKE or self.kind == "provider":
            return self.labels[1] if len(self.labels) > 1 else ""
        return self.labels[0] if self.labels else ""

    @property
    def address(self) -> str:
        """How a reference names it: ``aws_s3_bucket.x``, ``data.t.x``, ``module.m``, ``var.v``,
        ``local.l``, ``aws`` / ``aws.west`` for a provider configuration."""
        if self.kind == "resource":
            return ".".join(self.labels)
        if self.kind in ("data", "ephemeral"):
            return ".".join((self.kind,) + self.labels)
        if self.kind == "provider":
            return self.labels[0] + (f".{self.labels[1]}" if self.labels[1] else "")
        prefix = {
            "module": "module",
            "variable": "var",
            "local": "local",
            "output": "output",
            "check": "check",
        }.get(self.kind)
        if prefix and self.labels:
            return f"{prefix}.{self.labels[0]}"
        return self.kind

    @property
    def block(self) -> n.Block | None:
        return self.node if isinstance(self.node, n.Block) else None

    @property
    def local_value(self) -> n.Node | None:
        """A local's value expression; None for other declarations and for a local in a .tf.json file."""
        return self.node.value if self.kind == "local" and isinstance(self.node, n.Attribute) else None

    @property
    def is_json(self) -> bool:
        return self.file.syntax == "json"

    def attribute(self, name: str) -> n.Attribute | None:
        """The argument Terraform uses: the last override's, if one sets it, else this block's."""
        owner = self.owner_of(name)
        return owner[1].attribute(name) if owner is not None else None

    def owner_of(self, name: str) -> tuple[ModuleFile, n.Block] | None:
        """``(file, block)`` where the argument Terraform uses is written (an override file's block
        when one sets it): the place a fix of that argument must edit.  None when it is not set."""
        for file, override in reversed(self.overrides):
            if override.attribute(name) is not None:
                return file, override
        block = self.block
        if block is not None and block.attribute(name) is not None:
            return self.file, block
        return None

    def nested(self, type_: str) -> list[tuple[ModuleFile, n.Block]]:
        """``(file, block)`` of the nested blocks of a type Terraform uses: an override that has
        any replaces them all."""
        for file, override in reversed(self.overrides):
            found = override.blocks(type_)
            if found:
                return [(file, nested) for nested in found]
        block = self.block
        return [(self.file, nested) for nested in block.blocks(type_)] if block is not None else []

    def __repr__(self) -> str:
        return f"<{self.kind} {self.address}>"


@dataclass(eq=False, slots=True)
class Binding:
    """A name bound by Terraform rather than declared: ``each``, ``count``, ``self``, an iterator.

    ``node`` is what binds it: the block with ``for_each``/``count``, the
    resource for ``self``, the ``for`` expression, the ``dynamic`` block or the
    ``%{ for }`` directive; None for ``path`` and ``terraform``.
    """

    name: str
    kind: str  # each | count | self | for | dynamic | template_for | builtin
    node: object = None
    declaration: Declaration | None = None


@dataclass(eq=False, slots=True)
class Reference:
    """One reference as written, cut into the address it names, its instance key and the rest."""

    node: n.Node  # the Traversal (or bare Variable) as written
    file: ModuleFile
    owner: Declaration | None  # the declaration whose text holds it
    names: tuple[str, ...]  # the address: ("aws_s3_bucket", "x"), ("module", "m"), ("var", "v")
    key: n.Node | None  # the index expression right after the address: module.m["k"]
    steps: tuple[
        n.GetAttr | n.Index | n.Splat, ...
    ]  # the steps after the address and the key (GetAttr, Index, Splat)
    context: str = "expression"  # expression | depends_on | provider | address | replace_triggered_by
    target: Declaration | Binding | None = None
    splat: bool = False  # the step after the address is a splat (aws_x.y[*], module.m.*)
    location: tuple[int, int] | None = None  # in a .tf.json file: the string it was read from
    interpolation: n.Interpolation | None = None  # the ``${...}`` that is exactly this reference

    @property
    def address(self) -> str:
        return ".".join(self.names)

    @property
    def attribute(self) -> str | None:
        """The first attribute named after the address: ``arn`` in ``aws_kms_key.k.arn``."""
        for step in self.steps:
            if isinstance(step, n.GetAttr):
                return step.name.text
            if not isinstance(step, n.Index):
                return None
        return None

    @property
    def attributes(self) -> tuple[str, ...]:
        """Every attribute named after the address, up to the first step that is not one."""
        out = []
        for step in self.steps:
            if not isinstance(step, n.GetAttr):
                break
            out.append(step.name.text)
        return tuple(out)

    @property
    def declaration(self) -> Declaration | None:
        return self.target if isinstance(self.target, Declaration) else None

    @property
    def resource_type(self) -> str | None:
        """The resource or data source type the address names, declared in the module or not."""
        first = self.names[0]
        if first in ("data", "ephemeral", "resource"):
            return self.names[1] if len(self.names) > 1 else None
        if first in _NOT_RESOURCES or len(self.names) < 2 or self.context == "provider":
            return None
        return first

    @property
    def resolved(self) -> bool:
        return self.target is not None

    @property
    def span(self) -> tuple[int, int]:
        """Offsets in its file (for a .tf.json reference, the JSON string holding it)."""
        return self.location if self.location is not None else self.node.text_span

    def text(self) -> str:
        """The reference as written, on one line (for messages)."""
        return values.describe(self.node)

    def __repr__(self) -> str:
        return f"<ref {self.address} -> {self.target!r}>"
