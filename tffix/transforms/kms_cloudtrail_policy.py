"""TFX003 kms-cloudtrail-policy: let CloudTrail use the KMS key that encrypts its logs.

A trail with ``kms_key_id`` fails to create ("InsufficientEncryptionPolicyException:
Insufficient permissions to access S3 bucket ... or KMS key") unless the key
policy lets the ``cloudtrail.amazonaws.com`` service call
``kms:GenerateDataKey*`` (scoped by the ``kms:EncryptionContext:aws:cloudtrail:arn``
condition) and ``kms:DescribeKey``.  These are the statements AWS documents in
"Configure AWS KMS key policies for CloudTrail"; AWS also says to leave the
existing statements alone, so the fix only adds.

The key is found through ``aws_kms_key.K.arn|id|key_id`` or an
``aws_kms_alias`` whose ``target_key_id`` names it, in any file of the module.
Its policy may be ``jsonencode({...})``, heredoc JSON, an
``aws_iam_policy_document``, a separate ``aws_kms_key_policy``, or absent (then
a complete policy is written that keeps the account root statement AWS puts in
every default key policy).  A need counts as met by any Allow statement whose
principal includes the CloudTrail service (or is ``*``) and whose actions cover
the action, however it is spelt (``kms:*``, a list, ``kms:GenerateDataKey*``):
duplicates are recognised by action and principal, never by Sid.

Leaves alone: policies it cannot read (a variable, ``templatefile()``, JSON
broken by interpolations) — those are reported without a fix.  Never writes a
``*`` principal.
"""
from __future__ import annotations

from dataclasses import dataclass, field
import fnmatch
import json
import re

from tffix.edits import Edit
from tffix.rules import Fix, Rule, finding, insert_at_end, replace
from tffix.syntax import nodes as n
from tffix.syntax import query
from tffix.syntax.edit import (EditError, append_to_list, insert_block, newline_of, reindent,
                               snippet_expression)
from tffix.syntax.source import Span

SERVICE = "cloudtrail.amazonaws.com"
CONTEXT_KEY = "kms:EncryptionContext:aws:cloudtrail:arn"
_KEY_ATTRIBUTES = ("arn", "id", "key_id")
# The service principal, also as written for other partitions: "cloudtrail.${dns_suffix}".
_SERVICE_NAME = re.compile(r"cloudtrail\.(amazonaws\.com|\$\{[^}]*\})")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


@dataclass(frozen=True, slots=True)
class Need:
    """A statement CloudTrail needs: ``covers`` is the action a granting statement must match."""

    sid: str
    action: str
    covers: str
    what: str
    condition: bool


ENCRYPT = Need("Allow CloudTrail to encrypt logs", "kms:GenerateDataKey*", "kms:generatedatakey",
               "encrypt logs (kms:GenerateDataKey*)", True)
DESCRIBE = Need("Allow CloudTrail to describe key", "kms:DescribeKey", "kms:describekey",
                "describe the key (kms:DescribeKey)", False)
NEEDS = (ENCRYPT, DESCRIBE)


class NoFix(Exception):
    """The policy is not in a form the rule can read or edit: report without a fix."""


class Unfixable(Exception):
    """The needs are known to be missing but the edit cannot be made in this layout."""

    def __init__(self, missing, reason: str):
        super().__init__(reason)
        self.missing, self.reason = missing, reason


@dataclass(slots=True)
class DataNames:
    """Names of the data sources the inserted text refers to, and the ones to create."""

    identity: str
    partition: str
    create: list[str] = field(default_factory=list)
    used: bool = False
    # Where the missing data sources go: one file per module, so that the fixes
    # for two keys in two files write them once (the second fix then overlaps
    # the first and is re-planned after it, reusing them).
    home: dict = field(default_factory=dict)

    @property
    def account(self) -> str:
        self.used = True
        return f"${{data.aws_caller_identity.{self.identity}.account_id}}"

    @property
    def aws_partition(self) -> str:
        self.used = True
        return f"${{data.aws_partition.{self.partition}.partition}}"

    def trail_arn(self) -> str:
        return f"arn:{self.aws_partition}:cloudtrail:*:{self.account}:trail/*"

    def root_arn(self) -> str:
        return f"arn:{self.aws_partition}:iam::{self.account}:root"


