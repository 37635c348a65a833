"""IAM policy documents, however a module writes them: read their statements, add new ones in place.

One reader/writer for every rule that needs a grant (TFX003's KMS key policy,
the bucket and role policies of the rules after it).  The forms people write:

- ``policy = jsonencode({ Statement = [ {...}, ... ] })``: statements are HCL
  objects; new ones follow the list's layout (one line, one per line, or
  ``[{ ... }, { ... }]`` hugging the brackets) and its key style (``Sid`` or ``"Sid"``);
- ``policy = <<EOF { "Statement": [...] } EOF``: JSON in a heredoc; new statements
  are JSON with the document's own indentation step;
- ``policy = data.aws_iam_policy_document.X.json``: ``statement`` blocks; new ones
  are blocks.  Statements merged in from ``source_policy_documents`` /
  ``override_policy_documents`` (documents of the module) count as present; new
  statements go into the document the resource names;
- anything else (a variable, ``file()``, ``templatefile()``) is `Unreadable`.

A statement that is already there in an equivalent form is never added twice:
`allows` matches by effect, principal and action (wildcards included), not by Sid.
"""

from __future__ import annotations

import fnmatch
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tffix.edits import Edit
from tffix.rules import replace
from tffix.semantic.model import unwrap
from tffix.semantic.values import MAX_DEPTH, Unknown
from tffix.syntax import build, edit, query
from tffix.syntax import nodes as n
from tffix.syntax.errors import EditError
from tffix.syntax.source import Span

if TYPE_CHECKING:
    from tffix.semantic.module import ModuleFile

# Resources with an inline ``policy`` and the standalone resource that can hold it instead:
# type -> (policy resource type, its argument naming the resource, the attribute that argument takes).
STANDALONE = {
    "aws_vpc_endpoint": ("aws_vpc_endpoint_policy", "vpc_endpoint_id", "id"),
    "aws_kms_key": ("aws_kms_key_policy", "key_id", "id"),
    "aws_s3_bucket": ("aws_s3_bucket_policy", "bucket", "id"),
    "aws_sqs_queue": ("aws_sqs_queue_policy", "queue_url", "id"),
    "aws_sns_topic": ("aws_sns_topic_policy", "arn", "arn"),
    "aws_secretsmanager_secret": ("aws_secretsmanager_secret_policy", "secret_arn", "arn"),
}


class Unreadable(EditError):
    """The policy is not in a form tffix can read (or could be added to twice): report without a fix.

    An `EditError`, so that when a policy turns out unwritable while a fix is built
    (an empty heredoc ``Statement`` list), the finding simply has no fix."""


@dataclass(frozen=True, slots=True)
class Condition:
    test: str  # StringLike, StringEquals, ArnLike, ...
    variable: str  # the context key
    values: tuple  # str or build.Expression (a template)


@dataclass(frozen=True, slots=True)
class Statement:
    """A statement to add, in no particular syntax; ``principals`` maps a type (Service, AWS) to identifiers."""

    sid: str
    actions: tuple[str, ...]
    principals: tuple[tuple[str, tuple], ...]
    resources: tuple = ("*",)
    conditions: tuple[Condition, ...] = ()
    effect: str = "Allow"


# --- matching ------------------------------------------------------------------------------


def allows(statement, action: str, principal: re.Pattern | None = None, resource=None) -> bool:
    """An Allow statement (JSON-like dict) granting ``action`` to the principal ``principal`` matches
    (a service name pattern), or to everyone; ``resource`` (if given) must be covered too."""
    if not isinstance(statement, dict):
        return False
    fields = {str(key).lower(): value for key, value in statement.items()}
    if str(fields.get("effect", "Allow")).lower() != "allow":
        return False
    if principal is not None and not _principal_matches(fields.get("principal"), principal):
        return False
    actions = _as_list(fields.get("action"))
    if not any(isinstance(a, str) and fnmatch.fnmatchcase(action.lower(), a.lower()) for a in actions):
        return False
    if resource is not None:
        resources = _as_list(fields.get("resource"))
        if not any(isinstance(r, str) and fnmatch.fnmatchcase(resource, r) for r in resources):
            return False
    return True


# Condition operators tffix evaluates; the others (negated ones, Null, dates, numbers, ...) are taken to
# hold, so that a statement is never counted as refusing a request on a guess.
_MATCHING_OPERATORS = {"stringequals", "stringlike", "arnequals", "arnlike", "stringequalsignorecase", "bool"}


