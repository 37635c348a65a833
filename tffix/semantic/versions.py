"""Provider version constraints, evaluated the way Terraform and OpenTofu evaluate them.

A ``version`` in ``required_providers`` goes through two parsers before it means anything,
and both must accept it (hashicorp/terraform ``internal/configs/provider_requirements.go``
and ``internal/configs/config.go``, ``addProviderRequirements``; OpenTofu's files of the
same names):

1. hashicorp/go-version's ``NewConstraint`` (``constraint.go``): the text is split on
   commas and each piece must match ``op? version`` with any whitespace around.  A
   failure is "Invalid version constraint: This string does not use correct version
   constraint syntax."
2. Its ``String()`` (the text as written) is parsed again by apparentlymart/go-versions'
   Ruby-style parser (``versions/constraints/ruby_style.go``, ``ParseRubyStyleMulti``,
   over the scanner of ``raw_scan.rl``), which is stricter: one space at most after the
   operator, no ``v`` prefix, three numbers at most, no wildcards.  A failure is
   "Incorrect version constraint syntax: <reason>."

Only the second model gives the meaning (``versions/parse.go``, ``MeetingConstraints``,
over ``versions/set_*.go`` and the ordering of ``versions/version.go``); go-version's
own matching, which ``required_version`` uses, never applies to providers.  The lock
file's ``version`` is read by go-versions' ``ParseVersion`` (``constraints/version.go``)
and its ``constraints`` by the Ruby-style parser alone (``internal/depsfile/locks_file.go``).

What go-versions does, and this module with it:

* A bare version and ``=`` are the same; a partial one is padded with zeros, so
  ``= 1.2`` admits 1.2.0 only.  ``~>`` with three numbers moves the last one
  (``~> 1.2.3`` is ``>= 1.2.3, < 1.3.0``); with one or two it moves the minor
  (``~> 1.2`` and ``~> 1`` are ``>= 1.X.0, < 2.0.0``).
* A comma list is an intersection; the constraints of every module that requires a
  provider are concatenated into one list (``providerreqs.Requirements.Merge``) before
  the lock file is checked (``internal/providercache/installer.go``).
* A prerelease is admitted only when an exact element (``=`` or bare) names it and every
  element admits it: ``>= 1.0`` never admits ``2.0.0-beta1``; ``2.0.0-beta1`` does, and
  so does ``2.0.0-beta1, >= 1.0`` (``MeetingConstraints``: released versions, plus the
  requested prereleases that the exact set holds).
* Build metadata takes no part in ordering, but an exact element compares it: ``1.0.0``
  does not admit ``1.0.0+abc``.
* Version 0.0.0 is go-versions' "unspecified" version, a member of no constrained set
  (``Set.Has``), so no constraint, not even an empty one, admits it.
* Prerelease order is go-versions', which compares the number of dot-separated parts
  before comparing a part that ends one of them (``VersionExtra.LessThan``): ``rc`` sorts
  before ``alpha.1``, unlike semver.

Terraform pins go-versions v1.0.2, OpenTofu v1.0.3; the two differ only in the wording of
the errors for a ``v`` prefix, and this module words them as v1.0.3 does.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = [
    "Constraint",
    "ConstraintError",
    "Selection",
    "Version",
    "VersionError",
    "allows",
    "parse_constraint",
    "parse_lock_constraints",
    "parse_version",
    "widen",
]


class VersionError(ValueError):
    """A version number that go-versions' ``ParseVersion`` rejects; the message is its own."""


class ConstraintError(ValueError):
    """A constraint Terraform rejects; the message is the detail of Terraform's diagnostic."""


# --- Versions ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Version:
    """A provider version: three numbers, an optional prerelease and build metadata.

    ``==`` compares every field, metadata included (go-versions' struct equality, which
    exact elements use); ``<`` and friends compare precedence, where metadata counts for
    nothing, so two versions that differ only in metadata are neither equal nor ordered.
    """

    major: int
    minor: int
    patch: int
    prerelease: str = ""
    metadata: str = ""

    def __str__(self) -> str:
        text = f"{self.major}.{self.minor}.{self.patch}"
        if self.prerelease:
            text += f"-{self.prerelease}"
        if self.metadata:
            text += f"+{self.metadata}"
        return text

    @property
    def precedence(self) -> tuple[object, ...]:
        """A sort key for go-versions' ``LessThan``: a release sorts after its prereleases."""
        if not self.prerelease:
            return (self.major, self.minor, self.patch, (1,))
        return (self.major, self.minor, self.patch, (0, _prerelease_key(self.prerelease)))

    def same(self, other: Version) -> bool:
        """Equal precedence: every field but the metadata is equal (go-versions' ``Same``)."""
        return self.precedence == other.precedence

    def __lt__(self, other: Version) -> bool:
        return self.precedence < other.precedence

    def __le__(self, other: Version) -> bool:
        return self.precedence <= other.precedence

    def __gt__(self, other: Version) -> bool:
        return self.precedence > other.precedence

    def __ge__(self, other: Version) -> bool:
        return self.precedence >= other.precedence