def check(module):
    seen = set()
    home: dict = {}
    for file, trail in module.blocks("resource", "aws_cloudtrail"):
        attr = trail.attribute("kms_key_id")
        if attr is None:
            continue
        located = _key_of(module, attr.value)
        if located is None:
            continue
        key_file, key = located
        address = "aws_kms_key." + key.labels[1]
        if address in seen:
            continue
        seen.add(address)
        note = ""
        try:
            missing, edits = _plan(module, key_file, key, home)
        except Unfixable as unfixable:
            missing, edits, note = unfixable.missing, [], f" (not fixed: {unfixable.reason})"
        except NoFix as unreadable:
            yield finding(file, attr, f"cannot tell whether the policy of {address} lets CloudTrail use the key"
                          f" ({unreadable}): it must allow {SERVICE} kms:GenerateDataKey* and kms:DescribeKey")
            continue
        if not missing:
            continue
        wants = " or ".join(need.what for need in missing)
        message = f"the policy of {address} does not let CloudTrail {wants}: add the statement" + \
            ("s" if len(missing) > 1 else "") + note
        yield finding(file, attr, message, fix=Fix(tuple(edits)) if edits else None)


# --- Finding the key ------------------------------------------------------------------


def _key_of(module, value):
    """The ``aws_kms_key`` block a ``kms_key_id`` names, directly or through an alias."""
    ref = query.reference(value)
    if ref is None or len(ref) < 3:
        return None
    if ref[0] == "aws_kms_alias":
        alias = module.resource("aws_kms_alias", ref[1])
        target = alias and alias[1].attribute("target_key_id")
        if target is None:
            return None
        ref = query.reference(target.value)
        if ref is None or len(ref) < 3:
            return None
    if ref[0] != "aws_kms_key" or ref[-1] not in _KEY_ATTRIBUTES:
        return None
    return module.resource("aws_kms_key", ref[1])


def _key_policy_resource(module, key):
    for file, block in module.blocks("resource", "aws_kms_key_policy"):
        attr = block.attribute("key_id")
        ref = attr and query.reference(attr.value)
        if ref and len(ref) >= 3 and ref[:2] == ("aws_kms_key", key.labels[1]) and ref[-1] in _KEY_ATTRIBUTES:
            return file, block
    return None


def _data_names(module) -> DataNames:
    names = {}
    for type_ in ("aws_caller_identity", "aws_partition"):
        found = next(module.blocks("data", type_), None)
        names[type_] = found[1].labels[1] if found else None
    data = DataNames(names["aws_caller_identity"] or "current", names["aws_partition"] or "current")
    data.create = [type_ for type_, name in names.items() if name is None]
    return data


# --- Planning the fix -----------------------------------------------------------------


def _plan(module, key_file, key, home: dict):
    """The needs the key's policy misses, and the edits adding them (empty if none can be made)."""
    holder_file, holder = key_file, key
    policy = key.attribute("policy")
    if policy is None:
        found = _key_policy_resource(module, key)
        if found is not None:
            holder_file, holder = found
            policy = holder.attribute("policy")
    data = _data_names(module)
    data.home = home
    if policy is None:
        if holder is not key:
            raise NoFix("aws_kms_key_policy without a policy")
        fixed = key.insert_attribute("policy", _full_policy(data), blank_line=True)
        return list(NEEDS), _data_edits(key_file, replace(key_file, key, fixed), data)
    value = policy.value
    call = query.function_call(value, "jsonencode")
    if call is not None and len(call.arguments) == 1 and isinstance(call.arguments[0].value, n.Object):
        return _plan_jsonencode(holder_file, holder, call.arguments[0].value, data)
    if isinstance(value, n.Heredoc):
        return _plan_heredoc(holder_file, value, data)
    ref = query.reference(value)
    if ref and len(ref) == 4 and ref[:2] == ("data", "aws_iam_policy_document") and ref[3] == "json":
        document = next(module.blocks("data", "aws_iam_policy_document", ref[2]), None)
        if document is None:
            raise NoFix(f"data.aws_iam_policy_document.{ref[2]} is not in the module")
        return _plan_document(*document, data)
    raise NoFix(f"its policy is {_describe(value)}")


def _describe(value) -> str:
    if isinstance(value, n.FunctionCall):
        return f"computed by {''.join(t.text for t in value.name_tokens)}()"
    ref = query.reference(value)
    if ref is not None:
        return "`" + ".".join(ref) + "`"
    return "an expression"


def _data_edits(file, edits: list[Edit], data: DataNames) -> list[Edit]:
    """``edits`` plus the data sources their text uses and the module lacks, at the end of a file.

    An edit that already reaches the end of that file (a block closing the file
    without a newline) takes the new blocks in its own text: two edits at one
    point would not apply together.
    """
    if not data.used or not data.create:
        return edits
    target = data.home.setdefault("file", file)
    text = "\n".join(f'data "{type_}" "current" {{}}\n' for type_ in data.create)
    if target is not file:
        return edits + [insert_at_end(target, text)]
    addition = insert_at_end(target, text)
    for index, edit in enumerate(edits):
        if edit.span.end == addition.span.start:
            edits[index] = Edit(edit.span, edit.new_text + addition.new_text)
            return edits
    return edits + [addition]


