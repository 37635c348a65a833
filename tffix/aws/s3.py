"""S3 buckets as the rules that grant log delivery see them.

- `bucket_named`: the ``aws_s3_bucket`` of the module an argument names
  (``aws_s3_bucket.b.id`` or ``.bucket``, also through a local, or a literal
  equal to the bucket's literal ``bucket``);
- `policy_of`: the bucket's policy in whatever form (an ``aws_s3_bucket_policy``
  naming the bucket, in any file, else the bucket's own ``policy`` argument),
  read by `tffix.aws.policy`; `new_policy`: an ``aws_s3_bucket_policy`` for a
  bucket that has none, written right after the bucket;
- `Reader`: whether a statement's ``Resource`` covers an object key, and what its
  condition values match.  Policy text is read as a glob (IAM's ``*`` and ``?``):
  ``${aws_s3_bucket.b.arn}``, ``${data.aws_caller_identity.c.account_id}``,
  ``${data.aws_partition.p.partition}`` stand for the bucket, the account and
  the partition; a value tffix cannot know (``${var.prefix}`` without a
  default) stands for anything, so a statement is never taken to miss a grant
  on a guess.  A bucket policy only ever names its own bucket, so any bucket
  name in an S3 ARN is this bucket; a literal 12-digit account in an
  ``AWSLogs/<account>/`` path, or as a whole condition value, is taken to be the
  account the module deploys to.
"""

from __future__ import annotations

import fnmatch
import re

from tffix.aws import policy
from tffix.rules import replace
from tffix.syntax import build, edit, query
from tffix.syntax import nodes as n
from tffix.syntax.errors import EditError

BUCKET = "\x01bucket\x01"
ACCOUNT = "\x01account\x01"
REGION = "\x01region\x01"
ANY = "\x01object\x01"
UNKNOWN = "\x01unknown\x01"  # a value tffix cannot know, while a pattern is built; then ``*``
BUCKET_ARN = "arn:aws:s3:::" + BUCKET

_INTERPOLATION = re.compile(r"\$\{([^{}]*)\}")
_ACCOUNT_ID = re.compile(r"\d{12}")
_REGION_NAME = re.compile(r"[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+")


def bucket_named(model, expr, depth: int = 0):
    """The ``aws_s3_bucket`` an argument names: ``.id``/``.bucket`` of it (also through a local, or
    through the ``bucket`` of a bucket's sub-resource: ``aws_s3_bucket_public_access_block.b.bucket``),
    or a literal equal to its literal ``bucket``; None for anything else."""
    reference = model.points_to(expr)
    if reference is not None:
        target = reference.declaration
        if target is None or target.kind != "resource" or target.block is None:
            return None
        if target.type == "aws_s3_bucket":
            return target if reference.attribute in ("id", "bucket") else None
        passed = target.attribute("bucket")
        if (
            target.type.startswith("aws_s3_bucket_")
            and reference.attribute == "bucket"
            and passed is not None
            and depth < 5
        ):
            return bucket_named(model, passed.value, depth + 1)
        return None
    literal = model.literal(expr)
    if not isinstance(literal, str):
        return None
    for bucket in model.resources("aws_s3_bucket"):
        named = bucket.attribute("bucket")
        if bucket.block is not None and named is not None and model.literal(named.value) == literal:
            return bucket
    return None


def iterated(declaration) -> bool:
    """A resource with ``count`` or ``for_each``: its instances are not one address tffix can write."""
    return declaration.attribute("count") is not None or declaration.attribute("for_each") is not None


def policy_of(model, bucket):
    """``(holder, policy)``: the declaration the bucket's policy is written in and the policy
    (`tffix.aws.policy.Policy`); ``(None, None)`` when the bucket has none.  Raises
    `tffix.aws.policy.Unreadable` when it cannot be read or is set twice."""
    holders = [
        p
        for p in model.resources("aws_s3_bucket_policy")
        if p.block is not None
        and (attr := p.attribute("bucket")) is not None
        and bucket_named(model, attr.value) is bucket
    ]
    if len(holders) > 1:
        raise policy.Unreadable(f"{' and '.join(h.address for h in holders)} both set it")
    if holders:
        holder = holders[0]
        if iterated(holder):
            raise policy.Unreadable(f"{holder.address} has count or for_each")
        document = policy.read(model, holder)
        if document is None:
            raise policy.Unreadable(f"{holder.address} has no policy argument")
        return holder, document
    document = policy.read(model, bucket)
    if document is not None:
        return bucket, document
    for other in model.resources("aws_s3_bucket_policy"):
        attr = other.attribute("bucket")
        if attr is not None and not _elsewhere(model, attr.value, bucket):
            raise policy.Unreadable(f"{other.address} may be it: tffix cannot tell which bucket it names")
    return None, None


def _elsewhere(model, expr, bucket) -> bool:
    """An ``aws_s3_bucket_policy``'s ``bucket`` certainly names another bucket than ``bucket``."""
    named = bucket_named(model, expr)
    if named is not None:
        return named is not bucket
    literal = model.literal(expr)
    own = bucket.attribute("bucket")
    return isinstance(literal, str) and own is not None and isinstance(model.literal(own.value), str)


