"""The dependency lock file and the provider requirements it is checked against.

``.terraform.lock.hcl`` is HCL, read here from a ``tffix.syntax`` tree the way
hashicorp/terraform's ``internal/depsfile/locks_file.go`` reads it (OpenTofu's copy
differs only in wording): one ``provider "<hostname>/<namespace>/<type>"`` block per
provider, the address fully qualified and normalised, ``version`` in its canonical form,
``constraints`` in Terraform's canonical form, ``hashes`` a non-empty list.  A block
Terraform would reject is still returned, with the reason in ``problems``.

Provider source addresses are normalised as hashicorp/terraform-registry-address's
``ParseProviderSource`` and hashicorp/terraform ``internal/addrs/provider.go`` do:
``aws`` and ``hashicorp/aws`` are ``registry.terraform.io/hashicorp/aws``, or
``registry.opentofu.org/hashicorp/aws`` for OpenTofu; namespace and type are lower-cased;
the hostname is lower-cased and loses a ``:443`` port (hashicorp/terraform-svchost
``ForComparison``).  Non-ASCII names are lower-cased but not IDNA-mapped.

OpenTofu reads a lock entry of ``registry.terraform.io/hashicorp/<type>`` as the
entry of ``registry.opentofu.org/hashicorp/<type>`` when that has none
(opentofu/opentofu ``internal/depsfile/locks.go`` ``UpgradeFromPredecessorProject``,
applied by ``tofu init``), so `locked_provider` looks there too.

Requirements come from ``terraform { required_providers { ... } }`` in either form
(hashicorp/terraform ``internal/configs/provider_requirements.go``): an object with
``source`` and ``version``, or the legacy ``aws = "~> 3.0"``.  A name without a
source means ``hashicorp/<name>``, except ``terraform``, the built-in provider.  The
deprecated ``version`` argument of a ``provider`` block also constrains the provider and
is not read here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from tffix.semantic.versions import (
    ConstraintError,
    Version,
    VersionError,
    parse_lock_constraints,
    parse_version,
)
from tffix.syntax import nodes as n
from tffix.syntax import query

__all__ = [
    "LockedProvider",
    "ProviderAddress",
    "ProviderSourceError",
    "RequiredProvider",
    "implied_provider",
    "locked_provider",
    "locked_providers",
    "parse_provider_source",
    "required_providers",
]

DEFAULT_REGISTRY = {"terraform": "registry.terraform.io", "opentofu": "registry.opentofu.org"}
BUILTIN_HOST = "terraform.io"
BUILTIN_NAMESPACE = "builtin"
LEGACY_NAMESPACE = "-"


class ProviderSourceError(ValueError):
    """A source address Terraform rejects; the message is its diagnostic's summary and detail."""


@dataclass(frozen=True, slots=True)
class ProviderAddress:
    hostname: str
    namespace: str
    type: str

    def __str__(self) -> str:
        return f"{self.hostname}/{self.namespace}/{self.type}"

    @property
    def is_builtin(self) -> bool:
        return self.hostname == BUILTIN_HOST and self.namespace == BUILTIN_NAMESPACE


def parse_provider_source(text: str, *, target: str = "terraform") -> ProviderAddress:
    """``[hostname/][namespace/]type``, normalised; a missing namespace is ``hashicorp``."""
    parts = text.split("/")
    if len(parts) > 3 or any(part == "" for part in parts):
        raise ProviderSourceError(
            'Invalid provider source string: The "source" attribute must be in the format'
            ' "[hostname/][namespace/]name"'
        )
    try:
        type_ = _provider_part(parts[-1])
    except ValueError as error:
        raise ProviderSourceError(
            f'Invalid provider type: Invalid provider type "{parts[-1]}" in source "{text}": {error}'
        ) from None
    namespace = "hashicorp"
    if len(parts) >= 2:
        if parts[-2] == LEGACY_NAMESPACE:
            namespace = LEGACY_NAMESPACE
        else:
            try:
                namespace = _provider_part(parts[-2])
            except ValueError as error:
                raise ProviderSourceError(
                    f'Invalid provider namespace: Invalid provider namespace "{parts[-2]}"'
                    f' in source "{text}": {error}'
                ) from None
    hostname = DEFAULT_REGISTRY[target]
    if len(parts) == 3:
        hostname = _hostname(parts[0], text)
    if namespace == LEGACY_NAMESPACE and hostname != DEFAULT_REGISTRY[target]:
        raise ProviderSourceError(
            f'Invalid provider namespace: The legacy provider namespace "-" can be used only'
            f" with hostname {DEFAULT_REGISTRY[target]}."
        )
    if type_.startswith("terraform-"):
        raise ProviderSourceError(
            f'Invalid provider type: Provider source "{text}" has a type with the prefix'
            ' "terraform-", which isn\'t valid.'
        )
    return ProviderAddress(hostname, namespace, type_)


