"""Hypothesis strategies for whole modules that hold a rule's pattern, in random layouts.

`modules(code)` builds a `Case`: a module (file name → text, sometimes several
files, a ``.terraform.lock.hcl`` for TFX011), the local child modules it calls (read
as context), and the codes whose findings must be present.  Each rule has a
scenario below that writes its pattern in the forms the rule fixes and the forms it
declines (``golden/<code>/*/input`` shows them); unrelated decoy blocks surround it.

A scenario is built as a small tree (`Block`, `Attr`, and expressions `L`, `O`,
`Call`, `H` or raw text), sometimes beside another rule's pattern, and `render`
lays it out at random: one-line blocks,
bare or odd labels, ``#``, ``//`` and ``/* */`` comments in every trivia slot (a
``/*`` inside a ``//`` comment too), aligned or ragged ``=``, blank lines, heredocs
(``<<EOT`` and ``<<-EOT``), CRLF line ends, a missing final newline.  Every
comment carries a unique tag (``c17``) so a test can tell it survived a fix.

The generated text is valid HCL: `modules` parses every file with
`tffix.syntax.parse_module` before handing it out, so a layout the generator gets
wrong fails here, not as a tffix bug.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from hypothesis import strategies as st

from tffix.aws.iam import LOG_DELIVERY
from tffix.syntax import ParseError, parse_module

# --- the tree ---------------------------------------------------------------------------


@dataclass
class L:
    """A list expression."""

    items: list


@dataclass
class O:  # noqa: E742 - the object expression, beside L
    """An object expression: (key text, value) pairs."""

    items: list


@dataclass
class Call:
    name: str
    args: list


@dataclass
class H:
    """A heredoc (only ever an attribute's whole value)."""

    lines: list[str]


@dataclass
class Attr:
    name: str
    value: object


@dataclass
class Block:
    type: str
    labels: list[str]
    body: list = field(default_factory=list)


@dataclass
class Case:
    """A generated module: its files, the child modules it reads, what must be found."""

    files: dict[str, str]
    context: dict[str, str] = field(default_factory=dict)
    expect: tuple[str, ...] = ()
    target: str = "terraform"
    unsafe: bool = True
    comments: tuple[str, ...] = ()  # every comment tag written

    def __repr__(self) -> str:  # what Hypothesis prints for a failing example
        parts = [f"--- {path}\n{text}" for path, text in {**self.files, **self.context}.items()]
        return f"Case(target={self.target!r}, unsafe={self.unsafe}, expect={self.expect})\n" + "\n".join(
            parts
        ).replace("\r", "\\r")


IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def q(text: str) -> str:
    """A quoted HCL string (no interpolation escaping: callers pass template text on purpose)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# --- layout ---------------------------------------------------------------------------


class _Layout:
    """One file's random layout choices, drawn as the tree is written."""

    def __init__(self, draw, counter: list[int]):
        self.draw = draw
        self.counter = counter
        self.unit = draw(st.sampled_from(["  ", "  ", "  ", "    ", "\t"]))
        self.density = draw(st.sampled_from([0.0, 0.1, 0.3, 0.6]))
        self.tags: list[str] = []

    def chance(self, p: float) -> bool:
        if p <= 0:
            return False
        return self.draw(st.integers(0, 99)) < int(p * 100)

    def tag(self) -> str:
        self.counter[0] += 1
        tag = f"c{self.counter[0]}"
        self.tags.append(tag)
        return tag

    def inline(self) -> str:
        """A comment that may sit inside a line: ``/* cN */``."""
        return f"/* {self.tag()} */"

    def maybe_inline(self) -> str:
        return f" {self.inline()}" if self.chance(self.density) else ""

    def line_comment(self) -> str:
        """A comment that ends its line."""
        tag = self.tag()
        return self.draw(
            st.sampled_from(
                [
                    f"# {tag}",
                    f"// {tag}",
                    f"// {tag} with a /* inside",
                    f"# {tag} /* not a block",
                    f"/* {tag} */",
                    f"# {tag} */ stray",
                ]
            )
        )

    def standalone(self, pad: str) -> str:
        """Comment lines on their own (may be a multi-line block comment)."""
        if self.chance(0.2):
            tag = self.tag()
            return f"{pad}/* {tag}\n{pad}   second line of {tag} */\n"
        return f"{pad}{self.line_comment()}\n"

    def comments_above(self, pad: str) -> str:
        out = ""
        while self.chance(self.density) and len(out) < 200:
            out += self.standalone(pad)
        return out

    def trailing(self) -> str:
        return f" {self.line_comment()}" if self.chance(self.density) else ""


def single_line(value) -> bool:
    if isinstance(value, str):
        return "\n" not in value
    if isinstance(value, H):
        return False
    if isinstance(value, L):
        return all(single_line(v) for v in value.items)
    if isinstance(value, O):
        return all(single_line(v) for _, v in value.items)
    if isinstance(value, Call):
        return all(single_line(v) for v in value.args)
    raise TypeError(value)


def expr(lay: _Layout, value, depth: int) -> str:
    """An expression's text; continuation lines indented for nesting ``depth``."""
    pad = lay.unit * depth
    inner = lay.unit * (depth + 1)
    if isinstance(value, str):
        return value
    if isinstance(value, Call):
        args = [expr(lay, a, depth) for a in value.args]
        return f"{value.name}({', '.join(args)})"
    if isinstance(value, L):
        if not value.items:
            return "[]"
        if single_line(value) and lay.chance(0.5):
            sep = ", " if not lay.chance(lay.density) else f", {lay.inline()} "
            return "[" + sep.join(expr(lay, v, depth) for v in value.items) + "]"
        out = "[" + lay.trailing() + "\n"
        for index, item in enumerate(value.items):
            out += lay.comments_above(inner)
            last = index == len(value.items) - 1
            comma = "," if not last or lay.chance(0.6) else ""
            out += f"{inner}{expr(lay, item, depth + 1)}{comma}{lay.trailing()}\n"
        return out + lay.comments_above(inner) + pad + "]"
    if isinstance(value, O):
        if not value.items:
            return "{}"
        if single_line(value) and len(value.items) <= 3 and lay.chance(0.4):
            return "{ " + ", ".join(f"{k} = {expr(lay, v, depth)}" for k, v in value.items) + " }"
        align = lay.chance(0.7)
        width = max(len(k) for k, _ in value.items) if align else 0
        out = "{" + lay.trailing() + "\n"
        for key, item in value.items:
            out += lay.comments_above(inner)
            comma = "," if lay.chance(0.2) else ""
            out += f"{inner}{key.ljust(width)} = {expr(lay, item, depth + 1)}{comma}{lay.trailing()}\n"
        return out + lay.comments_above(inner) + pad + "}"
    raise TypeError(value)


def heredoc(lay: _Layout, value: H, depth: int) -> str:
    marker = lay.draw(st.sampled_from(["EOT", "EOF", "POLICY", "JSON"]))
    if lay.chance(0.5):
        pad = lay.unit * (depth + 1)
        body = "".join(f"{pad}{line}\n" if line else "\n" for line in value.lines)
        return f"<<-{marker}\n{body}{lay.unit * depth}{marker}"
    body = "".join(f"{line}\n" for line in value.lines)
    return f"<<{marker}\n{body}{marker}"


def attribute(lay: _Layout, attr: Attr, depth: int, width: int) -> str:
    """One attribute line (or lines), without its leading comments."""
    name = attr.name.ljust(width)
    if lay.chance(lay.density / 2):
        name = f"{attr.name} {lay.inline()}".ljust(width)
    if isinstance(attr.value, H):
        return f"{name} ={lay.maybe_inline()} {heredoc(lay, attr.value, depth)}\n"
    return f"{name} ={lay.maybe_inline()} {expr(lay, attr.value, depth)}{lay.trailing()}\n"


def header(lay: _Layout, block: Block) -> str:
    parts = [block.type]
    bare = lay.chance(0.1)
    for label in block.labels:
        parts.append(lay.maybe_inline().strip() or None)
        parts.append(label if bare and IDENT.match(label) else q(label))
    return " ".join(p for p in parts if p)


def block(lay: _Layout, b: Block, depth: int) -> str:
    pad = lay.unit * depth
    inner = lay.unit * (depth + 1)
    head = header(lay, b) + lay.maybe_inline()
    attrs = [item for item in b.body if isinstance(item, Attr)]
    one_line_ok = len(b.body) == len(attrs) <= 1 and all(single_line(a.value) for a in attrs)
    if one_line_ok and lay.chance(0.4):
        if not b.body:
            return f"{head} {{}}"
        a = b.body[0]
        return f"{head} {{{lay.maybe_inline()} {a.name} = {expr(lay, a.value, depth)}{lay.maybe_inline()} }}"
    out = f"{head} {{{lay.trailing()}\n"
    align = lay.chance(0.7)
    # terraform fmt aligns `=` over a run of attributes; a run ends at a block or a blank line
    runs: list[list] = []
    for item in b.body:
        if not runs or isinstance(item, Block) or isinstance(runs[-1][-1], Block) or lay.chance(0.15):
            runs.append([])
        runs[-1].append(item)
    for index, run in enumerate(runs):
        width = max((len(a.name) for a in run if isinstance(a, Attr)), default=0) if align else 0
        if index and lay.chance(0.85):
            out += "\n"
        for item in run:
            out += lay.comments_above(inner)
            if isinstance(item, Attr):
                out += inner + attribute(lay, item, depth + 1, width)
            else:
                out += inner + block(lay, item, depth + 1) + "\n"
    out += lay.comments_above(inner)
    return out + pad + "}" + lay.trailing()


def render(draw, blocks: list[Block], counter: list[int]) -> tuple[str, list[str]]:
    """A file holding ``blocks``, in a random layout, with the comment tags it wrote."""
    lay = _Layout(draw, counter)
    out = lay.comments_above("")
    for index, b in enumerate(blocks):
        if index:
            out += draw(st.sampled_from(["\n", "\n", "\n\n", ""]))
        out += lay.comments_above("")
        out += block(lay, b, 0) + "\n"
    out += lay.comments_above("")
    if lay.chance(0.1):
        out = out.rstrip("\n")  # no final newline (a line comment may end the file)
    if lay.chance(0.3):
        out = out.replace("\n", "\r\n")
    return out, lay.tags


# --- policies in every form -------------------------------------------------------------


def _hcl_value(value):
    if isinstance(value, str):
        return q(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return L([_hcl_value(v) for v in value])
    if isinstance(value, dict):
        return O([(k if IDENT.match(k) else q(k), _hcl_value(v)) for k, v in value.items()])
    return str(value)


def policy(draw, statements: list[dict], doc_name: str):
    """A policy document in one of the forms tffix reads: (value, extra blocks)."""
    document = {"Version": "2012-10-17", "Statement": statements}
    form = draw(st.sampled_from(["jsonencode", "heredoc", "document"]))
    if form == "jsonencode":
        return Call("jsonencode", [_hcl_value(document)]), []
    if form == "heredoc":
        indent = draw(st.sampled_from([2, 4]))
        return H(json.dumps(document, indent=indent).split("\n")), []
    body = []
    for s in statements:
        items = []
        if "Sid" in s:
            items.append(Attr("sid", q(s["Sid"])))
        if s.get("Effect", "Allow") != "Allow" or draw(st.booleans()):
            items.append(Attr("effect", q(s.get("Effect", "Allow"))))
        actions = s["Action"] if isinstance(s["Action"], list) else [s["Action"]]
        items.append(Attr("actions", L([q(a) for a in actions])))
        resources = s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]]
        items.append(Attr("resources", L([q(r) for r in resources])))
        principal = s.get("Principal")
        if isinstance(principal, dict):
            for kind, ids in principal.items():
                ids = ids if isinstance(ids, list) else [ids]
                items.append(
                    Block(
                        "principals", [], [Attr("type", q(kind)), Attr("identifiers", L([q(i) for i in ids]))]
                    )
                )
        elif principal == "*":
            items.append(Block("principals", [], [Attr("type", q("*")), Attr("identifiers", L([q("*")]))]))
        for test, conditions in s.get("Condition", {}).items():
            for variable, values in conditions.items():
                values = values if isinstance(values, list) else [values]
                items.append(
                    Block(
                        "condition",
                        [],
                        [
                            Attr("test", q(test)),
                            Attr("variable", q(variable)),
                            Attr("values", L([q(v) for v in values])),
                        ],
                    )
                )
        body.append(Block("statement", [], items))
    if len(body) > 1 and draw(st.booleans()):
        # the first statement comes from a source document (source_policy_documents)
        source = Block("data", ["aws_iam_policy_document", f"{doc_name}_base"], body[:1])
        main = [
            Attr("source_policy_documents", L([f"data.aws_iam_policy_document.{doc_name}_base.json"])),
            *body[1:],
        ]
        return f"data.aws_iam_policy_document.{doc_name}.json", [
            source,
            Block("data", ["aws_iam_policy_document", doc_name], main),
        ]
    return f"data.aws_iam_policy_document.{doc_name}.json", [
        Block("data", ["aws_iam_policy_document", doc_name], body)
    ]