_UNSPECIFIED = Version(0, 0, 0)


def _prerelease_key(text: str) -> tuple[object, ...]:
    """go-versions' ``VersionExtra.LessThan`` as a key.

    Walking the dot-separated parts of both, a string whose part is its last sorts before
    one that goes on, before the parts themselves are compared; then all-digit parts
    (the empty part included) sort before the others, shorter digit strings first.
    """
    parts = text.split(".")
    return tuple((i < len(parts) - 1, _part_key(part)) for i, part in enumerate(parts))


def _part_key(part: str) -> tuple[object, ...]:
    if all(c in string.digits for c in part):
        return (0, len(part), part)
    return (1, 0, part)


def parse_version(text: str) -> Version:
    """A version the way go-versions' ``ParseVersion`` reads it (``1`` is 1.0.0).

    The lock file also demands the canonical spelling, ``str(version) == text``; that
    check is the reader's (``tffix.semantic.lockfile``).
    """
    if _go_trim(text) == "":
        raise VersionError("empty specification")
    raw, remain = _scan(text)
    if raw.op in (">", ">=", "<", "<=", "!", "!=", "~>", "^", "~"):
        raise VersionError(f"can't use constraint operator {_go_quote(raw.op)}; an exact version is required")
    if raw.op == "":
        if raw.sep != "":
            if "v" in raw.sep:
                raise VersionError('a "v" prefix should not be used')
            raise VersionError("extraneous spaces at start of specification")
    else:
        raise VersionError(f"invalid sequence {_go_quote(raw.op)} at start of specification")
    if remain != "":
        remain = _go_trim(remain)
        if remain == "":
            raise VersionError("extraneous spaces at end of specification")
        if text.startswith("v"):
            raise VersionError('a "v" prefix should not be used')
        if remain.startswith((",", "|")):
            raise VersionError("can't specify multiple versions; a single exact version is required")
        if remain.startswith("-"):
            raise VersionError("can't specify version range; a single exact version is required")
        if _go_trim(text).startswith(remain):
            raise VersionError(
                "invalid specification; required format is three positive integers separated by periods"
            )
        raise VersionError(f"invalid characters {_go_quote(remain)}")
    if raw.count > 3:
        raise VersionError("too many numbered portions; only three are allowed (major, minor, patch)")
    nums = raw.nums + ["0"] * (3 - len(raw.nums))
    for name, num in zip(_NUM_NAMES, nums):
        if num in _WILDCARDS:
            raise VersionError(f"can't use wildcard for {name} number; an exact version is required")
    major, minor, patch = (_number(num, VersionError) for num in nums)
    return Version(major, minor, patch, raw.pre, raw.meta)


# --- Constraints ------------------------------------------------------------------------

_OPERATORS = {"": "=", "=": "=", "!=": "!=", ">": ">", ">=": ">=", "<": "<", "<=": "<=", "~>": "~>"}


