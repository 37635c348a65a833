"""TFX012 undefined-reference: a reference to something the module does not declare.

Terraform stops ``validate`` and ``plan`` on it, in its own words
(hashicorp/terraform ``internal/terraform/evaluate.go``, ``evaluate_valid.go``,
``transform_provider.go``):

- ``var.nmae``: "Reference to undeclared input variable";
- ``local.tgas``: "Reference to undeclared local value";
- ``module.ksm.arn``: "Reference to undeclared module";
- ``aws_s3_bucket.lgos.id``, ``data.aws_iam_policy_document.x.json``, an
  ``ephemeral`` one: "Reference to undeclared resource";
- ``provider = aws.wets`` (no ``provider "aws"`` with that alias, and no
  ``configuration_aliases`` entry): "Provider configuration not present";
- ``module.kms.nope`` where the local module ``./modules/kms`` was read and
  declares no ``output "nope"``: "Unsupported attribute" (unless it is inside
  ``try()`` or ``can()``, which make it their fallback).

Inside a ``dynamic`` block's content, ``validate`` says nothing while the block's
``for_each`` is unknown (it evaluates no content); ``plan`` stops on the reference
once the block has elements.  The finding says so.

What resolves is the semantic model's business (``for`` and ``dynamic``
iterators, ``%{ for }`` names, ``check``-scoped data sources, ``.tf.json``
declarations); this rule reads `SemanticModel.unresolved` and reports the kinds
above.  It leaves alone what Terraform words otherwise: ``each``,
``count`` or ``self`` out of context, a bare name, ``aws[each.key]`` (TFX001),
and the addresses in ``moved``, ``import`` and ``removed`` blocks (an ``import``
may generate its target's configuration).  An output is checked only for a
module call without ``count``/``for_each`` whose local source was read.

The fix (unsafe: the intended name is a guess) renames the reference when
exactly one declared name of the same kind is within edit distance 2: the
distance and threshold of Terraform's own "Did you mean" (``internal/didyoumean``,
plain Levenshtein, ``< 3``), so the fix is what Terraform itself would suggest
when it has only one suggestion.  Plain rather than Damerau: a swapped pair
(``bukcet``) costs 2, still within reach, and the two never disagree on which
names are within 2 of a typo with one swap.  A resource reference that names a
data source without its ``data.`` prefix counts that data source as a
candidate, as Terraform's own hint does.  With several candidates nothing
changes and the message lists them; with none it lists the nearest declared
names (up to three, never further than half the name's length).  References in
``.tf.json`` files are reported, not fixed.

Peer IDs: none known.
"""

from __future__ import annotations

from collections.abc import Callable

from tffix.rules import Finding, Rule, replace
from tffix.semantic.symbols import RESOURCE_LIKE, Declaration, Reference
from tffix.syntax import nodes as n
from tffix.syntax import query
from tffix.syntax.source import Span

UNDECLARED = {
    "variable": "Reference to undeclared input variable",
    "local": "Reference to undeclared local value",
    "module": "Reference to undeclared module",
    "resource": "Reference to undeclared resource",
    "data": "Reference to undeclared resource",
    "ephemeral": "Reference to undeclared resource",
    "provider": "Provider configuration not present",
    "output": "Unsupported attribute",
}
MAX_DISTANCE = 2
LISTED = 3
# Where Terraform checks a reference against the declarations (not moved/import/removed addresses).
CHECKED_CONTEXTS = ("expression", "depends_on", "provider", "replace_triggered_by")


def check(module):
    model = module.model
    # A large module repeats the same undeclared names many times (`var.x` in every
    # resource): the candidates and their distances are worked out once per name,
    # not once per reference, which made the rule quadratic in the file's size.
    declared: dict[str, dict[str, tuple[str, ...]]] = {}
    known: dict[tuple[str, tuple[str, ...]], tuple[dict[str, tuple[str, ...]], list[tuple[int, str]]]] = {}
    in_dynamic = _per_declaration(_dynamic_content)
    for reference in model.unresolved():
        if reference.context not in CHECKED_CONTEXTS:
            continue
        wanted = _wanted(reference)
        if wanted is None:
            continue
        kind, name = wanted
        key = (kind, reference.names)
        if key not in known:
            candidates = _candidates(model, kind, reference, declared)
            known[key] = candidates, _scored(name, candidates)
        candidates, scored = known[key]
        message = _message(kind, reference.names)
        if _inside(reference, in_dynamic):
            message += " (in a `dynamic` block's content: `plan` stops on it once the block has elements)"
        yield _finding(
            reference,
            message,
            name,
            candidates,
            scored,
            lambda root, chosen, r=reference, c=candidates: _retarget(root, r, c[chosen]),
        )
    yield from _missing_outputs(module)


# The code that rewrites the tree is imported when a fix is built: a run that finds nothing
# never loads it (start-up time, tests/test_startup.py).


def _retarget(root, reference: Reference, names: tuple[str, ...]):
    from tffix.semantic import rewrite
    from tffix.syntax import build

    return rewrite.retarget(root, reference, build.ref(*names), keep_key=True)