ROOT = {
    "Sid": "Enable IAM User Permissions",
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
    "Action": "kms:*",
    "Resource": "*",
}
READER = {
    "Sid": "AllowReaders",
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::111122223333:role/reader"},
    "Action": "s3:GetObject",
    "Resource": "arn:aws:s3:::reader/*",
}
DENY = {
    "Sid": "DenyInsecureTransport",
    "Effect": "Deny",
    "Principal": "*",
    "Action": "s3:*",
    "Resource": ["arn:aws:s3:::x", "arn:aws:s3:::x/*"],
    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
}

# --- names --------------------------------------------------------------------------------

NAMES = ["logs", "main", "this", "my-logs", "_x", "a_b-c", "l0g5", "trail", "k"]
# Valid labels a rule may meet on blocks nothing references.
ODD_LABELS = ["with space", "ünïcode", "dots.in.it", "x-1", "", 'quote\\"d']


_POOLS = [NAMES]  # the last one is in use: a companion scenario draws its own names


def names(draw, count: int) -> list[str]:
    return draw(st.lists(st.sampled_from(_POOLS[-1]), min_size=count, max_size=count, unique=True))


def _key(block: Block) -> tuple:
    """What two blocks must not share: the address they declare (a local's name for ``locals``)."""
    if block.type == "locals":
        return ("locals", *sorted(a.name for a in block.body if isinstance(a, Attr)))
    return (block.type, *block.labels)


