"""TFX011 lock-file-constraint: the lock file holds a provider version the constraints exclude.

``terraform init`` (without ``-upgrade``) keeps the version ``.terraform.lock.hcl``
selected, and stops when the configuration no longer allows it
(hashicorp/terraform ``internal/providercache/installer.go``, the error of
``internal/getproviders/errors.go``)::

    locked provider registry.terraform.io/hashicorp/aws 6.22.1 does not match configured
    version constraint ~> 5.0; must use terraform init -upgrade to allow selection of new versions

It happens when a constraint is tightened or copied from an older stack while the
lock file stays, or when a lock file made for another branch is committed.  The
constraint is the concatenation of every ``version`` that requires the provider:
``required_providers`` entries and the deprecated ``version`` of ``provider``
blocks, of the root module and of every module it calls
(``internal/configs/config.go``, ``addProviderRequirements``), printed in
Terraform's canonical form; only local modules (``./``, ``../``) can be read
here, so a constraint in a registry or git module is not seen.  OpenTofu words it
with ``tofu init`` and reads a ``registry.terraform.io/hashicorp/...`` entry as
its own registry's (`tffix.semantic.lockfile.locked_provider`).

The fix rewrites, in the root module, each constraint that excludes the locked
version so that it admits it, in its own style (`tffix.semantic.versions.widen`:
``~> 5.0`` with 6.22.1 locked becomes ``~> 6.0``).  It is unsafe: the lock file
is right about what was installed and tested, but admitting it may be a major
provider upgrade for whoever relied on the constraint.  The lock file is never
edited (``terraform init -upgrade`` would pick a new version, which is a
different decision).  A constraint in a child module is reported at its own
string, without a fix (tffix edits only the module it analyses), with the
rewrite that would admit the version; so is one that no rewrite in the same
style can widen (a lone ``!=``, a prerelease nothing pins).

Leaves alone: providers without a lock entry, lock entries or constraints that
Terraform itself rejects (it stops on those first), constraints that are not
literal strings, ``.tf.json`` files.

Peer IDs: none known (no scanner reads the lock file against the constraints).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from tffix.rules import Rule, finding, replace
from tffix.semantic import lockfile, versions
from tffix.semantic.module import LOCK_FILE, Module, ModuleFile
from tffix.syntax import build, edit, query
from tffix.syntax import nodes as n


@dataclass(frozen=True, slots=True)
class _Constraint:
    """One ``version`` string that constrains a provider, and where it is written."""

    module: Module
    file: ModuleFile
    address: lockfile.ProviderAddress | None
    text: str | None  # None: written, but not as a literal string
    node: n.Node | None  # the string expression
    owner: n.Node  # the attribute holding it: what a fix replaces


def check(module):
    if module.lock is None:
        return
    target = module.target
    locks = lockfile.locked_providers(module.lock.tree, target=target)
    by_address: dict[lockfile.ProviderAddress, list[_Constraint]] = defaultdict(list)
    for each in _modules(module):
        for constraint in _constraints(each, target):
            if constraint.address is not None:
                by_address[constraint.address].append(constraint)
    for address, written in by_address.items():
        locked = lockfile.locked_provider(locks, address, target=target)
        if locked is None or locked.version is None or locked.problems:
            continue
        if any(constraint.text is None for constraint in written):
            continue  # Terraform reports the non-literal version first
        try:
            parsed = [
                (constraint, versions.parse_constraint(constraint.text))
                for constraint in written
                if constraint.text is not None  # all of them (checked above)
            ]
        except versions.ConstraintError:
            continue  # "Invalid version constraint": Terraform stops on it before the lock file
        merged = versions.Constraint()
        for _, constraint in parsed:
            merged = merged & constraint
        version = locked.version
        if merged.allows(version):
            continue
        tool = "tofu" if target == "opentofu" else "terraform"
        message = (
            f"locked provider {address} {version} does not match configured version constraint "
            f"{merged.canonical()}; must use {tool} init -upgrade to allow selection of new versions"
        )
        excluding = [
            c for c, constraint in parsed if not all(s.admits(version) for s in constraint.selections)
        ]
        for constraint in excluding or [c for c, _ in parsed]:
            yield _finding(module, constraint, version, message)


def _finding(root: Module, constraint: _Constraint, version: versions.Version, message: str):
    assert constraint.text is not None, "only constraints that parsed have findings"
    widened = versions.widen(constraint.text, version)
    file, node, owner = constraint.file, constraint.node, constraint.owner
    if widened is None or widened == constraint.text:
        why = (
            "Terraform admits a prerelease only where a constraint names it exactly"
            if version.prerelease
            else f'no constraint in the style of "{constraint.text}" admits {version}'
        )
        return finding(file, node, f"{message} (not fixed: {why})")
    if constraint.module is not root:
        where = constraint.module.directory or "."
        return finding(
            file,
            node,
            f'{message}; "{constraint.text}" is in the local module {where} '
            f'(not fixed there from here: "{widened}" would admit {version})',
        )
    assert node is not None, "a constraint written as a literal string has its string node"
    return finding(
        file,
        node,
        f'{message}; widen "{constraint.text}" to "{widened}"',
        fix=lambda: replace(file, owner, edit.replace_expression(owner, node, build.string(widened).text)),
    )


def _modules(root: Module):
    """The root module and every local module it calls, directly or not, each once."""
    seen = {id(root)}
    stack = [root]
    while stack:
        current = stack.pop(0)
        yield current
        for call in current.model.declarations:
            if call.kind != "module" or call.block is None:
                continue
            source = call.attribute("source")
            try:
                child = root.child(query.string_value(source.value), caller=current) if source else None
            except query.NotStatic:
                continue
            if child is not None and id(child) not in seen:
                seen.add(id(child))
                stack.append(child)


def _constraints(module: Module, target: str):
    """Every provider ``version`` of one module: ``required_providers`` entries (an override file's
    entry replaces the others of its name, as Terraform merges them) and ``provider`` blocks."""
    entries: dict[str, list] = {}
    for file in sorted(module.hcl_files, key=lambda f: f.is_override):
        found: dict[str, list] = defaultdict(list)
        if file.tree is None:
            continue  # not an HCL file: hcl_files holds none
        for required in lockfile.required_providers(file.tree, target=target):
            found[required.name].append((file, required))
        for name, items in found.items():
            if file.is_override:
                entries[name] = items
            else:
                entries.setdefault(name, []).extend(items)
    local_names: dict[str, lockfile.ProviderAddress | None] = {}
    for name, items in entries.items():
        for file, required in items:
            local_names.setdefault(name, required.address)
            if required.version_node is None and not _has_version(required.entry):
                continue
            text = None if required.problems else required.version  # Terraform stops on the entry first
            yield _Constraint(module, file, required.address, text, required.version_node, required.entry)
    for file in module.hcl_files:
        if file.tree is None:
            continue  # not an HCL file: hcl_files holds none
        for block in query.blocks(file.tree, "provider"):
            attribute = block.attribute("version")
            try:
                labels = block.labels
            except query.NotStatic:
                continue
            if attribute is None or len(labels) != 1:
                continue
            address = local_names.get(labels[0])
            if labels[0] not in local_names:
                try:
                    address = lockfile.implied_provider(labels[0], target=target)
                except ValueError:
                    continue
            try:
                text = query.string_value(attribute.value)
            except query.NotStatic:
                text = None
            yield _Constraint(module, file, address, text, attribute.value, attribute)


def _has_version(entry: n.Attribute) -> bool:
    """An entry that writes a ``version`` Terraform cannot read statically (legacy string form too)."""
    value = entry.value
    while isinstance(value, n.Parenthesized):
        value = value.expression
    if isinstance(value, n.Object):
        return query.object_item(value, "version") is not None
    return True


EXAMPLE = """\
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}
"""
EXAMPLE_LOCK = """\
provider "registry.terraform.io/hashicorp/aws" {
  version     = "6.22.1"
  constraints = "~> 6.0"
  hashes = [
    "h1:2vKLf6sUEZYFTzmF6xZGGPl1u7ryVxHLk64fSt81P9M=",
  ]
}
"""

RULE = Rule(
    "TFX011",
    "lock-file-constraint",
    check,
    summary="widen a required_providers constraint that excludes the version the lock file holds",
    safe=False,
    doc=__doc__,
    example=EXAMPLE,
    example_files=((".terraform.lock.hcl", EXAMPLE_LOCK),),
    needs=(LOCK_FILE,),
)