def new_policy(model, bucket, statements: list) -> list:
    """Edits adding ``resource "aws_s3_bucket_policy"`` with ``statements`` right after the bucket."""
    taken = model.names("resource")
    name = next(
        candidate for candidate in _names(bucket.name) if f"aws_s3_bucket_policy.{candidate}" not in taken
    )
    text = build.Block(
        "resource",
        ("aws_s3_bucket_policy", name),
        [
            ("bucket", build.ref("aws_s3_bucket", bucket.name, then=("id",))),
            ("policy", build.raw(policy.full_policy(statements))),
        ],
    ).text()
    tree = bucket.file.tree
    return replace(bucket.file, tree, edit.insert_block(tree, text, after=bucket.block))


def _names(base: str):
    yield base
    number = 2
    while True:
        yield f"{base}_{number}"
        number += 1


def unique_sid(statements, wanted: str) -> str:
    """``wanted``, or ``wanted2``, ... if a statement already has that Sid (policy documents merge
    statements by Sid, and S3 wants them unique)."""
    taken = {str(policy.field(s, "sid")) for s in statements if isinstance(s, dict)}
    candidate, number = wanted, 1
    while candidate in taken:
        number += 1
        candidate = f"{wanted}{number}"
    return candidate


def object_arn(key: str) -> str:
    """The sample ARN of an object of the bucket a statement must cover (``key`` without a leading /)."""
    return f"{BUCKET_ARN}/{key}"


def log_keys(prefix: str | None, account: str = ACCOUNT) -> list[str]:
    """Sample keys of what a log delivery writes under ``[prefix/]AWSLogs/<account>/``.

    Services put a ``/`` after the prefix (``bucket[/prefix]/AWSLogs/...`` in their
    documentation); what they do with a prefix that already ends in ``/`` is not
    documented, so ``logs/`` gives both ``logs/AWSLogs/...`` and ``logs//AWSLogs/...``.
    """
    tail = f"AWSLogs/{account}/{ANY}"
    if not prefix:
        return [tail]
    keys = [f"{prefix}/{tail}"]
    if prefix.endswith("/"):
        keys.insert(0, prefix + tail)
    return keys


def log_path(key_prefix: str | None) -> str:
    """The log files' key pattern as messages show it: ``[<prefix>/]AWSLogs/<account id>/*``."""
    prefix = key_prefix or ""
    return f"{prefix}{'' if not prefix or prefix.endswith('/') else '/'}AWSLogs/<account id>/*"


def template_parts(expr) -> tuple:
    """An expression as parts of a template tffix writes: a quoted string's text and interpolations,
    or the expression itself (``var.prefix``) as one interpolated part."""
    if isinstance(expr, n.TemplateString):
        parts: list = []
        for part in expr.parts:
            if isinstance(part, n.Token):
                parts.append(query.string_value(n.TemplateString(expr.open, (part,), expr.close)))
            elif isinstance(part, n.Interpolation):
                parts.append(build.raw(_squash(part.expression.code)))
            else:
                raise EditError("a template directive where tffix would copy the text")
        return tuple(parts)
    return (build.raw(_squash(expr.code)),)


def arn_parts(model, bucket, holders, account) -> tuple:
    """The bucket's ARN as parts of a template written into the declarations ``holders``:
    ``${aws_s3_bucket.b.arn}``, unless the bucket is one of them or depends on one (a policy in
    the bucket's own ``policy`` argument): a reference back would be a "Self-referential block" or
    a cycle, so the ARN is spelled from the bucket's name as written,
    ``arn:${partition}:s3:::<bucket>``.  `EditError` when the name is generated."""
    upstream = set()
    pending = [bucket]
    while pending:
        declaration = pending.pop()
        if declaration in upstream:
            continue
        upstream.add(declaration)
        pending.extend(model.depends_on(declaration))
    if not any(holder in upstream for holder in holders):
        return (build.ref("aws_s3_bucket", bucket.name, then=("arn",)),)
    name = bucket.attribute("bucket")
    if name is None:
        raise EditError(
            f"the policy is written in {bucket.address} itself, whose name is generated: its ARN cannot "
            "be written there without a reference to the bucket (a cycle); move the policy to an "
            "aws_s3_bucket_policy"
        )
    return ("arn:", account.partition, ":s3:::", *template_parts(name.value))


def arn(parts: tuple) -> build.Expression:
    """The template of `arn_parts`."""
    return parts[0] if len(parts) == 1 and not isinstance(parts[0], str) else build.template(*parts)