def _with_companion(draw, scenario: Scenario, code: str) -> Scenario:
    """Another rule's pattern beside this one (rules meet each other's fixes: TFX006's statements
    can make the cycle TFX010 breaks), with its own names; a block it shares with this one is
    left out.  Only this rule's findings are expected."""
    other = draw(st.sampled_from([c for c in SCENARIOS if c != code]))
    _POOLS.append([f"{name}2" for name in NAMES])
    try:
        companion = SCENARIOS[other](draw)
    finally:
        _POOLS.pop()
    taken = {_key(b) for b in scenario.blocks}
    scenario.blocks += [b for b in companion.blocks if _key(b) not in taken]
    for path, blocks in companion.context.items():
        mine = scenario.context.setdefault(path, [])
        mine += [b for b in blocks if _key(b) not in {_key(m) for m in mine}]
    scenario.lock = scenario.lock or companion.lock
    return scenario


def decoys(draw) -> list[Block]:
    """Unrelated blocks: variables, locals with templates and directives, heredocs, odd labels."""
    out = []
    for kind in draw(
        st.lists(
            st.sampled_from(["var", "locals", "heredoc", "odd", "output", "dynamic"]), max_size=4, unique=True
        )
    ):
        if kind == "var":
            out.append(
                Block(
                    "variable",
                    ["decoy_items"],
                    [Attr("type", "list(string)"), Attr("default", L(['"a"', '"b"']))],
                )
            )
        elif kind == "locals":
            out.append(
                Block(
                    "locals",
                    [],
                    [
                        Attr("decoy_csv", q("%{ for s in [1, 2] }${s},%{ endfor }")),
                        Attr("decoy_if", q("%{ if true }yes%{ else }no%{ endif } ~ 50%")),
                    ],
                )
            )
        elif kind == "heredoc":
            out.append(
                Block(
                    "resource",
                    ["aws_instance", "decoy"],
                    [
                        Attr("ami", q("ami-1")),
                        Attr(
                            "user_data",
                            H(["#!/bin/sh", "echo ${1 + 1} %{ if true }x%{ endif }", "/* not a comment */"]),
                        ),
                    ],
                )
            )
        elif kind == "odd":
            label = draw(st.sampled_from(ODD_LABELS))
            out.append(Block("resource", ["terraform_data", label], [Attr("input", q("odd"))]))
        elif kind == "output":
            out.append(Block("output", ["decoy"], [Attr("value", O([("a", "1"), ("b", L(['"x"']))]))]))
        elif kind == "dynamic":
            out.append(
                Block(
                    "resource",
                    ["aws_security_group", "decoy"],
                    [
                        Attr("name", q("decoy")),
                        Block(
                            "dynamic",
                            ["ingress"],
                            [
                                Attr("for_each", L(["80", "443"])),
                                Block(
                                    "content",
                                    [],
                                    [Attr("from_port", "ingress.value"), Attr("to_port", "ingress.value")],
                                ),
                            ],
                        ),
                    ],
                )
            )
    return out


# --- the rules' scenarios -----------------------------------------------------------------


@dataclass
class Scenario:
    blocks: list[Block]
    expect: tuple[str, ...] = ()
    lock: str | None = None
    context: dict[str, list[Block]] = field(default_factory=dict)
    target: str = "terraform"