def _rename(root, reference: Reference, name: str):
    from tffix.semantic import rewrite

    return rewrite.rename_attribute(root, reference, name)


def _wanted(reference: Reference) -> tuple[str, str] | None:
    """The kind of declaration an unresolved reference asks for, and the name it gives it."""
    names = reference.names
    if reference.context == "provider":
        return ("provider", names[1]) if len(names) == 2 and reference.key is None else None
    first = names[0]
    if first == "var" and len(names) == 2:
        return "variable", names[1]
    if first in ("local", "module") and len(names) == 2:
        return first, names[1]
    if first in RESOURCE_LIKE:
        return (first, ".".join(names[1:])) if len(names) == 3 else None
    if reference.resource_type is not None and len(names) == 2:
        return "resource", ".".join(names)
    return None


def _message(kind: str, names: tuple[str, ...]) -> str:
    summary = UNDECLARED[kind]
    if kind == "provider":
        return (
            f'{summary}: no `provider "{names[0]}"` with alias "{names[1]}" is declared'
            " or passed in (`configuration_aliases`)"
        )
    if kind == "variable":
        return f'{summary}: no `variable "{names[1]}"` is declared'
    if kind == "local":
        return f"{summary}: no local value `{names[1]}` is declared"
    if kind == "module":
        return f'{summary}: no `module "{names[1]}"` is declared'
    return f'{summary}: no `{kind} "{names[-2]}" "{names[-1]}"` is declared'


def _candidates(
    model, kind: str, reference: Reference, declared: dict[str, dict[str, tuple[str, ...]]]
) -> dict[str, tuple[str, ...]]:
    """The declared names a reference of this kind may have meant, each with the address to write
    (as names: `build.ref` checks them when the fix is built).  ``declared`` caches each kind's
    declarations across the references of one check."""
    if kind == "provider":
        provider = reference.names[0]
        return {alias: (provider, alias) for alias in sorted(model.provider_aliases(provider))}
    out = declared.get(kind)
    if out is None:
        out = declared[kind] = {".".join(d.labels): _address(d) for d in model.declarations if d.kind == kind}
    if kind == "resource":
        data = model.get("data", *reference.names)
        if data is not None:  # `aws_caller_identity.current` for `data.aws_caller_identity.current`
            out = {**out, ".".join(reference.names): _address(data)}
    return out


def _address(declaration: Declaration) -> tuple[str, ...]:
    if declaration.kind == "resource":
        return declaration.labels
    if declaration.kind in RESOURCE_LIKE:
        return (declaration.kind, *declaration.labels)
    prefix = {"variable": "var", "local": "local", "module": "module"}[declaration.kind]
    return (prefix, *declaration.labels)


def _missing_outputs(module):
    """``module.kms.nope`` where the local module read for ``kms`` declares no ``output "nope"``."""
    model = module.model
    guarded = _per_declaration(_guarded)
    for call in list(model.all("module")):
        source = call.attribute("source")
        if source is None or call.attribute("count") is not None or call.attribute("for_each") is not None:
            continue
        try:
            path = query.string_value(source.value)
        except query.NotStatic:
            continue
        child = module.child(path)
        if child is None:
            continue
        outputs = {d.name: d for d in child.model.declarations if d.kind == "output"}
        for reference in model.references_to(call):
            if (
                reference.context != "expression"
                or reference.key is not None
                or reference.splat
                or not reference.attributes
            ):
                continue
            name = reference.attributes[0]  # the output the reference reads
            if name in outputs or _inside(reference, guarded):
                continue
            candidates: dict[str, tuple[str, ...]] = {
                output: ("module", call.name, output) for output in sorted(outputs)
            }
            message = f'{UNDECLARED["output"]}: module "{call.name}" ({path}) has no `output "{name}"`'
            yield _finding(
                reference,
                message,
                name,
                candidates,
                _scored(name, candidates),
                lambda root, chosen, r=reference: _rename(root, r, chosen),
            )


def _guarded(owner_node):
    """``try(...)`` and ``can(...)`` calls, which turn a missing attribute into their fallback.

    (Undeclared names are different: Terraform checks them before evaluating, so ``try``
    does not help there.)"""
    return [
        node
        for node in owner_node.walk()
        if query.function_call(node, "try") or query.function_call(node, "can")
    ]


def _dynamic_content(owner_node):
    """The ``content`` of ``dynamic`` blocks, which ``validate`` does not evaluate while ``for_each``
    is unknown."""
    return [
        content
        for node in owner_node.walk()
        if isinstance(node, n.Block) and node.type == "dynamic"
        for content in node.blocks("content")
    ]


def _per_declaration(regions: Callable) -> Callable:
    """``regions``, worked out once per declaration: a large block holds many references, and
    walking it again for each made the rule quadratic in the block's size."""
    found: dict[object, list] = {}  # nodes hash by identity

    def once(owner_node):
        if owner_node not in found:
            found[owner_node] = regions(owner_node)
        return found[owner_node]

    return once