def log_resources(bucket_arn: tuple, prefix_expr, prefix: str | None, account) -> list[build.Expression]:
    """``${aws_s3_bucket.b.arn}/[<prefix>/]AWSLogs/${account id}/*`` (the bucket's ARN as
    `arn_parts` gives it), the prefix as written (``prefix_expr``, whose value is ``prefix``);
    both spellings of a prefix ending in ``/`` (see `log_keys`)."""
    prefix_parts = template_parts(prefix_expr) if prefix_expr is not None and prefix else ()
    tails = []
    if prefix and prefix.endswith("/"):
        tails.append(prefix_parts + ("AWSLogs/",))
    tails.append(prefix_parts + ("/AWSLogs/",) if prefix else ("AWSLogs/",))
    out = []
    for tail in tails:
        merged: list = []
        for part in (
            *bucket_arn,
            "/",
            *tail,
            account.account_id,
            "/*",
        ):
            if merged and isinstance(part, str) and isinstance(merged[-1], str):
                merged[-1] += part
            else:
                merged.append(part)
        out.append(build.template(*merged))
    return out


class Reader:
    """Reads statements of one policy: ``${...}`` resolved through the references the declarations
    holding its text make, ``symbol`` (reference -> text or None) first."""

    def __init__(self, model, declarations, symbol=lambda reference: None):
        self.model = model
        self.symbol = symbol
        self._by_code: dict = {}
        for declaration in declarations:
            for reference in model.references_from(declaration):
                self._by_code.setdefault(_squash(reference.node.code), reference)

    def pattern(self, text, accounts: bool = True) -> str | None:
        """A policy string as the glob it matches, ARNs in one spelling (see the module docstring);
        None for a value that is not a string.  ``accounts``: a bare 12-digit account is this account."""
        if not isinstance(text, str):
            return None
        out, position = [], 0
        for match in _INTERPOLATION.finditer(text):
            out.append(_literal(text[position : match.start()]))
            out.append(self._resolve(_squash(match.group(1))))
            position = match.end()
        out.append(_literal(text[position:]))
        joined = "".join(out)
        if "${" in joined:
            return "*"
        if accounts and _ACCOUNT_ID.fullmatch(joined):
            return ACCOUNT
        # An unknown part of an S3 ARN's bucket name is still this bucket's name (``canonical``):
        # ``arn:${partition}:s3:::logs-${var.env}``, the spelling of a policy the bucket holds itself.
        return canonical(joined).replace(UNKNOWN, "*")

    def covers(self, statement, samples: list[str]) -> bool:
        """Whether the statement's ``Resource`` matches one of the sample ARNs.  A resource tffix
        cannot read at all (``format(...)``) may be anything, so it counts."""
        value = policy.field(statement, "resource")
        if value is None:
            return isinstance(statement, dict) and any(str(key).lower() == "resource" for key in statement)
        for resource in policy.as_list(value):
            glob = self.pattern(resource) if resource is not None else "*"
            if glob is not None and any(fnmatch.fnmatchcase(sample, glob) for sample in samples):
                return True
        return False

    def _resolve(self, code: str) -> str:
        reference = self._by_code.get(code)
        if reference is None:
            return UNKNOWN
        target = self.model.points_to(reference.node) or reference
        given = self.symbol(target)
        if given is not None:
            return given
        declaration, attribute = target.declaration, target.attribute
        kind = declaration.kind if declaration is not None else None
        type_ = declaration.type if declaration is not None else None
        if kind == "resource" and type_ == "aws_s3_bucket":
            return {"arn": BUCKET_ARN, "id": BUCKET, "bucket": BUCKET}.get(attribute, UNKNOWN)
        if kind == "data":
            known: dict[tuple[str | None, str], str] = {
                ("aws_caller_identity", "account_id"): ACCOUNT,
                ("aws_partition", "partition"): "aws",
                ("aws_partition", "dns_suffix"): "amazonaws.com",
                ("aws_region", "name"): REGION,
                ("aws_region", "region"): REGION,
                ("aws_region", "id"): REGION,
            }
            if (type_, attribute) in known:
                return known[(type_, attribute)]
        value = self.model.value(target.node)
        if isinstance(value, str):
            return _literal(value)
        return UNKNOWN


def canonical(text: str) -> str:
    """An ARN (or ARN glob) in one spelling: partition ``aws``; an S3 ARN's bucket (not a wildcard)
    is the bucket, and ``AWSLogs/<12 digits>/`` this account; a CloudTrail ARN's literal region and
    account are this region and account."""
    if not text.startswith("arn:"):
        return text
    fields = text.split(":", 5)
    if len(fields) < 6:
        return text
    fields[1] = "aws"
    if fields[2] == "s3":
        bucket, slash, key = fields[5].partition("/")
        if "*" not in bucket and "?" not in bucket:
            bucket = BUCKET
        key = re.sub(r"(^|/)AWSLogs/\d{12}(?=/|$)", lambda m: f"{m.group(1)}AWSLogs/{ACCOUNT}", key)
        fields[5] = bucket + slash + key
    elif fields[2] == "cloudtrail":
        if _REGION_NAME.fullmatch(fields[3]):
            fields[3] = REGION
        if _ACCOUNT_ID.fullmatch(fields[4]):
            fields[4] = ACCOUNT
    return ":".join(fields)


def _literal(text: str) -> str:
    """Policy text as glob text: IAM's ``*`` and ``?`` stay wildcards, ``[`` is a character."""
    return text.replace("[", "[[]").replace("$${", "${")


def _squash(code: str) -> str:
    return " ".join(code.split())