def condition_keys(statement) -> set[str]:
    """The condition keys (lower case) a statement tests, whatever the operator."""
    condition = field(statement, "condition")
    if not isinstance(condition, dict):
        return set()
    return {str(key).lower() for tests in condition.values() if isinstance(tests, dict) for key in tests}


def conditions_hold(statement, context: dict, pattern=lambda text: text) -> bool:
    """Whether a request whose context keys (lower case) have the values of ``context`` meets the
    statement's conditions.  ``pattern`` turns a condition value into the glob it stands for (unknown
    parts as ``*``).  Keys the context does not give, and operators tffix does not evaluate, hold."""
    condition = field(statement, "condition")
    if condition is None:
        return True
    if not isinstance(condition, dict):
        return True
    for operator, tests in condition.items():
        name = str(operator).split(":")[-1].lower()
        name = name[: -len("ifexists")] if name.endswith("ifexists") else name
        if name not in _MATCHING_OPERATORS or not isinstance(tests, dict):
            continue
        fold = name.endswith("ignorecase") or name == "bool"
        for key, values in tests.items():
            actual = context.get(str(key).lower())
            if actual is None:
                continue
            patterns = [pattern(v) if isinstance(v, str) else str(v).lower() for v in _as_list(values)]
            if None in patterns:
                continue
            if fold:
                actual, patterns = actual.lower(), [p.lower() for p in patterns]
            if not any(fnmatch.fnmatchcase(actual, p) for p in patterns):
                return False
    return True


def principal_identifiers(statement, kind: str) -> list | None:
    """The identifiers of one principal type (``AWS``, ``Service``) a statement names; ``["*"]`` for
    ``Principal = "*"``; None when it has no principal tffix can read."""
    principal = field(statement, "principal")
    if principal == "*":
        return ["*"]
    if not isinstance(principal, dict):
        return None
    kinds = {str(key).lower(): _as_list(value) for key, value in principal.items()}
    return kinds.get(kind.lower(), [])


def field(statement, name: str):
    """A statement's field by its lower-case name (``resource``, ``sid``), however it is spelt."""
    if not isinstance(statement, dict):
        return None
    return next((value for key, value in statement.items() if str(key).lower() == name), None)


def as_list(value) -> list:
    """A policy field's value as a list (a single string is a list of one)."""
    return _as_list(value)


def _principal_matches(principal, pattern: re.Pattern) -> bool:
    if principal == "*":
        return True
    if not isinstance(principal, dict):
        return False
    kinds = {str(key).lower(): _as_list(value) for key, value in principal.items()}
    services = [s for s in kinds.get("service", []) if isinstance(s, str)]
    return any(pattern.fullmatch(s) for s in services) or "*" in kinds.get("aws", [])


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


# --- reading -------------------------------------------------------------------------------


class Policy:
    """A readable policy: its statements (JSON-like dicts) and how to add to it."""

    statements: list
    file: ModuleFile  # the module file its text is in (a policy document may live apart from its user)

    def missing(self, wanted, check) -> list:
        """The items of ``wanted`` that no statement satisfies (``check(statement, item)``)."""
        return [item for item in wanted if not any(check(statement, item) for statement in self.statements)]

    def add(self, statements: list[Statement], account) -> list[Edit]:
        raise NotImplementedError

    def add_condition(self, index: int, condition: Condition) -> list[Edit]:
        """Edits that add ``condition`` to statement ``index`` where it is written (into its
        ``Condition`` and that operator's map when they exist)."""
        raise NotImplementedError


def read(model, declaration, argument: str = "policy") -> Policy | None:
    """The policy an argument of a resource holds; None when the argument is absent."""
    owner = declaration.owner_of(argument)
    if owner is None:
        return None
    file, block = owner  # an override file's block, when the argument Terraform uses is written there
    return read_block(model, file, block, argument)


def read_block(model, file, block, argument: str = "policy") -> Policy:
    """The policy an argument of a (possibly nested) block holds, e.g. a role's ``inline_policy``."""
    value = block.attribute(argument).value
    call = query.function_call(value, "jsonencode")
    if call is not None and len(call.arguments) == 1 and isinstance(call.arguments[0].value, n.Object):
        return JsonencodePolicy(model, file, block, call.arguments[0].value)
    if isinstance(value, n.Heredoc):
        return HeredocPolicy(file, value)
    document = _document(model, value)
    if document is not None:
        return DocumentPolicy(model, document)
    raise Unreadable(f"its {argument} is {_describe(model, value)}")