def _inside(reference: Reference, regions: Callable) -> bool:
    """Whether the reference is written inside one of the nodes ``regions`` finds in its declaration."""
    owner = reference.owner
    if owner is None or owner.is_json:
        return False
    start, end = reference.node.text_span
    return any(node.text_span[0] <= start and end <= node.text_span[1] for node in regions(owner.node))


def _scored(name: str, candidates: dict[str, tuple[str, ...]]) -> list[tuple[int, str]]:
    """``(distance, candidate)`` in order, for the candidates `_finding` can use: within
    `MAX_DISTANCE`, or within half the name's length (the nearest it lists)."""
    limit = max(MAX_DISTANCE, len(name) // 2)
    if len(candidates) < RAPIDFUZZ_FROM:
        # The distance is at least the difference in length.
        measured = [(distance(name, c), c) for c in candidates if abs(len(c) - len(name)) <= limit]
        scored = [(score, candidate) for score, candidate in measured if score <= limit]
    else:
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        within = process.extract(
            name, list(candidates), scorer=Levenshtein.distance, score_cutoff=limit, limit=None
        )
        scored = [(score, candidate) for candidate, score, _ in within]
    scored.sort()
    return scored


# From this many candidates for a name, their distances are taken by rapidfuzz (C++, over the
# whole list in one call) rather than by `distance`: below, its import (about 50 ms) costs more
# than it saves.  A module of thousands of declarations and hundreds of undeclared names (10 MB
# of real files put together, bench/scale.py's `corpus` shape) made this rule quadratic in
# Python; both measure the same distance (tests/test_undefined_reference.py).
RAPIDFUZZ_FROM = 500


def _finding(
    reference: Reference,
    message: str,
    name: str,
    candidates: dict[str, tuple[str, ...]],
    scored: list[tuple[int, str]],
    rename: Callable,
) -> Finding:
    """The finding for one reference: with a fix when exactly one candidate is within reach
    (``scored``: `_scored` of the name and candidates)."""
    close = [candidate for score, candidate in scored if score <= MAX_DISTANCE]
    span = Span(reference.file.path, *reference.span)
    if len(close) == 1:
        chosen = close[0]
        message += f"; did you mean {_shown(candidates[chosen])}?"
        owner = reference.owner
        if owner is None or owner.is_json:
            return Finding(span, message + " (not fixed: the reference is in a .tf.json file)")
        root = owner.node
        return Finding(span, message, build=lambda: replace(reference.file, root, rename(root, chosen)))
    if close:
        listed = ", ".join(_shown(candidates[candidate]) for candidate in close[:LISTED])
        return Finding(span, message + f"; several names are close: {listed} (not fixed)")
    nearest = [candidate for score, candidate in scored if score <= len(name) // 2][:LISTED]
    if nearest:
        message += "; nearest declared: " + ", ".join(_shown(candidates[candidate]) for candidate in nearest)
    return Finding(span, message)


def _shown(names: tuple[str, ...]) -> str:
    return "`" + ".".join(names) + "`"


def distance(a: str, b: str) -> int:
    """Levenshtein distance: insertions, deletions and substitutions, one each.

    Computed a column of the edit table at a time, each column held as bits of two integers
    (Myers 1999, in Hyyrö's form for the whole-string distance, "Explaining and extending the
    bit-parallel approximate string matching algorithm of Myers", 2001): a few integer
    operations per character of ``b`` instead of one cell per pair of characters.  A module
    with thousands of declarations and a few undeclared names compares each name with every
    candidate (`_scored`), and the table cell by cell made that the run's bulk (a 4 MB module:
    9,000 comparisons, 8.5 s; tests/test_undefined_reference.py holds this to the table)."""
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return len(a)
    # ``a`` is the pattern: bit i of a column stands for row i + 1 of the table.
    mask = (1 << len(a)) - 1
    last = 1 << (len(a) - 1)
    where: dict[str, int] = {}
    for i, char in enumerate(a):
        where[char] = where.get(char, 0) | 1 << i
    up, down = mask, 0  # rows whose value is one more / one less than the row above's
    score = len(a)
    for char in b:
        equal = where.get(char, 0)
        vertical = equal | down
        horizontal = ((((equal & up) + up) ^ up) | equal) & mask
        plus = down | (~(horizontal | up) & mask)
        minus = up & horizontal
        if plus & last:
            score += 1
        elif minus & last:
            score -= 1
        plus = (plus << 1 | 1) & mask
        minus = (minus << 1) & mask
        up = minus | (~(vertical | plus) & mask)
        down = plus & vertical
    return score


EXAMPLE = """\
variable "name" {
  type = string
}

resource "aws_s3_bucket" "logs" {
  bucket = "${var.nmae}-logs"
}
"""

RULE = Rule(
    "TFX012",
    "undefined-reference",
    check,
    summary="rename a reference to something undeclared when one declared name is a near miss",
    safe=False,
    doc=__doc__,
    example=EXAMPLE,
)