@dataclass(frozen=True, slots=True)
class Selection:
    """One element of a constraint list, as written: ``~> 5.0`` or ``1.2.3-beta1``.

    ``operator`` is the text before the version (``""`` for a bare version) and
    ``numbers`` the one to three numbers written; both decide what the element means
    (``~>`` moves the minor with one or two numbers, the patch with three).
    """

    operator: str
    numbers: tuple[int, ...]
    prerelease: str = ""
    metadata: str = ""
    spaced: bool = True  # a space between operator and version, as in `>= 1.0`

    def __str__(self) -> str:
        version = ".".join(str(number) for number in self.numbers)
        if self.prerelease:
            version += f"-{self.prerelease}"
        if self.metadata:
            version += f"+{self.metadata}"
        if not self.operator:
            return version
        return f"{self.operator}{' ' if self.spaced else ''}{version}"

    @property
    def kind(self) -> str:
        """The operator's meaning: ``=`` for a bare version too."""
        return _OPERATORS[self.operator]

    @property
    def boundary(self) -> Version:
        """The version written, omitted numbers as zeros (go-versions' ``ConstrainToZero``)."""
        major, minor, patch = self.numbers + (0,) * (3 - len(self.numbers))
        return Version(major, minor, patch, self.prerelease, self.metadata)

    def admits(self, version: Version) -> bool:
        """Membership in this element's own set, before the prerelease rule of `Constraint.allows`."""
        lower = self.boundary
        kind = self.kind
        if kind == "=":
            return version == lower
        if kind == "!=":
            return version != lower
        lower = Version(lower.major, lower.minor, lower.patch, lower.prerelease)
        if kind == ">":
            return version > lower
        if kind == ">=":
            return version >= lower
        if kind == "<":
            return version < lower
        if kind == "<=":
            return version <= lower
        if len(self.numbers) == 3:
            upper = Version(lower.major, lower.minor + 1, 0)
        else:
            upper = Version(lower.major + 1, 0, 0)
        return lower <= version < upper


@dataclass(frozen=True, slots=True)
class Constraint:
    """A comma list of `Selection`s; all of them must admit a version."""

    selections: tuple[Selection, ...] = ()

    def __str__(self) -> str:
        return ", ".join(str(selection) for selection in self.selections)

    def __and__(self, other: Constraint) -> Constraint:
        """Both at once, as Terraform merges the constraints of several modules."""
        return Constraint(self.selections + other.selections)

    def allows(self, version: Version | str) -> bool:
        """go-versions' ``MeetingConstraints(...).Has(version)``."""
        if isinstance(version, str):
            version = parse_version(version)
        if version == _UNSPECIFIED:
            return False
        if not all(selection.admits(version) for selection in self.selections):
            return False
        if not version.prerelease:
            return True
        return any(selection.kind == "=" and selection.boundary == version for selection in self.selections)

    def canonical(self) -> str:
        """Terraform's spelling of the constraint (``providerreqs.VersionConstraintsString``).

        It is what the lock file's ``constraints`` must hold and what Terraform's error
        messages print: duplicates dropped, omitted numbers as zeros, ``~>`` with two
        numbers when it moves the minor, no ``=``, sorted by version, then operator.
        """
        seen: dict[tuple[str, bool, Version], tuple[Version, str, bool]] = {}
        for selection in self.selections:
            minor_only = selection.kind == "~>" and len(selection.numbers) != 3
            boundary = selection.boundary
            seen.setdefault((selection.kind, minor_only, boundary), (boundary, selection.kind, minor_only))
        ordered = sorted(
            seen.values(),
            key=lambda item: (
                item[0].precedence,
                _metadata_key(item[0].metadata),
                _CANONICAL_PRIORITY[(item[1], item[2])],
            ),
        )
        out = []
        for boundary, kind, minor_only in ordered:
            version = f"{boundary.major}.{boundary.minor}"
            if not minor_only:
                version += f".{boundary.patch}"
            if boundary.prerelease:
                version += f"-{boundary.prerelease}"
            if boundary.metadata:
                version += f"+{boundary.metadata}"
            out.append(version if kind == "=" else f"{kind} {version}")
        return ", ".join(out)


# providerreqs.versionSelectionsBoundaryPriority: lower bounds first, upper bounds last.
_CANONICAL_PRIORITY = {
    (">", False): 1,
    (">=", False): 2,
    ("=", False): 3,
    ("~>", False): 4,
    ("~>", True): 5,
    ("<=", False): 6,
    ("<", False): 7,
    ("!=", False): 8,
}


def _metadata_key(metadata: str) -> tuple[object, ...]:
    # versionSelectionBoundaryCompare orders equal versions by metadata, compared like a prerelease.
    return (0,) if not metadata else (1, _prerelease_key(metadata))


def allows(constraint: Constraint | str | Iterable[Constraint | str], version: Version | str) -> bool:
    """Whether Terraform accepts ``version`` under ``constraint``.

    Several constraints (one per module that requires the provider) are merged first, as
    Terraform does: the prerelease rule looks at the merged list.  Strings are parsed
    with `parse_constraint`.
    """
    if isinstance(constraint, str | Constraint):
        constraint = [constraint]
    merged = Constraint()
    for item in constraint:
        merged = merged & (parse_constraint(item) if isinstance(item, str) else item)
    return merged.allows(version)