def tfx001(draw) -> Scenario:
    keys = draw(
        st.lists(
            st.sampled_from(["us-east-1", "eu-west-1", "ap-south-1", "us_east_1", "1prod"]),
            min_size=1,
            max_size=3,
            unique=True,
        )
    )
    form = draw(st.sampled_from(["toset", "list-var", "map", "local-map", "unknown"]))
    blocks = []
    if form == "toset":
        keys_expr = Call("toset", [L([q(k) for k in keys])])
    elif form == "list-var":
        blocks.append(
            Block(
                "variable",
                ["regions"],
                [
                    Attr("type", draw(st.sampled_from(["list(string)", "set(string)"]))),
                    Attr("default", L([q(k) for k in keys])),
                ],
            )
        )
        keys_expr = draw(st.sampled_from(["toset(var.regions)", "var.regions"]))
        if keys_expr == "var.regions":
            blocks[-1].body[0] = Attr("type", "set(string)")
    elif form in ("map", "local-map"):
        keys_expr = O([(k if IDENT.match(k) else q(k), q(f"arn:aws:iam::1:role/{k}")) for k in keys])
        if form == "local-map":
            blocks.append(Block("locals", [], [Attr("accounts", keys_expr)]))
            keys_expr = "local.accounts"
    else:
        blocks.append(Block("variable", ["regions"], [Attr("type", "set(string)")]))
        keys_expr = "var.regions"
    is_map = form in ("map", "local-map")
    # over a set, each.value is each.key: either may name the instance
    key = "each.key" if is_map or draw(st.booleans()) else "each.value"
    alias = draw(st.sampled_from([None, None, "region", "by_key"]))
    provider_body = [Attr("for_each", keys_expr)]
    if alias:
        provider_body.insert(draw(st.integers(0, 1)), Attr("alias", q(alias)))
    if is_map:
        provider_body += [
            Attr("region", q("eu-west-1")),
            Block(
                "assume_role", [], [Attr("role_arn", "each.value"), Attr("session_name", q("tf-${each.key}"))]
            ),
        ]
    else:
        provider_body.append(Attr("region", key))
    if draw(st.booleans()):
        provider_body.append(Block("default_tags", [], [Attr("tags", O([("Region", "each.key")]))]))
    blocks.append(Block("provider", ["aws"], provider_body))

    unaliased = []

    def select(instance: str) -> str:
        if alias and draw(st.booleans()):
            return f"aws.{alias}[{instance}]"
        unaliased.append(instance)
        return f"aws[{instance}]"

    context = {}
    if draw(st.booleans()):
        blocks.append(
            Block(
                "module",
                ["kms"],
                [
                    Attr("source", q("./modules/kms")),
                    Attr("for_each", keys_expr),
                    Attr("providers", O([("aws", select(key))])),
                ],
            )
        )
        context["modules/kms/main.tf"] = [Block("output", ["key_arn"], [Attr("value", q("arn"))])]
        use = draw(st.sampled_from(["none", "for", "values", "depends_on", "instance"]))
        if use == "for":
            blocks.append(
                Block(
                    "output",
                    ["key_arns"],
                    [Attr("value", "{ for region, m in module.kms : region => m.key_arn }")],
                )
            )
        elif use == "values":
            blocks.append(Block("output", ["key_arns"], [Attr("value", "values(module.kms)[*].key_arn")]))
        elif use == "depends_on":
            blocks.append(
                Block("resource", ["null_resource", "after"], [Attr("depends_on", L(["module.kms"]))])
            )
        elif use == "instance":
            blocks.append(Block("output", ["first"], [Attr("value", f"module.kms[{q(keys[0])}].key_arn")]))
    if draw(st.booleans()):
        blocks.append(
            Block(
                "resource",
                ["aws_s3_bucket", "regional"],
                [
                    Attr("for_each", keys_expr),
                    Attr("provider", select(key)),
                    Attr("bucket", q("b-${each.key}")),
                ],
            )
        )
    if draw(st.booleans()):
        blocks.append(
            Block(
                "resource",
                ["aws_acm_certificate", "cdn"],
                [Attr("provider", select(q(keys[0]))), Attr("domain_name", q("example.com"))],
            )
        )
    target = draw(st.sampled_from(["terraform", "terraform", "opentofu"]))
    # OpenTofu accepts an aliased provider with for_each, and selections through its alias
    accepted = target == "opentofu" and alias and not unaliased
    return Scenario(blocks, () if accepted else ("TFX001",), context=context, target=target)


def tfx002(draw) -> Scenario:
    blocks = []
    expect = []
    for index in range(draw(st.integers(1, 3))):
        kind = draw(
            st.sampled_from(
                ["bucket", "literal", "template", "directive", "firehose", "cloudwatch", "variable", "right"]
            )
        )
        body = []
        if kind == "bucket":
            blocks.append(
                Block("resource", ["aws_s3_bucket", f"flow{index}"], [Attr("bucket", q(f"flow-{index}"))])
            )
            value = f"aws_s3_bucket.flow{index}.arn"
        elif kind == "literal":
            value = q(f"arn:aws:s3:::flow-{index}")
        elif kind == "template":
            value = q("arn:${data.aws_partition.current.partition}:s3:::${var.bucket}")
            if not any(b.labels == ["bucket"] for b in blocks):
                blocks += [Block("variable", ["bucket"]), Block("data", ["aws_partition", "current"])]
        elif kind == "directive":
            value = q("%{ if true }arn:aws:s3:::b%{ else }x%{ endif }")
        elif kind == "firehose":
            blocks.append(
                Block(
                    "resource", ["aws_kinesis_firehose_delivery_stream", f"f{index}"], [Attr("name", q("f"))]
                )
            )
            value = f"aws_kinesis_firehose_delivery_stream.f{index}.arn"
        elif kind == "cloudwatch":
            blocks.append(
                Block("resource", ["aws_cloudwatch_log_group", f"g{index}"], [Attr("name", q("g"))])
            )
            value = f"aws_cloudwatch_log_group.g{index}.arn"
        else:
            if not any(b.labels == ["destination"] for b in blocks):
                blocks.append(Block("variable", ["destination"], [Attr("type", "string")]))
            value = "var.destination"
        if kind == "right":
            body.append(Attr("log_destination", q("arn:aws:s3:::right")))
            body.append(Attr("log_destination_type", q("s3")))
        else:
            body.append(Attr("log_destination_arn", value))
            expect.append("TFX002")
            extra = draw(st.sampled_from(["none", "type", "both-same", "both-other"]))
            if extra == "type":
                body.append(Attr("log_destination_type", q("s3")))
            elif extra == "both-same":
                body.append(Attr("log_destination", value))
            elif extra == "both-other":
                body.append(Attr("log_destination", q("arn:aws:s3:::other")))
        body += [Attr("traffic_type", q("ALL")), Attr("vpc_id", q("vpc-1"))]
        if draw(st.integers(0, 4)) == 0:
            body.append(Attr("count", "1"))
        body = draw(st.permutations(body))
        blocks.append(Block("resource", ["aws_flow_log", f"vpc{index}"], list(body)))
    return Scenario(blocks, tuple(dict.fromkeys(expect)))