def _missing(statements) -> list[Need]:
    return [need for need in NEEDS if not any(_grants(statement, need) for statement in statements)]


def _grants(statement, need: Need) -> bool:
    """An Allow statement for the CloudTrail service (or everyone) whose actions match ``need``."""
    if not isinstance(statement, dict):
        return False
    fields = {str(k).lower(): v for k, v in statement.items()}
    if str(fields.get("effect", "")).lower() != "allow":
        return False
    principal = fields.get("principal")
    if principal != "*":
        if not isinstance(principal, dict):
            return False
        kinds = {str(k).lower(): _as_list(v) for k, v in principal.items()}
        services = [s for s in kinds.get("service", []) if isinstance(s, str)]
        if not any(_SERVICE_NAME.fullmatch(s) for s in services) and "*" not in kinds.get("aws", []):
            return False
    actions = _as_list(fields.get("action"))
    return any(isinstance(a, str) and fnmatch.fnmatchcase(need.covers, a.lower()) for a in actions)


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


# --- jsonencode({...}) ----------------------------------------------------------------


def _loose(expr):
    """A Python value for an expression, with templates as their text and unknowns as None."""
    if isinstance(expr, n.Parenthesized):
        return _loose(expr.expression)
    if isinstance(expr, n.TemplateString):
        try:
            return query.string_value(expr)
        except query.NotStatic:
            return "".join(part.code for part in expr.parts)
    if isinstance(expr, n.Tuple):
        return [_loose(item.value) for item in expr.items]
    if isinstance(expr, n.Object):
        result = {}
        for item in expr.items:
            try:
                result[query.object_key(item)] = _loose(item.value)
            except query.NotStatic:
                continue
        return result
    try:
        return query.static_value(expr)
    except query.NotStatic:
        return None


def _plan_jsonencode(file, holder, document: n.Object, data: DataNames):
    item = query.object_item(document, "Statement")
    if item is None or not isinstance(item.value, n.Tuple):
        raise NoFix("its Statement is not a list written in the policy")
    statements = item.value
    missing = _missing([_loose(s.value) for s in statements.items])
    if not missing:
        return [], []
    if any(not isinstance(s.value, n.Object) for s in statements.items):
        raise NoFix("some of its statements are not written in the policy")
    quoted = _quoted_keys(statements)
    if "\n" not in statements.code.strip():
        values = [_hcl_inline(_statement_pairs(need, data, quoted), quoted) for need in missing]
    else:
        values = [_hcl_statement(need, data, quoted) for need in missing]
    if _hugging(statements):
        new = _append_hugging(statements, values, query.indentation(item))
    else:
        new = statements
        for value in values:
            new = append_to_list(new, value)
    fixed = holder.replace_descendant(statements, new)
    return missing, _data_edits(file, replace(file, holder, fixed), data)


def _hugging(statements: n.Tuple) -> bool:
    """``[{ ... }, { ... }]`` with the braces against the brackets, as in ``Statement = [{``."""
    last = statements.items[-1].value if statements.items else None
    return ("\n" not in statements.close.prefix and isinstance(last, n.Object)
            and "\n" in last.code.strip())


def _append_hugging(statements: n.Tuple, values: list[str], outer: str) -> n.Tuple:
    """Continue a hugging list with ``}, {`` as terraform fmt lays it out.

    fmt indents a ``}, {`` line one level deeper than the list's line, and the
    final ``}]`` at the list's level.
    """
    nl = newline_of(statements)
    inner = outer + "  "
    items = list(statements.items)
    last = items[-1]
    close = last.value.close
    items[-1] = last.with_changes(value=last.value.replace_descendant(
        close, close.with_prefix(close.prefix[: close.prefix.rfind("\n") + 1] + inner)),
        comma=n.Token("COMMA", ",", "", -1))
    for position, value in enumerate(values):
        text = reindent(value, outer, nl)
        if position < len(values) - 1:
            head, _, tail = text.rpartition(nl)
            text = head + nl + inner + tail.lstrip(" \t")
        element = snippet_expression(text)
        element = element.replace_descendant(element.first_token, element.first_token.with_prefix(" "))
        comma = n.Token("COMMA", ",", "", -1) if position < len(values) - 1 else None
        items.append(n.TupleItem(element, comma))
    return statements.with_changes(items=tuple(items))