def parse_constraint(text: str) -> Constraint:
    """A ``required_providers`` ``version`` string: both of Terraform's parsers must accept it."""
    return Constraint(tuple(element.selection for element in _config_elements(text)))


def parse_lock_constraints(text: str) -> Constraint:
    """A lock file's ``constraints`` string, which only the Ruby-style parser reads.

    The error message is go-versions' own, as the lock-file diagnostic quotes it.
    """
    return Constraint(tuple(element.selection for element in _ruby_elements(text)))


# --- Widening ---------------------------------------------------------------------------


def widen(constraint_text: str, locked: Version | str) -> str | None:
    """Rewrite ``constraint_text`` so that it admits ``locked``, in its own style.

    Only the elements that exclude the locked version change, each keeping its operator,
    its spacing and how many numbers it writes:

    * ``~> 5.0`` with 6.22.1 gives ``~> 6.0`` (the minor floor resets when the major
      moves; within the major it drops to the locked minor); ``~> 5.31.0`` with 6.2.0
      gives ``~> 6.2.0`` (the patch floor resets unless the minor is the same);
    * an upper bound rises to just above the locked version at its own granularity
      (``< 5.0`` with 5.1.0 gives ``< 6.0``, ``< 5.2`` with 5.3.1 gives ``< 5.4``);
      ``<=`` takes the locked version itself;
    * a lower bound drops to the locked version truncated to its numbers;
    * an exact pin (``= 5.1.0``, ``5.1.0``) becomes the locked version;
    * ``!= X`` that names the locked version is removed with its comma.

    The text is returned unchanged when it already admits the version, and None when no
    rewrite in the same style can admit it: a prerelease with no exact pin to move, a
    lone ``!=``, 0.0.0.  Every other result parses and admits ``locked``.  Raises
    `ConstraintError` when the text itself is invalid.
    """
    if isinstance(locked, str):
        locked = parse_version(locked)
    elements = _config_elements(constraint_text)
    constraint = Constraint(tuple(element.selection for element in elements))
    if constraint.allows(locked):
        return constraint_text
    pieces: list[str | None] = []
    for element in elements:
        selection = element.selection
        text: str | None = constraint_text[element.start : element.end]
        if not selection.admits(locked):
            if selection.kind == "!=":
                text = None
            else:
                version = _moved_boundary(selection, locked)
                if version is None:
                    return None
                text = constraint_text[element.start : element.version_start] + version
        pieces.append(text)
    kept = [(i, text) for i, text in enumerate(pieces) if text is not None]
    if not kept:
        return None
    out = [constraint_text[: elements[0].start]]
    for position, (i, text) in enumerate(kept):
        out.append(text)
        if position + 1 < len(kept):
            out.append(constraint_text[elements[i].end : elements[i + 1].start])
    out.append(constraint_text[elements[-1].end :])
    result = "".join(out)
    try:
        if not parse_constraint(result).allows(locked):
            return None
    except ConstraintError:
        return None
    return result


def _moved_boundary(selection: Selection, locked: Version) -> str | None:
    """The version text an excluding element needs, or None if its operator cannot admit ``locked``."""
    width = len(selection.numbers)
    old = selection.boundary
    kind = selection.kind
    if kind == "=":
        return str(locked)
    if kind == "~>":
        if width == 3:
            patch = locked.patch if (locked.major, locked.minor) == (old.major, old.minor) else 0
            return _numbers((locked.major, locked.minor, patch), width)
        minor = locked.minor if locked.major == old.major else 0
        return _numbers((locked.major, minor, 0), width)
    if kind in (">=", ">"):
        return _numbers((locked.major, locked.minor, locked.patch), width)
    if kind == "<":
        written = selection.numbers
        step = max((i for i, number in enumerate(written) if number), default=0)
        numbers = [locked.major, locked.minor, locked.patch][: step + 1]
        numbers[step] += 1
        return _numbers(tuple(numbers) + (0, 0), width)
    if kind == "<=":
        truncated = (locked.major, locked.minor, locked.patch)[:width]
        if any((locked.major, locked.minor, locked.patch)[width:]):
            return _numbers((locked.major, locked.minor, locked.patch), 3)
        return _numbers(truncated, width)
    return None


def _numbers(numbers: tuple[int, ...], width: int) -> str:
    return ".".join(str(number) for number in numbers[:width])


# --- Parsing: go-versions' Ruby-style parser ---------------------------------------------