def tfx003(draw) -> Scenario:
    key, trail = names(draw, 2)
    blocks = []
    form = draw(st.sampled_from(["policy", "policy", "none", "unreadable", "compliant", "key-policy"]))
    key_body = [Attr("description", q("CloudTrail logs"))]
    statements = [dict(ROOT)] + (
        [dict(READER, Resource="*", Action="kms:Decrypt")] if draw(st.booleans()) else []
    )
    if form == "compliant":
        statements.append(
            {
                "Sid": "CloudTrail",
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": ["kms:GenerateDataKey*", "kms:DescribeKey"],
                "Resource": "*",
            }
        )
    if form in ("policy", "compliant"):
        value, extra = policy(draw, statements, f"{key}_doc")
        key_body.append(Attr("policy", value))
        blocks += extra
    elif form == "unreadable":
        blocks.append(Block("variable", ["key_policy"], [Attr("type", "string")]))
        key_body.append(Attr("policy", "var.key_policy"))
    elif form == "key-policy":
        value, extra = policy(draw, statements, f"{key}_doc")
        blocks += extra
        blocks.append(
            Block(
                "resource",
                ["aws_kms_key_policy", key],
                [Attr("key_id", f"aws_kms_key.{key}.id"), Attr("policy", value)],
            )
        )
    blocks.append(Block("resource", ["aws_kms_key", key], key_body))
    via = draw(st.sampled_from(["arn", "key_id", "id", "alias", "local"]))
    if via == "alias":
        blocks.append(
            Block(
                "resource",
                ["aws_kms_alias", key],
                [Attr("name", q(f"alias/{key}")), Attr("target_key_id", f"aws_kms_key.{key}.key_id")],
            )
        )
        kms = f"aws_kms_alias.{key}.arn"
    elif via == "local":
        blocks.append(Block("locals", [], [Attr("trail_key", f"aws_kms_key.{key}.arn")]))
        kms = "local.trail_key"
    else:
        kms = f"aws_kms_key.{key}.{via}"
    blocks.append(
        Block(
            "resource",
            ["aws_cloudtrail", trail],
            [Attr("name", q(trail)), Attr("s3_bucket_name", q("my-trail-logs")), Attr("kms_key_id", kms)],
        )
    )
    expect = () if form == "compliant" else ("TFX003",)
    return Scenario(blocks, expect)


def tfx004(draw) -> Scenario:
    bucket, other = names(draw, 2)
    blocks = [Block("resource", ["aws_s3_bucket", bucket], [Attr("bucket", q("example-site"))])]
    ref = draw(st.sampled_from(["id", "bucket", "literal"]))
    subject = q("example-site") if ref == "literal" else f"aws_s3_bucket.{bucket}.{ref}"
    form = draw(st.sampled_from(["public", "replication", "flow-log", "ordered"]))
    if form in ("public", "ordered"):
        blocks.append(
            Block(
                "resource",
                ["aws_s3_bucket_public_access_block", bucket],
                [Attr("bucket", f"aws_s3_bucket.{bucket}.id"), Attr("block_public_policy", "false")],
            )
        )
        body = [Attr("bucket", subject), Attr("policy", q("{}"))]
        if form == "ordered":
            body.append(Attr("depends_on", L([f"aws_s3_bucket_public_access_block.{bucket}"])))
        blocks.append(Block("resource", ["aws_s3_bucket_policy", bucket], body))
        return Scenario(blocks, ("TFX004",) if form == "public" else ())
    if form == "replication":
        blocks.append(Block("resource", ["aws_s3_bucket", other], [Attr("bucket", q("dst"))]))
        for b in (bucket, other):
            blocks.append(
                Block(
                    "resource",
                    ["aws_s3_bucket_versioning", b],
                    [
                        Attr("bucket", f"aws_s3_bucket.{b}.id"),
                        Block("versioning_configuration", [], [Attr("status", q("Enabled"))]),
                    ],
                )
            )
        blocks.append(
            Block(
                "resource",
                ["aws_s3_bucket_replication_configuration", "r"],
                [
                    Attr("role", q("arn:aws:iam::1:role/r")),
                    Attr("bucket", subject),
                    Block(
                        "rule",
                        [],
                        [
                            Attr("id", q("all")),
                            Attr("status", q("Enabled")),
                            Block("destination", [], [Attr("bucket", f"aws_s3_bucket.{other}.arn")]),
                        ],
                    ),
                ],
            )
        )
        return Scenario(blocks, ("TFX004",))
    blocks.append(
        Block(
            "resource", ["aws_s3_bucket_policy", bucket], [Attr("bucket", subject), Attr("policy", q("{}"))]
        )
    )
    blocks.append(
        Block(
            "resource",
            ["aws_flow_log", other],
            [
                Attr("log_destination", f"aws_s3_bucket.{bucket}.arn"),
                Attr("log_destination_type", q("s3")),
                Attr("traffic_type", q("ALL")),
                Attr("vpc_id", q("vpc-1")),
            ],
        )
    )
    return Scenario(blocks, ("TFX004",))


DELETION = [
    (
        "aws_rds_cluster",
        "deletion_protection",
        [Attr("cluster_identifier", q("app")), Attr("engine", q("aurora-postgresql"))],
    ),
    ("aws_db_instance", "deletion_protection", [Attr("instance_class", q("db.t3.micro"))]),
    ("aws_lb", "enable_deletion_protection", [Attr("name", q("web"))]),
    ("aws_alb", "enable_deletion_protection", [Attr("name", q("web"))]),
    ("aws_dynamodb_table", "deletion_protection_enabled", [Attr("name", q("t")), Attr("hash_key", q("id"))]),
    ("aws_neptune_cluster", "deletion_protection", []),
    ("aws_docdb_cluster", "deletion_protection", []),
]