def _document(model, expr):
    """The ``aws_iam_policy_document`` data source whose ``.json`` an expression is (through locals)."""
    reference = model.points_to(expr)
    if reference is None or reference.attribute != "json":
        return None
    target = reference.declaration
    if target is None:
        if reference.names[:2] == ("data", "aws_iam_policy_document"):
            raise Unreadable(f"{reference.address} is not in the module")
        return None
    if target.kind == "data" and target.type == "aws_iam_policy_document" and target.block is not None:
        return target
    return None


def _describe(model, value) -> str:
    if isinstance(value, n.FunctionCall):
        return f"computed by {''.join(t.text for t in value.name_tokens)}()"
    reference = model.reference(value)
    if reference is not None:
        return f"`{reference.text()}`"
    if isinstance(value, n.TemplateString):
        return "a quoted string"
    return "an expression"


def loose(model, expr, depth: int = 0):
    """A JSON-like value for an expression: known values as they are, templates as their text
    (so ``cloudtrail.${local.dns_suffix}`` can still be recognised), a reference as the template
    ``${reference}`` (so ``Resource = aws_s3_bucket.b.arn`` reads as a heredoc's ``"${aws_s3_bucket.b.arn}"``
    does), other unknowns as None.  Nesting deeper than any policy reads as None."""
    if depth > MAX_DEPTH:
        return None
    expr = unwrap(expr) if isinstance(expr, n.Parenthesized) else expr
    if isinstance(expr, n.Tuple):
        return [loose(model, item.value, depth + 1) for item in expr.items]
    if isinstance(expr, n.Object):
        result = {}
        for item in expr.items:
            key = _key(model, item)
            if key is not None:
                result[key] = loose(model, item.value, depth + 1)
        return result
    value = model.value(expr)
    if not isinstance(value, Unknown):
        return value
    if isinstance(expr, n.TemplateString):
        return "".join(part.code for part in expr.parts)
    if model.reference(expr) is not None:
        return "${" + " ".join(expr.code.split()) + "}"  # as a template holding only it reads
    return None


def _key(model, item: n.ObjectItem):
    if isinstance(item.key, n.Variable):
        return item.key.name.text
    value = model.value(item.key)
    return value if isinstance(value, str) else None


# --- jsonencode({...}) ---------------------------------------------------------------------


class JsonencodePolicy(Policy):
    def __init__(self, model, file, block, document: n.Object):
        self.block, self.document, self.file = block, document, file
        item = query.object_item(document, "Statement")
        if item is None or not isinstance(item.value, n.Tuple):
            raise Unreadable("its Statement is not a list written in the policy")
        self.item, self.list = item, item.value
        if not all(isinstance(element.value, n.Object) for element in self.list.items):
            raise Unreadable("some of its statements are not written in the policy")
        self.statements = [loose(model, element.value) for element in self.list.items]

    def add(self, statements: list[Statement], account) -> list[Edit]:
        quoted = self._quoted_keys()
        one_line = "\n" not in self.list.code.strip()
        new = self.list
        for statement in statements:
            value = build.render(_json_object(statement, quoted, one_line))
            new = edit.append_to_list(new, value)
        fixed = self.block.replace_descendant(self.list, new)
        return replace(self.file, self.block, fixed)

    def add_condition(self, index: int, condition: Condition) -> list[Edit]:
        statement = self.list.items[index].value
        assert isinstance(statement, n.Object), "a readable policy's statements are objects"
        quoted = self._quoted_keys()
        values = _single(condition.values)
        condition_item = _item(statement, "Condition")
        if condition_item is None:
            target, key = statement, "Condition"
            value = build.Object(
                [(condition.test, build.Object([(condition.variable, values)]))], quoted_keys=quoted
            )
        elif not isinstance(condition_item.value, n.Object):
            raise EditError("the statement's Condition is not written as an object")
        else:
            test_item = _item(condition_item.value, condition.test)
            if test_item is None:
                target, key = condition_item.value, condition.test
                value = build.Object([(condition.variable, values)], quoted_keys=quoted)
            elif isinstance(test_item.value, n.Object):
                target, key, value = test_item.value, condition.variable, values
            else:
                raise EditError(f"the statement's {condition.test} is not written as an object")
        new = edit.insert_object_item(target, build.key(key, quoted), build.render(value, quoted))
        return replace(self.file, self.block, self.block.replace_descendant(target, new))

    def _quoted_keys(self) -> bool:
        for element in self.list.items:
            if isinstance(element.value, n.Object) and element.value.items:
                return isinstance(element.value.items[0].key, n.TemplateString)
        return False