@dataclass(frozen=True, slots=True)
class _Element:
    selection: Selection
    start: int  # offsets into the constraint text
    version_start: int
    end: int


@dataclass(slots=True)
class _Raw:
    """What go-versions' scanner (``raw_scan.rl``) records of one element."""

    op: str = ""
    sep: str = ""
    nums: list[str] = field(default_factory=list)
    count: int = 0
    pre: str = ""
    meta: str = ""


_NUM_NAMES = ("major", "minor", "patch")
_WILDCARDS = ("*", "x", "X")
_RAGEL_SPACE = " \t\n\v\f\r"
_EXTRA_CHARS = set(string.ascii_letters + string.digits + ".-")


def _scan(data: str) -> tuple[_Raw, str]:
    """One element from the start of ``data``, and the text the scanner did not consume.

    The machine is ``op sep nums ('-' pre)? ('+' meta)?``: ``op`` any run of characters
    other than digits, spaces, ASCII letters, ``.`` and ``*``; ``sep`` spaces and ``v``s;
    numbers are digits or a wildcard joined by dots.  It stops at the first character it
    cannot take.  Stopping before any number, it records the operator as the separator
    too: the scanner's mark still points at the operator then.
    """
    raw = _Raw()
    p, n = 0, len(data)
    while p < n and not (
        data[p].isascii()
        and (
            data[p] in string.digits
            or data[p] in _RAGEL_SPACE
            or data[p] in string.ascii_letters
            or data[p] in ".*"
        )
    ):
        p += 1
    raw.op = data[:p]
    sep_start = p
    while p < n and (data[p] in _RAGEL_SPACE or data[p] == "v"):
        p += 1
    if p == n or not _starts_number(data[p]):
        raw.sep = data[sep_start:p] if p > sep_start else raw.op
        return raw, data[p:]
    raw.sep = data[sep_start:p]
    while True:
        start = p
        if data[p] in string.digits:
            while p < n and data[p] in string.digits:
                p += 1
        else:
            p += 1
        raw.count += 1
        if len(raw.nums) < 3:
            raw.nums.append(data[start:p])
        if p < n and data[p] == ".":
            p += 1
            if p < n and _starts_number(data[p]):
                continue
            return raw, data[p:]
        break
    for marker, part in (("-", "pre"), ("+", "meta")):
        if p < n and data[p] == marker:
            start = p
            p += 1
            if p == n or data[p] not in _EXTRA_CHARS:
                return raw, data[p:]
            while p < n and data[p] in _EXTRA_CHARS:
                p += 1
            setattr(raw, part, data[start + 1 : p])
    return raw, data[p:]


def _starts_number(char: str) -> bool:
    return char in string.digits or char in _WILDCARDS


def _parse_ruby_style(text: str) -> tuple[Selection | None, str, str | None, _Raw]:
    """go-versions' ``parseRubyStyle``: an element, the rest of the text, an error."""
    raw, remain = _scan(text)
    if raw.op not in _OPERATORS:
        if raw.op == "=<":
            return None, remain, f'invalid constraint operator {_go_quote(raw.op)}; did you mean "<="?', raw
        if raw.op == "=>":
            return None, remain, f'invalid constraint operator {_go_quote(raw.op)}; did you mean ">="?', raw
        return None, remain, f"invalid constraint operator {_go_quote(raw.op)}", raw
    if raw.sep == " " and raw.op == "":
        return None, remain, "extraneous spaces at start of specification", raw
    if raw.sep not in ("", " "):
        if "v" in raw.sep:
            return None, remain, 'a "v" prefix should not be used when specifying versions', raw
        if raw.op == "":
            return None, remain, "extraneous spaces at start of specification", raw
        return None, remain, f"only one space is expected after the operator {_go_quote(raw.op)}", raw
    if raw.count > 3:
        return None, remain, "too many numbered portions; only three are allowed (major, minor, patch)", raw
    for name, num in zip(_NUM_NAMES, raw.nums):
        if num in _WILDCARDS:
            return (
                None,
                remain,
                (f"can't use wildcard for {name} number; omit segments that should be unconstrained"),
                raw,
            )
    numbers = tuple(_number(num, ConstraintError) for num in raw.nums)
    selection = Selection(raw.op, numbers, raw.pre, raw.meta, spaced=raw.sep == " ")
    return selection, remain, None, raw