def implied_provider(name: str, *, target: str = "terraform") -> ProviderAddress:
    """The provider a local name means without a ``source`` (``ImpliedProviderForUnqualifiedType``)."""
    type_ = _provider_part(name)
    if type_ == "terraform":
        return ProviderAddress(BUILTIN_HOST, BUILTIN_NAMESPACE, type_)
    return ProviderAddress(DEFAULT_REGISTRY[target], "hashicorp", type_)


_ASCII_PART = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def _provider_part(given: str) -> str:
    """terraform-registry-address ``ParseProviderPart``: letters, digits and single dashes, folded to lower case."""
    if not given:
        raise ValueError("must have at least one character")
    if "." in given:
        raise ValueError("dots are not allowed")
    if "--" in given:
        raise ValueError("cannot use multiple consecutive dashes")
    part = given.lower()
    if part.isascii():
        valid = _ASCII_PART.fullmatch(part) is not None
    else:
        valid = part.replace("-", "").isalnum() and not part.startswith("-") and not part.endswith("-")
    if not valid:
        raise ValueError(
            "must contain only letters, digits, and dashes, and may not use leading or trailing dashes"
        )
    return part


def _hostname(given: str, source: str) -> str:
    host, _, port = given.partition(":")
    if port:
        if not port.isdigit():
            raise ProviderSourceError(
                f"Invalid provider source hostname: Invalid provider source hostname"
                f' "{given}" in source "{source}": port portion contains non-digit characters'
            )
        port = "" if int(port) == 443 else f":{int(port)}"
    labels = host.lower().split(".")
    if any(not label for label in labels):
        raise ProviderSourceError(
            f'Invalid provider source hostname: Invalid provider source hostname "{given}"'
            f' in source "{source}"'
        )
    return ".".join(labels) + port


# --- The lock file ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LockedProvider:
    """One ``provider`` block of the lock file.

    ``address`` is None when the label is not a provider address; ``version`` is None
    when the block has no usable ``version``.  ``problems`` lists why Terraform would
    reject the block (the summaries of its diagnostics, with detail), empty when it is fine.
    """

    source: str
    address: ProviderAddress | None
    version: Version | None
    constraints: str | None
    hashes: tuple[str, ...]
    block: n.Block
    problems: tuple[str, ...] = ()


def locked_providers(lock_file: n.File, *, target: str = "terraform") -> list[LockedProvider]:
    """Every ``provider`` block of a parsed ``.terraform.lock.hcl``, in file order."""
    out = []
    seen: set[ProviderAddress] = set()
    for block in query.blocks(lock_file, "provider"):
        locked = _locked_provider(block, target)
        address = locked.address
        if address is not None:
            if address in seen:
                locked = _with_problem(
                    locked,
                    f"Duplicate provider lock: this lock file already declared a lock for provider {address}",
                )
            seen.add(address)
        out.append(locked)
    return out


def locked_provider(
    locks: Iterable[LockedProvider], address: ProviderAddress, *, target: str = "terraform"
) -> LockedProvider | None:
    """The entry Terraform (or OpenTofu) uses for ``address``; the first of duplicates."""
    locks = [lock for lock in locks if lock.address is not None]
    for lock in locks:
        if lock.address == address:
            return lock
    if (
        target == "opentofu"
        and address.hostname == DEFAULT_REGISTRY["opentofu"]
        and address.namespace == "hashicorp"
    ):
        predecessor = ProviderAddress(DEFAULT_REGISTRY["terraform"], "hashicorp", address.type)
        for lock in locks:
            if lock.address == predecessor:
                return lock
    return None