def _item(obj: n.Object, key: str) -> n.ObjectItem | None:
    """The item of an object literal whose key is ``key`` (bare or quoted, any case)."""
    for item in obj.items:
        try:
            name = query.object_key(item)
        except query.NotStatic:
            continue
        if name.lower() == key.lower():
            return item
    return None


def _json_object(statement: Statement, quoted: bool, one_line: bool) -> build.Object:
    """A statement as AWS's documentation writes it: single values unwrapped from their lists."""
    principal = build.Object([(kind, _single(ids)) for kind, ids in statement.principals], one_line=True)
    pairs: list[tuple[str, object]] = [("Sid", statement.sid), ("Effect", statement.effect)]
    if statement.principals:  # an identity policy's statements name no principal
        pairs.append(("Principal", principal))
    pairs += [("Action", _single(statement.actions)), ("Resource", _single(statement.resources))]
    if statement.conditions:
        tests: dict[str, list] = {}
        for condition in statement.conditions:
            tests.setdefault(condition.test, []).append((condition.variable, _single(condition.values)))
        pairs.append(
            (
                "Condition",
                build.Object(
                    [(test, build.Object(items, one_line=one_line)) for test, items in tests.items()],
                    one_line=one_line,
                ),
            )
        )
    return build.Object(pairs, quoted_keys=quoted, one_line=one_line)


def _single(values):
    values = list(values)
    return values[0] if len(values) == 1 else values


def full_policy(statements: list[Statement]) -> str:
    """A complete ``jsonencode({...})`` key policy holding ``statements``."""
    document = build.Object(
        [("Version", "2012-10-17"), ("Statement", [_json_object(s, False, False) for s in statements])]
    )
    return build.render(build.call("jsonencode", document))


# --- heredoc JSON --------------------------------------------------------------------------

_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+', re.DOTALL)


class HeredocPolicy(Policy):
    def __init__(self, file, heredoc: n.Heredoc):
        self.heredoc, self.file = heredoc, file
        if any(isinstance(part, n.Directive) for part in heredoc.parts):
            raise Unreadable("its heredoc has template directives")
        self.start, self.end = heredoc.open.text_span[1], heredoc.close.span[0]
        self.raw = file.text[self.start : self.end]
        try:
            document = json.loads(self.raw)
        except ValueError:
            raise Unreadable("its heredoc is not JSON as written") from None
        if not isinstance(document, dict) or not isinstance(document.get("Statement"), list):
            raise Unreadable("its Statement is not a list")
        self.statements = document["Statement"]

    def add(self, statements: list[Statement], account) -> list[Edit]:
        raw = self.raw
        where = _statement_array(raw)
        if where is None:
            raise Unreadable("its Statement list was not found")
        open_at, last_end, _ = where
        if last_end is None:
            raise Unreadable("its Statement list is empty")
        nl = "\r\n" if "\r\n" in raw else "\n"
        key_indent = _line_indent(raw, open_at)
        first = _next_token(raw, open_at + 1)
        same_line = "\n" not in raw[open_at + 1 : first]
        item_indent = key_indent if same_line else _line_indent(raw, first)
        inside = _line_indent(raw, _next_token(raw, first + 1)) if same_line else item_indent
        unit = _indent_unit(key_indent, inside)
        text = "".join(_json_statement(s, unit, item_indent, nl, same_line) for s in statements)
        new_raw = raw[:last_end] + text + raw[last_end:]
        return [Edit(Span(self.file.path, self.start, self.end), new_raw)]

    def add_condition(self, index: int, condition: Condition) -> list[Edit]:
        raw = self.raw
        where = _statement_array(raw)
        if where is None:
            raise Unreadable("its Statement list was not found")
        elements = _elements(raw, where[0])
        if index >= len(elements) or raw[elements[index][0]] != "{":
            raise EditError("the statement is not a JSON object")
        nl = "\r\n" if "\r\n" in raw else "\n"
        values = _single(condition.values)
        members = _members(raw, elements[index][0])
        found = next((m for m in members if m[0].lower() == "condition"), None)
        if found is None:
            target, key, value = (
                elements[index][0],
                "Condition",
                {condition.test: {condition.variable: values}},
            )
        elif raw[found[1]] != "{":
            raise EditError("the statement's Condition is not a JSON object")
        else:
            test = next((m for m in _members(raw, found[1]) if m[0] == condition.test), None)
            if test is None:
                target, key, value = found[1], condition.test, {condition.variable: values}
            elif raw[test[1]] == "{":
                target, key, value = test[1], condition.variable, values
            else:
                raise EditError(f"the statement's {condition.test} is not a JSON object")
        inner = _members(raw, target)
        if not inner:
            raise EditError("cannot add to an empty JSON object")
        last_key_at, last_end = inner[-1][3], inner[-1][2]
        same_line = "\n" not in raw[target:last_key_at]
        indent = _line_indent(raw, last_key_at)
        unit = _indent_unit(_line_indent(raw, target), indent)
        if same_line:
            text = ", " + _heredoc_json({key: value}, None)[1:-1]
        else:
            # `"key": value` over lines, without the braces json.dumps puts around it
            member = _heredoc_json({key: value}, unit)[1:-1].strip("\n")[len(unit) :]
            member = "\n".join(
                line[len(unit) :] if line.startswith(unit) else line for line in member.split("\n")
            )
            text = "," + nl + indent + member.replace("\n", nl + indent)
        start = self.start + last_end
        return [Edit(Span(self.file.path, start, start), text)]