def tfx005(draw) -> Scenario:
    blocks, expect = [], []
    for index in range(draw(st.integers(1, 3))):
        kind, argument, rest = draw(st.sampled_from(DELETION))
        value = draw(st.sampled_from(["true", "true", "false", "var.protect"]))
        body = list(rest) + [Attr(argument, value)]
        if draw(st.integers(0, 4)) == 0:
            body.insert(0, Attr(*draw(st.sampled_from([("count", "1"), ("for_each", 'toset(["a"])')]))))
        if kind in ("aws_rds_cluster", "aws_db_instance", "aws_neptune_cluster", "aws_docdb_cluster"):
            body.append(Attr("skip_final_snapshot", "true"))
        if value == "var.protect" and not any(b.labels == ["protect"] for b in blocks):
            blocks.append(Block("variable", ["protect"], [Attr("type", "bool")]))
        if value == "true":
            expect.append("TFX005")
        blocks.append(Block("resource", [kind, f"r{index}"], list(draw(st.permutations(body)))))
    return Scenario(blocks, tuple(dict.fromkeys(expect)))


def _trail_statements(bucket_arn: str, prefix: str) -> list[dict]:
    path = f"{prefix}/" if prefix else ""
    return [
        {
            "Sid": "AWSCloudTrailAclCheck",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "s3:GetBucketAcl",
            "Resource": bucket_arn,
        },
        {
            "Sid": "AWSCloudTrailWrite",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": f"{bucket_arn}/{path}AWSLogs/111122223333/*",
            "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}},
        },
    ]


def tfx006(draw) -> Scenario:
    bucket, trail = names(draw, 2)
    blocks = [Block("resource", ["aws_s3_bucket", bucket], [Attr("bucket", q("my-trail-logs"))])]
    prefix = draw(st.sampled_from(["", "audit", "logs/"]))
    form = draw(
        st.sampled_from(
            ["none", "bucket-policy", "bucket-policy", "own-policy", "unreadable", "any-trail", "count"]
        )
    )
    statements = [
        dict(DENY, Resource=[f"${{aws_s3_bucket.{bucket}.arn}}", f"${{aws_s3_bucket.{bucket}.arn}}/*"])
    ]
    if form == "any-trail":
        statements += _trail_statements("arn:aws:s3:::my-trail-logs", prefix)
    if form in ("bucket-policy", "any-trail"):
        value, extra = policy(draw, statements, f"{bucket}_doc")
        blocks += extra
        blocks.append(
            Block(
                "resource",
                ["aws_s3_bucket_policy", bucket],
                [Attr("bucket", f"aws_s3_bucket.{bucket}.id"), Attr("policy", value)],
            )
        )
    elif form == "own-policy":
        value, extra = policy(draw, [dict(READER)], f"{bucket}_doc")
        blocks += extra
        blocks[0].body.append(Attr("policy", value))
    elif form == "unreadable":
        blocks.append(Block("variable", ["bucket_policy"], [Attr("type", "string")]))
        blocks.append(
            Block(
                "resource",
                ["aws_s3_bucket_policy", bucket],
                [Attr("bucket", f"aws_s3_bucket.{bucket}.id"), Attr("policy", "var.bucket_policy")],
            )
        )
    via = draw(st.sampled_from(["id", "bucket", "literal", "local"]))
    if via == "literal":
        name = q("my-trail-logs")
    elif via == "local":
        blocks.append(Block("locals", [], [Attr("trail_bucket", f"aws_s3_bucket.{bucket}.id")]))
        name = "local.trail_bucket"
    else:
        name = f"aws_s3_bucket.{bucket}.{via}"
    body = [Attr("name", q(trail)), Attr("s3_bucket_name", name)]
    if prefix:
        body.append(Attr("s3_key_prefix", q(prefix)))
    if form == "count":
        body.insert(0, Attr("count", "1"))
    if draw(st.booleans()):
        body.append(Attr("enable_log_file_validation", "true"))
    blocks.append(Block("resource", ["aws_cloudtrail", trail], body))
    return Scenario(blocks, () if form == "count" else ("TFX006",))


def tfx007(draw) -> Scenario:
    bucket, lb = names(draw, 2)
    blocks = []
    region = draw(st.sampled_from(["eu-west-1", "ap-southeast-2", "ap-southeast-4", "var", "none"]))
    if region == "var":
        blocks.append(Block("variable", ["region"], [Attr("default", q("us-east-1"))]))
        blocks.append(Block("provider", ["aws"], [Attr("region", "var.region")]))
    elif region != "none":
        blocks.append(Block("provider", ["aws"], [Attr("region", q(region))]))
    blocks.append(Block("resource", ["aws_s3_bucket", bucket], [Attr("bucket", q("my-alb-logs"))]))
    form = draw(st.sampled_from(["none", "bucket-policy", "unreadable"]))
    if form == "bucket-policy":
        value, extra = policy(
            draw, [dict(READER, Resource=f"${{aws_s3_bucket.{bucket}.arn}}/*")], f"{bucket}_doc"
        )
        blocks += extra
        blocks.append(
            Block(
                "resource",
                ["aws_s3_bucket_policy", bucket],
                [Attr("bucket", f"aws_s3_bucket.{bucket}.id"), Attr("policy", value)],
            )
        )
    elif form == "unreadable":
        blocks.append(Block("variable", ["bucket_policy"], [Attr("type", "string")]))
        blocks.append(
            Block(
                "resource",
                ["aws_s3_bucket_policy", bucket],
                [Attr("bucket", f"aws_s3_bucket.{bucket}.id"), Attr("policy", "var.bucket_policy")],
            )
        )
    kind = draw(st.sampled_from(["application", "default", "network"]))
    logs = [Attr("bucket", f"aws_s3_bucket.{bucket}.{draw(st.sampled_from(['id', 'bucket']))}")]
    prefix = draw(st.sampled_from(["", "web", "api/"]))
    if prefix:
        logs.append(Attr("prefix", q(prefix)))
    logs.append(Attr("enabled", "true"))
    body = [Attr("name", q("web")), Attr("subnets", L(['"subnet-0123"', '"subnet-4567"']))]
    if kind != "default":
        body.append(Attr("load_balancer_type", q(kind)))
    body.append(Block("access_logs", [], list(draw(st.permutations(logs)))))
    blocks.append(Block("resource", [draw(st.sampled_from(["aws_lb", "aws_alb"])), lb], body))
    return Scenario(blocks, () if kind == "network" else ("TFX007",))


SFN_ACTIONS = list(LOG_DELIVERY)


def tfx008(draw) -> Scenario:
    role, machine = names(draw, 2)
    blocks = [
        Block(
            "resource",
            ["aws_iam_role", role],
            [Attr("name", q("orders")), Attr("assume_role_policy", q("{}"))],
        )
    ]
    form = draw(st.sampled_from(["none", "role-policy", "inline", "granted"]))
    if form in ("role-policy", "granted"):
        actions = ["lambda:InvokeFunction"] + (
            SFN_ACTIONS if form == "granted" else ["logs:DescribeLogGroups"]
        )
        value, extra = policy(draw, [{"Effect": "Allow", "Action": actions, "Resource": "*"}], f"{role}_doc")
        blocks += extra
        blocks.append(
            Block(
                "resource",
                ["aws_iam_role_policy", role],
                [Attr("role", f"aws_iam_role.{role}.id"), Attr("policy", value)],
            )
        )
    elif form == "inline":
        value, extra = policy(
            draw, [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}], f"{role}_doc"
        )
        blocks += extra
        blocks[0].body.append(Block("inline_policy", [], [Attr("name", q("inline")), Attr("policy", value)]))
    level = draw(st.sampled_from(["ERROR", "ALL", "FATAL", "OFF"]))
    via = draw(st.sampled_from(["direct", "local"]))
    if via == "local":
        blocks.append(Block("locals", [], [Attr("role", f"aws_iam_role.{role}.arn")]))
    blocks.append(
        Block(
            "resource",
            ["aws_sfn_state_machine", machine],
            [
                Attr("name", q("orders")),
                Attr("role_arn", "local.role" if via == "local" else f"aws_iam_role.{role}.arn"),
                Attr("definition", q("{}")),
                Block(
                    "logging_configuration",
                    [],
                    [
                        Attr(
                            "log_destination",
                            q("arn:aws:logs:eu-west-1:111122223333:log-group:/aws/states/o:*"),
                        ),
                        Attr("include_execution_data", "true"),
                        Attr("level", q(level)),
                    ],
                ),
            ],
        )
    )
    return Scenario(blocks, () if level == "OFF" or form == "granted" else ("TFX008",))


WILDCARDS = [
    ("AWS::S3::Object", "arn:aws:s3:::*/*", True),
    ("AWS::S3::Object", "arn:aws:s3:::*", True),
    ("AWS::S3::Object", "arn:aws-us-gov:s3:::*/*", True),
    ("AWS::S3::Object", "arn:${data.aws_partition.current.partition}:s3:::*/*", True),
    ("AWS::S3::Object", "arn:aws:s3:::bucket/", False),
    ("AWS::S3::Object", "arn:aws:s3", False),
    ("AWS::DynamoDB::Table", "arn:aws:dynamodb:*:*:table/*", True),
    ("AWS::Lambda::Function", "arn:aws:lambda:*:*:function:*", True),
    ("AWS::Lambda::Function", "arn:aws:lambda:us-east-1:111122223333:function:f", False),
]


def tfx009(draw) -> Scenario:
    blocks = [Block("data", ["aws_partition", "current"])]
    selectors, expect = [], False
    for _ in range(draw(st.integers(1, 2))):
        resources = []
        for _ in range(draw(st.integers(1, 2))):
            kind = draw(st.sampled_from(sorted({w[0] for w in WILDCARDS})))
            values = draw(
                st.lists(
                    st.sampled_from([w for w in WILDCARDS if w[0] == kind]),
                    min_size=1,
                    max_size=3,
                    unique=True,
                )
            )
            expect = expect or any(w[2] for w in values)
            resources.append(
                Block(
                    "data_resource", [], [Attr("type", q(kind)), Attr("values", L([q(w[1]) for w in values]))]
                )
            )
        selectors.append(
            Block(
                "event_selector",
                [],
                [Attr("read_write_type", q("All")), Attr("include_management_events", "true"), *resources],
            )
        )
    blocks.append(
        Block(
            "resource",
            ["aws_cloudtrail", "main"],
            [Attr("name", q("main")), Attr("s3_bucket_name", q("logs")), *selectors],
        )
    )
    return Scenario(blocks, ("TFX009",) if expect else ())


def tfx010(draw) -> Scenario:
    key, endpoint = names(draw, 2)
    doc = Block(
        "data",
        ["aws_iam_policy_document", key],
        [
            Block(
                "statement",
                [],
                [
                    Attr("actions", L(['"kms:*"'])),
                    Attr("resources", L(['"*"'])),
                    Block("principals", [], [Attr("type", q("AWS")), Attr("identifiers", L(['"*"']))]),
                    Block(
                        "condition",
                        [],
                        [
                            Attr("test", q("StringEquals")),
                            Attr("variable", q("aws:SourceVpce")),
                            Attr("values", L([f"aws_vpc_endpoint.{endpoint}.id"])),
                        ],
                    ),
                ],
            )
        ],
    )
    statement = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": "kms:*",
        "Resource": f"${{aws_kms_key.{key}.arn}}",
    }
    form = draw(st.sampled_from(["jsonencode", "heredoc"]))
    if form == "jsonencode":
        value = Call(
            "jsonencode",
            [
                O(
                    [
                        (
                            "Statement",
                            L(
                                [
                                    O(
                                        [
                                            ("Effect", '"Allow"'),
                                            ("Principal", '"*"'),
                                            ("Action", '"kms:*"'),
                                            ("Resource", f"aws_kms_key.{key}.arn"),
                                        ]
                                    )
                                ]
                            ),
                        )
                    ]
                )
            ],
        )
    else:
        value = H(json.dumps({"Statement": [statement]}, indent=2).split("\n"))
    blocks = [
        Block(
            "resource",
            ["aws_kms_key", key],
            [Attr("description", q("secrets")), Attr("policy", f"data.aws_iam_policy_document.{key}.json")],
        ),
        doc,
        Block(
            "resource",
            ["aws_vpc_endpoint", endpoint],
            [
                Attr("vpc_id", q("vpc-1")),
                Attr("service_name", q("com.amazonaws.eu-west-1.kms")),
                Attr("policy", value),
            ],
        ),
    ]
    return Scenario(blocks, ("TFX010",))