def _ruby_elements(text: str) -> list[_Element]:
    """go-versions' ``ParseRubyStyleMulti``, keeping where each element sits in ``text``."""
    elements = []
    position = _go_trim_start(text)
    remain = _go_trim(text)
    while remain:
        selection, rest, error, raw = _parse_ruby_style(remain)
        consumed = remain[: len(remain) - len(rest)]
        if error is not None:
            raise ConstraintError(f"invalid specification {_go_quote(consumed)}: {error}")
        assert selection is not None, "no error, so a selection"
        elements.append(
            _Element(selection, position, position + len(raw.op) + len(raw.sep), position + len(consumed))
        )
        position += len(consumed)
        trimmed = _go_trim(rest)
        position += len(rest) - len(rest.lstrip(_GO_SPACE)) if trimmed else len(rest)
        remain = trimmed
        if remain:
            if remain.startswith("v"):
                raise ConstraintError('a "v" prefix should not be used when specifying versions')
            if not remain.startswith(","):
                raise ConstraintError(f"missing comma after {_go_quote(consumed)}")
            after_comma = remain[1:]
            remain = _go_trim(after_comma)
            position += 1 + len(after_comma) - len(after_comma.lstrip(_GO_SPACE))
    return elements


def _config_elements(text: str) -> list[_Element]:
    """Terraform's two parsers in turn, with Terraform's diagnostic details as errors."""
    if not _go_version_accepts(text):
        raise ConstraintError("This string does not use correct version constraint syntax.")
    try:
        return _ruby_elements(text)
    except ConstraintError as error:
        raise ConstraintError(f"Incorrect version constraint syntax: {error}.") from None


def _number(text: str, error: type[ValueError]) -> int:
    value = int(text)
    if value >= 1 << 64:  # go-versions' strconv.ParseUint panics here; Terraform would crash
        raise error(f"version number {text} is out of range")
    return value


# --- Parsing: hashicorp/go-version's syntax check ----------------------------------------

# Go's regexp `\s` is [\t\n\f\r ]; `$` there is the end of the text.
_GO_S = r"[\t\n\f\r ]"
_GO_VERSION = (
    r"v?([0-9]+(\.[0-9]+)*?)"
    r"(-([0-9]+[0-9A-Za-z\-~]*(\.[0-9A-Za-z\-~]+)*)|(-?([A-Za-z\-~]+[0-9A-Za-z\-~]*(\.[0-9A-Za-z\-~]+)*)))?"
    r"(\+([0-9A-Za-z\-~]+(\.[0-9A-Za-z\-~]+)*))??"
)
_GO_CONSTRAINT = re.compile(rf"{_GO_S}*(<=|>=|!=|~>|<|>|=|){_GO_S}*(?P<version>{_GO_VERSION}){_GO_S}*")
_GO_VERSION_ONLY = re.compile(_GO_VERSION)


def _go_version_accepts(text: str) -> bool:
    """go-version's ``NewConstraint`` succeeds: every comma piece is ``op version``, numbers fit int64."""
    for piece in text.split(","):
        match = _GO_CONSTRAINT.fullmatch(piece)
        if match is None:
            return False
        version = _GO_VERSION_ONLY.fullmatch(match.group("version"))
        if version is None:  # cannot happen: the constraint's pattern matched the same version
            return False
        numbers = version.group(1)
        if any(int(number) >= 1 << 63 for number in numbers.split(".")):
            return False
    return True


# --- Go's strings ------------------------------------------------------------------------

# unicode.IsSpace, which strings.TrimSpace uses.
_GO_SPACE = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)


def _go_trim(text: str) -> str:
    return text.strip(_GO_SPACE)


def _go_trim_start(text: str) -> int:
    return len(text) - len(text.lstrip(_GO_SPACE))


_GO_ESCAPES = {
    "\a": r"\a",
    "\b": r"\b",
    "\f": r"\f",
    "\n": r"\n",
    "\r": r"\r",
    "\t": r"\t",
    "\v": r"\v",
    '"': r"\"",
    "\\": r"\\",
}


def _go_quote(text: str) -> str:
    """Go's ``%q`` of a string (``strconv.Quote``)."""
    out = []
    for char in text:
        if char in _GO_ESCAPES:
            out.append(_GO_ESCAPES[char])
        elif char.isprintable():
            out.append(char)
        elif ord(char) < 0x80:
            out.append(f"\\x{ord(char):02x}")
        elif ord(char) < 0x10000:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    return '"' + "".join(out) + '"'