def _elements(raw: str, open_at: int) -> list[tuple[int, int]]:
    """The (start, end) offsets of each element of the JSON array opening at ``open_at``."""
    out, depth, start = [], 0, None
    for match in _JSON_TOKEN.finditer(raw, open_at):
        token = match.group()
        if token in "{[":
            depth += 1
            if depth == 2 and start is None:
                start = match.start()
        elif token in "}]":
            depth -= 1
            if depth == 1 and start is not None:
                out.append((start, match.end()))
                start = None
            if depth == 0:
                return out
        elif depth == 1 and token not in ":,":
            out.append((match.start(), match.end()))
    return out


def _members(raw: str, open_at: int) -> list[tuple[str, int, int, int]]:
    """The members of the JSON object opening at ``open_at``: (key, value start, value end, key start)."""
    out: list = []
    depth, key, key_at, value_at = 0, None, None, None
    previous = None
    for match in _JSON_TOKEN.finditer(raw, open_at):
        token = match.group()
        if depth == 1 and previous in ("{", ",") and token.startswith('"'):
            key, key_at = json.loads(token), match.start()
        elif depth == 1 and previous == ":" and key is not None:
            value_at = match.start()
        if token in "{[":
            depth += 1
        elif token in "}]":
            depth -= 1
            if depth == 0:
                break
        if key is not None and value_at is not None and depth == 1 and token not in ":,":
            out.append((key, value_at, match.end(), key_at))
            key = value_at = None
        previous = token
    return out


def _json_statement(statement: Statement, unit: str, indent: str, nl: str, same_line: bool) -> str:
    document: dict[str, object] = {"Sid": statement.sid, "Effect": statement.effect}
    if statement.principals:
        document["Principal"] = {kind: _single(ids) for kind, ids in statement.principals}
    document.update(Action=_single(statement.actions), Resource=_single(statement.resources))
    if statement.conditions:
        tests: dict[str, dict] = {}
        for condition in statement.conditions:
            tests.setdefault(condition.test, {})[condition.variable] = _single(condition.values)
        document["Condition"] = tests
    dumped = _heredoc_json(document, unit).replace("\n", nl + indent)
    return (", " if same_line else "," + nl + indent) + dumped


def _heredoc_json(value, unit: str | None) -> str:
    """``json.dumps`` with the document's indentation, templates written with `build.heredoc_json_string`."""
    templates: list[str] = []

    def placeholders(item):
        if isinstance(item, build.Expression):
            # a plain expression (a reference) is written as the template holding only it
            templates.append(build.heredoc_json_string(item if item.parts else build.template(item)))
            return f"\x00{len(templates) - 1}\x00"
        if isinstance(item, dict):
            return {key: placeholders(inner) for key, inner in item.items()}
        if isinstance(item, list):
            return [placeholders(inner) for inner in item]
        return item

    text = json.dumps(placeholders(value), indent=unit, ensure_ascii=False)
    return re.sub(r'"\\u0000(\d+)\\u0000"', lambda m: templates[int(m.group(1))], text)


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
            if not stack:
                return None
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
        return inner[len(outer) :]
    return "  "