LOCKS = [
    ("~> 5.0", "6.22.1", True),
    (">= 5.0", "6.22.1", False),
    ("< 2.0", "2.7.1", True),
    ("~> 3.1", "4.1.0", True),
    ("5.1.0", "5.2.0", True),
    (">= 4.0, < 5.0", "5.0.1", True),
]


def tfx011(draw) -> Scenario:
    providers = draw(st.lists(st.sampled_from(["aws", "random", "tls"]), min_size=1, max_size=3, unique=True))
    entries, lock, expect = [], [], False
    for name in providers:
        constraint, version, mismatch = draw(st.sampled_from(LOCKS))
        expect = expect or mismatch
        entries.append((name, constraint))
        lock.append(
            f'provider "registry.terraform.io/hashicorp/{name}" {{\n  version     = "{version}"\n'
            f'  constraints = "{version}"\n  hashes = [\n    "h1:2vKLf6sUEZYFTzmF6xZGGPl1u7ryVxHLk64fSt81P9M=",\n  ]\n}}\n'
        )
    required = []
    for name, constraint in entries:
        if draw(st.booleans()):
            required.append(Attr(name, O([("source", q(f"hashicorp/{name}")), ("version", q(constraint))])))
        else:
            required.append(Attr(name, q(constraint)))
    body = [Block("required_providers", [], required)]
    if draw(st.booleans()):
        body.insert(0, Attr("required_version", q(">= 1.5")))
    lock_text = '# This file is maintained automatically by "terraform init".\n\n' + "\n".join(lock)
    return Scenario([Block("terraform", [], body)], ("TFX011",) if expect else (), lock=lock_text)