def _quoted_keys(statements: n.Tuple) -> bool:
    for item in statements.items:
        if isinstance(item.value, n.Object) and item.value.items:
            return isinstance(item.value.items[0].key, n.TemplateString)
    return False


def _hcl_object(pairs, quoted: bool, indent: str = "") -> str:
    """An HCL object laid out as terraform fmt does (``=`` aligned across one-line items)."""
    keys = [f'"{k}"' if quoted or not _IDENTIFIER.fullmatch(k) else k for k, _ in pairs]
    one_line = [not isinstance(v, list) for _, v in pairs]
    lines = ["{"]
    run: list[int] = []

    def flush():
        width = max(len(keys[i]) for i in run)
        for i in run:
            lines.append(f"{indent}  {keys[i].ljust(width)} = {pairs[i][1]}")
        run.clear()

    for i, (_, value) in enumerate(pairs):
        if one_line[i]:
            run.append(i)
            continue
        if run:
            flush()
        nested = _hcl_object(value, quoted, indent=indent + "  ")
        lines.append(f"{indent}  {keys[i]} = {nested}")
    if run:
        flush()
    lines.append(indent + "}")
    return "\n".join(lines)


def _statement_pairs(need: Need, data: DataNames, quoted: bool) -> list:
    pairs = [("Sid", f'"{need.sid}"'), ("Effect", '"Allow"'),
             ("Principal", f'{{ {_q("Service", quoted)} = "{SERVICE}" }}'),
             ("Action", f'"{need.action}"'), ("Resource", '"*"')]
    if need.condition:
        pairs.append(("Condition", [("StringLike", [(CONTEXT_KEY, f'"{data.trail_arn()}"')])]))
    return pairs


def _hcl_statement(need: Need, data: DataNames, quoted: bool) -> str:
    return _hcl_object(_statement_pairs(need, data, quoted), quoted)


def _hcl_inline(pairs, quoted: bool) -> str:
    """A one-line HCL object, for a statement list written on one line."""
    items = []
    for key, value in pairs:
        key = f'"{key}"' if quoted or not _IDENTIFIER.fullmatch(key) else key
        items.append(f"{key} = {_hcl_inline(value, quoted) if isinstance(value, list) else value}")
    return "{ " + ", ".join(items) + " }"


def _q(key: str, quoted: bool) -> str:
    return f'"{key}"' if quoted else key


def _full_policy(data: DataNames) -> str:
    root = _hcl_object([("Sid", '"Enable IAM User Permissions"'), ("Effect", '"Allow"'),
                        ("Principal", f'{{ AWS = "{data.root_arn()}" }}'), ("Action", '"kms:*"'),
                        ("Resource", '"*"')], quoted=False)
    statements = [root] + [_hcl_statement(need, data, quoted=False) for need in NEEDS]
    body = ",\n".join(statements)
    body = "\n".join("    " + line if line else line for line in body.split("\n"))
    return f'jsonencode({{\n  Version = "2012-10-17"\n  Statement = [\n{body}\n  ]\n}})'


# --- Heredoc JSON ---------------------------------------------------------------------

_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+', re.DOTALL)


def _plan_heredoc(file, heredoc: n.Heredoc, data: DataNames):
    if any(isinstance(part, n.Directive) for part in heredoc.parts):
        raise NoFix("its heredoc has template directives")
    start, end = heredoc.open.text_span[1], heredoc.close.span[0]
    raw = file.text[start:end]
    try:
        document = json.loads(raw)
    except ValueError:
        raise NoFix("its heredoc is not JSON as written") from None
    if not isinstance(document, dict) or not isinstance(document.get("Statement"), list):
        raise NoFix("its Statement is not a list")
    missing = _missing(document["Statement"])
    if not missing:
        return [], []
    where = _statement_array(raw)
    if where is None:
        raise NoFix("its Statement list was not found")
    open_at, last_end, _ = where
    nl = "\r\n" if "\r\n" in raw else "\n"
    key_indent = _line_indent(raw, open_at)
    if last_end is None:
        raise NoFix("its Statement list is empty")
    first = _next_token(raw, open_at + 1)
    same_line = "\n" not in raw[open_at + 1:first]
    item_indent = key_indent if same_line else _line_indent(raw, first)
    inside = _line_indent(raw, _next_token(raw, first + 1)) if same_line else item_indent
    unit = _indent_unit(key_indent, inside)
    text = "".join(_json_statement(need, data, unit, item_indent, nl, same_line) for need in missing)
    new_raw = raw[:last_end] + text + raw[last_end:]
    return missing, _data_edits(file, [Edit(Span(file.path, start, end), new_raw)], data)