def _locked_provider(block: n.Block, target: str) -> LockedProvider:
    problems: list[str] = []
    labels = block.labels
    source = labels[0] if labels else ""
    address = None
    try:
        address = parse_provider_source(source, target=target)
    except ProviderSourceError:
        problems.append(
            "Invalid provider source address: The provider source address for a provider lock must be"
            ' a valid, fully-qualified address of the form "hostname/namespace/type".'
        )
    if address is not None:
        if address.is_builtin or address.namespace == LEGACY_NAMESPACE:
            problems.append(f"Invalid provider source address: {address} cannot be locked")
        elif str(address) != source:
            problems.append(
                f"Non-normalized provider source address: the provider source address for this provider"
                f' lock must be written as "{address}", the fully-qualified and normalized form.'
            )
    if len(labels) != 1:
        problems.append("Invalid provider lock block: a provider lock block has exactly one label")

    values = {}
    for attribute in query.attributes(block):
        name = attribute.name.text
        if name not in ("version", "constraints", "hashes"):
            problems.append(f'Unsupported argument: an argument named "{name}" is not expected here.')
            continue
        try:
            values[name] = query.static_value(attribute.value)
        except query.NotStatic:
            problems.append(f"Invalid provider lock: {name} must be a literal")
    for nested in query.blocks(block):
        problems.append(f'Unsupported block type: blocks of type "{nested.type}" are not expected here.')

    version = None
    raw_version = values.get("version")
    if raw_version is None:
        problems.append('Missing required argument: a provider lock block must contain a "version" argument.')
    elif not isinstance(raw_version, str):
        problems.append("Invalid provider version number: the version must be a string.")
    else:
        try:
            version = parse_version(raw_version)
        except VersionError as error:
            problems.append(
                f"Invalid provider version number: the selected version number for provider"
                f" {address or source} is invalid: {error}."
            )
        if version is not None and str(version) != raw_version:
            problems.append(
                f"Invalid provider version number: the selected version number for provider"
                f' {address or source} must be written in normalized form: "{version}".'
            )

    constraints = values.get("constraints")
    if constraints is not None:
        if not isinstance(constraints, str):
            problems.append("Invalid provider version constraints: the constraints must be a string.")
            constraints = None
        else:
            try:
                canonical = parse_lock_constraints(constraints).canonical()
            except ConstraintError as error:
                problems.append(
                    f"Invalid provider version constraints: the recorded version constraints for"
                    f" provider {address or source} are invalid: {error}."
                )
            else:
                if canonical != constraints:
                    problems.append(
                        f"Invalid provider version constraints: the recorded version constraints for"
                        f" provider {address or source} must be written in normalized form:"
                        f' "{canonical}".'
                    )

    hashes = values.get("hashes", [])
    if not isinstance(hashes, list) or not all(isinstance(item, str) for item in hashes):
        problems.append("Invalid provider hash set: hashes must be a list of strings.")
        hashes = []
    elif "hashes" in values and not hashes:
        problems.append(
            'Invalid provider hash set: the "hashes" argument must either be omitted or contain at'
            " least one hash value."
        )
    return LockedProvider(source, address, version, constraints, tuple(hashes), block, tuple(problems))


def _with_problem(locked: LockedProvider, problem: str) -> LockedProvider:
    return LockedProvider(
        locked.source,
        locked.address,
        locked.version,
        locked.constraints,
        locked.hashes,
        locked.block,
        locked.problems + (problem,),
    )


# --- required_providers -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RequiredProvider:
    """One entry of a ``required_providers`` block.

    ``version`` is the constraint's text (the string's value) and ``version_node`` the
    string expression that holds it, for a rule to rewrite; both are None when the entry
    has no version or it is not a literal string.  ``address`` is None when ``source``
    is invalid, with the reason in ``problems``.
    """

    name: str
    address: ProviderAddress | None
    source: str | None
    version: str | None
    version_node: n.Node | None
    entry: n.Attribute
    problems: tuple[str, ...] = ()


def required_providers(file: n.File, *, target: str = "terraform") -> list[RequiredProvider]:
    """Every entry of every ``terraform { required_providers { ... } }`` of one parsed file."""
    out = []
    for terraform in query.blocks(file, "terraform"):
        for block in query.blocks(terraform, "required_providers"):
            for entry in query.attributes(block):
                out.append(_required_provider(entry, target))
    return out


def _required_provider(entry: n.Attribute, target: str) -> RequiredProvider:
    name = entry.name.text
    problems: list[str] = []
    source = None
    version = version_node = None
    value = entry.value
    while isinstance(value, n.Parenthesized):
        value = value.expression
    if isinstance(value, n.Object):
        for item in value.items:
            try:
                key = query.object_key(item)
            except query.NotStatic:
                problems.append("Invalid required_providers object: keys must be names")
                continue
            if key == "version":
                version, version_node = _string(
                    item.value, problems, "Invalid version constraint: Version must be specified as a string."
                )
            elif key == "source":
                source, _ = _string(
                    item.value, problems, "Invalid source: Source must be specified as a string."
                )
            elif key != "configuration_aliases":
                problems.append(
                    "Invalid required_providers object: required_providers objects can only contain"
                    ' "version", "source" and "configuration_aliases" attributes.'
                )
    else:
        version, version_node = _string(
            value,
            problems,
            "Invalid required_providers object: required_providers entries must be strings or objects.",
        )
    address = None
    try:
        address = (
            parse_provider_source(source, target=target)
            if source is not None
            else implied_provider(name, target=target)
        )
    except ProviderSourceError as error:
        problems.append(str(error))
    except ValueError as error:
        problems.append(f"Invalid provider name: {error}")
    return RequiredProvider(name, address, source, version, version_node, entry, tuple(problems))


def _string(expr: n.Node, problems: list[str], problem: str) -> tuple[str | None, n.Node | None]:
    try:
        value = query.string_value(expr)
    except query.NotStatic:
        problems.append(problem)
        return None, None
    return value, expr
