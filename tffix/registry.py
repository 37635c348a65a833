"""Every rule, in code order: the one table `--list-rules`, `--select` and `--ignore` read.

A retired rule stays listed so that no code is ever reused.
"""

from __future__ import annotations

from collections.abc import Iterable

from tffix.rules import Rule
from tffix.transforms import (
    alb_log_bucket_policy,
    cloudtrail_bucket_policy,
    deletion_protection,
    depends_on,
    event_selector_arn,
    flow_log_destination,
    kms_cloudtrail_policy,
    lock_file_constraint,
    provider_for_each,
    reference_cycle,
    sfn_log_delivery,
    undefined_reference,
)


def _engine_rule(module):
    """Findings of this rule come from the engine, which sees the suppressions that were used."""
    return ()


# ruff's RUF100: a `tffix:ignore` comment (or one of its codes) that silenced nothing.  The engine
# reports these when asked to (`--report-unused-suppressions`).
UNUSED_SUPPRESSION = Rule(
    "TFX100",
    "unused-suppression",
    _engine_rule,
    summary="a tffix:ignore comment that silences nothing (--report-unused-suppressions)",
    doc="""TFX100 unused-suppression.

A ``# tffix:ignore`` comment (or one of the codes it names) that silenced no
finding: the rule it quiets no longer fires there, and the comment would hide
a finding that appears later.  Reported only with ``--report-unused-suppressions``
(ruff's RUF100), so a CI job can keep suppressions honest.  A code of a rule that
did not run in this invocation (not selected) is not reported.  No fix: remove
the comment or the code by hand.""",
)

RULES: tuple[Rule, ...] = (
    provider_for_each.RULE,
    flow_log_destination.RULE,
    kms_cloudtrail_policy.RULE,
    depends_on.RULE,
    deletion_protection.RULE,
    cloudtrail_bucket_policy.RULE,
    alb_log_bucket_policy.RULE,
    sfn_log_delivery.RULE,
    event_selector_arn.RULE,
    reference_cycle.RULE,
    lock_file_constraint.RULE,
    undefined_reference.RULE,
    UNUSED_SUPPRESSION,
)


class UnknownRule(ValueError):
    pass


def resolve(selectors: Iterable[str]) -> set[str]:
    """Codes named by codes, names, or code prefixes (``TFX00``), case-insensitive."""
    codes: set[str] = set()
    for selector in selectors:
        selector = selector.strip()
        if not selector:
            continue
        if selector.upper() == "ALL":
            codes.update(rule.code for rule in RULES)
            continue
        matched = {
            rule.code
            for rule in RULES
            if rule.code.startswith(selector.upper()) or rule.name == selector.lower()
        }
        if not matched:
            raise UnknownRule(f"unknown rule selector: {selector!r}")
        codes |= matched
    return codes


def select(select: Iterable[str] | None = None, ignore: Iterable[str] = ()) -> list[Rule]:
    chosen = resolve(select) if select is not None else {rule.code for rule in RULES}
    chosen -= resolve(ignore)
    return [rule for rule in RULES if rule.code in chosen]