def _json_statement(need: Need, data: DataNames, unit: str, indent: str, nl: str, same_line: bool) -> str:
    statement = {"Sid": need.sid, "Effect": "Allow", "Principal": {"Service": SERVICE},
                 "Action": need.action, "Resource": "*"}
    if need.condition:
        statement["Condition"] = {"StringLike": {CONTEXT_KEY: data.trail_arn()}}
    dumped = json.dumps(statement, indent=unit).replace("\n", nl + indent)
    return (", " if same_line else "," + nl + indent) + dumped


def _statement_array(raw: str):
    """Offsets of the top-level Statement list: its ``[``, the end of its last element, its ``]``."""
    stack: list[str] = []
    previous = key = open_at = last_end = None
    for match in _JSON_TOKEN.finditer(raw):
        token = match.group()
        opened = False
        if token in "{[":
            if token == "[" and len(stack) == 1 and key == "Statement" and previous == ":":
                open_at, opened = match.start(), True
            stack.append(token)
        elif token in "}]":
            stack.pop()
            if token == "]" and open_at is not None and len(stack) == 1:
                return open_at, last_end, match.start()
        elif token not in ":," and len(stack) == 1 and previous in ("{", ","):
            key = json.loads(token) if token.startswith('"') else None
        if open_at is not None and len(stack) == 2 and token != "," and not opened:
            last_end = match.end()
        previous = token
    return None


def _next_token(raw: str, offset: int) -> int:
    match = _JSON_TOKEN.search(raw, offset)
    return match.start() if match else offset


def _line_indent(raw: str, offset: int) -> str:
    line_start = raw.rfind("\n", 0, offset) + 1
    line = raw[line_start:offset]
    return line[: len(line) - len(line.lstrip(" \t"))]


def _indent_unit(outer: str, inner: str) -> str:
    """The document's indentation step, from the Statement key's line to its elements' lines."""
    if inner.startswith(outer) and len(inner) > len(outer):
        return inner[len(outer):]
    return "  "


# --- aws_iam_policy_document ----------------------------------------------------------


def _plan_document(file, document, data: DataNames):
    statements = list(document.blocks("statement"))
    missing = _missing([_document_statement(s) for s in statements])
    if not missing:
        return [], []
    merged = [name for name in ("source_policy_documents", "override_policy_documents", "source_json",
                                "override_json") if document.attribute(name) is not None]
    if merged or any(block.labels[:1] == ("statement",) for block in document.blocks("dynamic")):
        raise NoFix(f"data.aws_iam_policy_document.{document.labels[1]} also takes statements from "
                    + (f"`{merged[0]}`" if merged else "a dynamic block"))
    fixed = document
    for need in missing:
        last = list(fixed.blocks("statement"))[-1:] or None
        try:
            fixed = insert_block(fixed, _block_statement(need, data), after=last[0] if last else None)
        except EditError as error:
            raise Unfixable(missing, str(error)) from None
    return missing, _data_edits(file, replace(file, document, fixed), data)


def _document_statement(block) -> dict:
    """A policy document ``statement`` block as the JSON statement it renders."""
    principals: dict = {}
    for nested in block.blocks("principals"):
        principals.setdefault(str(_attr(nested, "type")), []).extend(_as_list(_attr(nested, "identifiers")))
    statement = {"Effect": _attr(block, "effect") or "Allow", "Action": _attr(block, "actions"),
                 "Principal": principals}
    if principals.get("*") == ["*"]:
        statement["Principal"] = "*"
    return statement


def _attr(block, name):
    attr = block.attribute(name)
    return None if attr is None else _loose(attr.value)


def _block_statement(need: Need, data: DataNames) -> str:
    lines = [
        "statement {",
        f'  sid       = "{need.sid}"',
        '  effect    = "Allow"',
        f'  actions   = ["{need.action}"]',
        '  resources = ["*"]',
        "",
        "  principals {",
        '    type        = "Service"',
        f'    identifiers = ["{SERVICE}"]',
        "  }",
    ]
    if need.condition:
        lines += ["", "  condition {", '    test     = "StringLike"', f'    variable = "{CONTEXT_KEY}"',
                  f'    values   = ["{data.trail_arn()}"]', "  }"]
    return "\n".join(lines + ["}"])


RULE = Rule("TFX003", "kms-cloudtrail-policy", check,
            summary="let CloudTrail use the KMS key that encrypts its logs", safe=True,
            related=("CKV_AWS_35", "CKV2_AWS_64", "CKV_AWS_33", "AVD-AWS-0015",
                     "5d9e3164-9265-470c-9a10-57ae454ac0c7", "7ebc9038-0bde-479a-acc4-6ed7b6758899"))