# --- aws_iam_policy_document ---------------------------------------------------------------


class DocumentPolicy(Policy):
    MERGED = ("source_policy_documents", "override_policy_documents", "source_json", "override_json")

    def __init__(self, model, document, seen=()):
        self.document, self.file = document, document.file
        block = document.block
        if any(
            nested.labels[:1] == ("statement",)
            for nested in block.blocks("dynamic")
            if _static_labels(nested)
        ):
            raise Unreadable(f"{document.address} also takes statements from a dynamic block")
        self.statements = [_document_statement(model, s) for s in block.blocks("statement")]
        self.origins = [(document, s) for s in block.blocks("statement")]  # where each statement is written
        for name in self.MERGED:
            attr = block.attribute(name)
            if attr is None:
                continue
            sources = attr.value.items if isinstance(attr.value, n.Tuple) else None
            expressions = [item.value for item in sources] if sources is not None else [attr.value]
            for expr in expressions:
                try:
                    source = _document(model, expr)
                except Unreadable as unreadable:
                    raise Unreadable(
                        f"{document.address} also takes statements from `{name}`: {unreadable}"
                    ) from None
                if source is None or source in seen or source is document:
                    raise Unreadable(
                        f"{document.address} also takes statements from `{name}`, "
                        "which is not a policy document of this module"
                    )
                merged = DocumentPolicy(model, source, seen + (document,))
                self.statements += merged.statements
                self.origins += merged.origins

    def add(self, statements: list[Statement], account) -> list[Edit]:
        block = self.document.block
        fixed = block
        for statement in statements:
            last = fixed.blocks("statement")[-1:]
            fixed = edit.insert_block(
                fixed, _statement_block(statement).text(), after=last[0] if last else None
            )
        return replace(self.document.file, block, fixed)

    def add_condition(self, index: int, condition: Condition) -> list[Edit]:
        document, statement = self.origins[index]
        text = build.Block(
            "condition",
            items=[
                ("test", condition.test),
                ("variable", condition.variable),
                ("values", list(condition.values)),
            ],
        ).text()
        block = document.block
        return replace(
            document.file, block, block.replace_descendant(statement, edit.insert_block(statement, text))
        )


def _static_labels(block) -> bool:
    try:
        block.labels  # noqa: B018 - reading the labels raises NotStatic for a templated label
    except query.NotStatic:
        return False
    return True


def _document_statement(model, block) -> dict:
    """A policy document ``statement`` block as the JSON statement it renders."""
    principals: dict = {}
    for nested in block.blocks("principals"):
        kind = _attr(model, nested, "type")
        principals.setdefault(str(kind), []).extend(_as_list(_attr(model, nested, "identifiers")))
    statement = {
        "Effect": _attr(model, block, "effect") or "Allow",
        "Action": _attr(model, block, "actions"),
        "Resource": _attr(model, block, "resources"),
        "Principal": principals,
    }
    if principals.get("*") == ["*"]:
        statement["Principal"] = "*"
    if block.attribute("sid") is not None:
        statement["Sid"] = _attr(model, block, "sid")
    conditions: dict = {}
    for nested in block.blocks("condition"):
        test, variable = _attr(model, nested, "test"), _attr(model, nested, "variable")
        conditions.setdefault(str(test), {}).setdefault(str(variable), []).extend(
            _as_list(_attr(model, nested, "values"))
        )
    if conditions:
        statement["Condition"] = conditions
    return statement


def _attr(model, block, name):
    attr = block.attribute(name)
    return None if attr is None else loose(model, attr.value)


def _statement_block(statement: Statement) -> build.Block:
    items: list = [
        ("sid", statement.sid),
        ("effect", statement.effect),
        ("actions", list(statement.actions)),
        ("resources", list(statement.resources)),
    ]
    for kind, identifiers in statement.principals:
        items.append(build.Block("principals", items=[("type", kind), ("identifiers", list(identifiers))]))
    for condition in statement.conditions:
        items.append(
            build.Block(
                "condition",
                items=[
                    ("test", condition.test),
                    ("variable", condition.variable),
                    ("values", list(condition.values)),
                ],
            )
        )
    return build.Block("statement", items=items)
