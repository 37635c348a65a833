"""TFX010 reference-cycle: a cycle in the module's dependency graph, broken by moving an inline policy out.

Terraform orders resources, data sources and locals by their references and
``depends_on``; when they form a cycle, ``plan`` stops with "Error: Cycle:
aws_kms_key.primary, data.aws_iam_policy_document.kms, aws_vpc_endpoint.kms".
The real failure this rule was written from: a KMS key whose policy document
limits use to a VPC endpoint (``aws:SourceVpce = aws_vpc_endpoint.kms.id``) while
the endpoint's inline policy names the key (``aws_kms_key.primary.arn``).

A configuration with a cycle has never been applied, so the fix is safe: when
one edge of the cycle is the inline ``policy`` argument of a resource that has a
standalone policy resource (`tffix.aws.policy.STANDALONE`: the endpoint's
``aws_vpc_endpoint_policy``, the key's ``aws_kms_key_policy``, the bucket's
``aws_s3_bucket_policy``, ...), the policy moves there, written as it was.  The
resource then no longer waits for its policy; the new policy resource waits for
both, and the cycle is gone.  Among the candidate edges the rule takes the first
(by address) whose move leaves no cycle in that part of the graph.

Leaves alone, reporting the cycle as Terraform would name it: cycles with no such
policy edge (through ``depends_on`` and locals, say), and cycles through module
calls, which Terraform resolves through the child module's own inputs and
outputs (`tffix.semantic.graph`).
"""

from __future__ import annotations

from tffix.rules import Rule, finding, replace
from tffix.semantic import graph
from tffix.syntax import nodes as n


def check(module):
    model = module.model
    dependencies = graph.dependencies(model)
    for cycle in graph.cycles(dependencies):
        names = ", ".join(declaration.address for declaration in cycle)
        message = f'Cycle: {names} (terraform plan stops with "Error: Cycle")'
        move = _breaking_move(model, cycle)
        if move is None:
            first = cycle[0]
            if first.block is not None:
                node = first.block.type_token
            else:
                assert isinstance(first.node, n.Attribute), "a vertex without a block is a local"
                node = first.node.name
            yield finding(
                first.file,
                node,
                message + "; no inline policy on it can move to a standalone "
                "policy resource: break it by hand",
            )
            continue
        resource, (policy_type, link, attribute) = move
        file, block = resource.owner_of("policy")
        policy = block.attribute("policy")
        yield finding(
            file,
            policy.name,
            message + f"; move the inline policy of {resource.address} into an {policy_type}",
            fix=lambda: _move(resource, file, block, policy, policy_type, link, attribute),
        )


def _breaking_move(model, cycle):
    """The first resource on the cycle whose inline policy, moved out, leaves no cycle among its members."""
    from tffix.aws.policy import STANDALONE  # here: the policy code is needed only once there is a cycle

    members = set(cycle)
    component = _component_of(graph.dependencies(model), cycle[0])
    for resource in sorted(cycle, key=lambda d: d.address):
        standalone = STANDALONE.get(resource.type) if resource.kind == "resource" else None
        attr = resource.attribute("policy")
        if standalone is None or attr is None:
            continue
        moved = model.references_in(resource, attr)
        if not any(r.declaration in members for r in moved):
            continue
        after = graph.dependencies(model, without=tuple(moved))
        remaining = {d: after[d] & component for d in component}
        if not any(len(cycle) > 1 for cycle in graph.cycles(remaining)):
            return resource, standalone
    return None


def _component_of(dependencies, start) -> set:
    """The strongly connected part of the graph around ``start``."""
    forward, stack = {start}, [start]
    while stack:
        for target in dependencies[stack.pop()]:
            if target not in forward:
                forward.add(target)
                stack.append(target)
    return {node for node in forward if start in _reachable(dependencies, node)}


def _reachable(dependencies, start) -> set:
    seen, stack = set(), [start]
    while stack:
        for target in dependencies[stack.pop()]:
            if target not in seen:
                seen.add(target)
                stack.append(target)
    return seen


def _move(resource, file, block, policy, policy_type: str, link: str, attribute: str):
    """The resource without its inline policy, and a standalone policy resource holding it, after it."""
    from tffix.syntax import build, edit  # here: only a fix needs them (start-up time)

    standalone = build.Block(
        "resource",
        (policy_type, resource.name),
        items=[(link, build.ref(resource.type, resource.name, then=(attribute,)))],
    )
    new_block = edit.parse_snippet(standalone.text() + "\n").items[0]
    assert isinstance(new_block, n.Block), "build.Block writes a block"
    holder = edit.append_item(new_block, policy)
    without = edit.remove(block, policy)
    tree = file.tree.replace_descendant(block, without)
    tree = edit.insert_block(tree, holder.code.strip("\r\n"), after=without)
    return replace(file, file.tree, tree)


EXAMPLE = """\
resource "aws_kms_key" "primary" {
  description = "secrets"
  policy      = data.aws_iam_policy_document.kms.json
}

data "aws_iam_policy_document" "kms" {
  statement {
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceVpce"
      values   = [aws_vpc_endpoint.kms.id]
    }
  }
}

resource "aws_vpc_endpoint" "kms" {
  vpc_id       = "vpc-1"
  service_name = "com.amazonaws.eu-west-1.kms"
  policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "kms:*"
      Resource  = aws_kms_key.primary.arn
    }]
  })
}
"""

RULE = Rule(
    "TFX010",
    "reference-cycle",
    check,
    summary="break a reference cycle by moving an inline policy into its standalone policy resource",
    safe=True,
    doc=__doc__,
    example=EXAMPLE,
)