def tfx012(draw) -> Scenario:
    blocks = [
        Block("variable", ["name"], [Attr("type", "string")]),
        Block("locals", [], [Attr("tags", O([("Project", "var.name")]))]),
        Block("data", ["aws_caller_identity", "current"]),
        Block("resource", ["aws_s3_bucket", "logs"], [Attr("bucket", q("${var.name}-logs"))]),
    ]
    typos = draw(
        st.lists(
            st.sampled_from(
                [
                    ("var.nmae", "variable"),
                    ("local.tgas", "local"),
                    ("aws_s3_bukcet.logs.id", "resource"),
                    ("aws_s3_bucket.lgos.arn", "resource"),
                    ("data.aws_caller_identity.curent.account_id", "data"),
                    ("aws_caller_identity.current.account_id", "data prefix"),
                    ("module.ksm.key_arn", "module"),
                    ("module.kms.kye_id", "output"),
                    ("var.zzzzzzzz", "nothing near"),
                ]
            ),
            min_size=1,
            max_size=4,
            unique=True,
        )
    )
    context = {}
    if any(kind in ("module", "output") for _, kind in typos):
        blocks.append(Block("module", ["kms"], [Attr("source", q("./modules/kms"))]))
        context["modules/kms/main.tf"] = [
            Block("output", ["key_arn"], [Attr("value", q("a"))]),
            Block("output", ["key_id"], [Attr("value", q("b"))]),
        ]
    for index, (reference, _) in enumerate(typos):
        place = draw(st.sampled_from(["output", "template", "list"]))
        if place == "output":
            value = reference
        elif place == "template":
            value = q(f"x-${{{reference}}}")
        else:
            value = L([reference])
        blocks.append(Block("output", [f"o{index}"], [Attr("value", value)]))
    return Scenario(blocks, ("TFX012",), context=context)


SCENARIOS = {
    "TFX001": tfx001,
    "TFX002": tfx002,
    "TFX003": tfx003,
    "TFX004": tfx004,
    "TFX005": tfx005,
    "TFX006": tfx006,
    "TFX007": tfx007,
    "TFX008": tfx008,
    "TFX009": tfx009,
    "TFX010": tfx010,
    "TFX011": tfx011,
    "TFX012": tfx012,
}

FILES = ["main.tf", "other.tf", "z_last.tf"]


@st.composite
def modules(draw, code: str) -> Case:
    """A module holding rule ``code``'s pattern among decoys, in a random layout, checked to parse."""
    scenario = SCENARIOS[code](draw)
    if draw(st.integers(0, 2)) == 0:
        scenario = _with_companion(draw, scenario, code)
    blocks = scenario.blocks + decoys(draw)
    if draw(st.booleans()):
        blocks = list(draw(st.permutations(blocks)))
    spread = draw(st.integers(1, len(FILES)))
    by_file: dict[str, list[Block]] = {}
    for b in blocks:
        by_file.setdefault(FILES[draw(st.integers(0, spread - 1))], []).append(b)
    counter = [0]
    files, tags = {}, []
    for path, file_blocks in by_file.items():
        files[path], written = render(draw, file_blocks, counter)
        tags += written
    if scenario.lock is not None:
        files[".terraform.lock.hcl"] = scenario.lock
    context = {}
    for path, file_blocks in scenario.context.items():
        context[path], _ = render(draw, file_blocks, counter)
    for path, text in {**files, **context}.items():
        try:
            parse_module(text)
        except ParseError as error:  # the generator writes valid HCL, or fails here
            raise AssertionError(f"rulegen wrote invalid HCL in {path}: {error}\n{text}") from None
    unsafe = draw(st.sampled_from([True, True, False]))
    return Case(files, context, scenario.expect, scenario.target, unsafe, tuple(tags))
