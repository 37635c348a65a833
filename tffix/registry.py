"""Every rule, in code order: the one table `--list-rules`, `--select` and `--ignore` read.

A retired rule stays listed so that no code is ever reused.
"""
from __future__ import annotations

from collections.abc import Iterable

from tffix.rules import Rule
from tffix.transforms import (
    deletion_protection,
    depends_on,
    flow_log_destination,
    kms_cloudtrail_policy,
    lock_file_constraint,
    provider_for_each,
    undefined_reference,
)

RULES: tuple[Rule, ...] = (
    provider_for_each.RULE,
    flow_log_destination.RULE,
    kms_cloudtrail_policy.RULE,
    depends_on.RULE,
    deletion_protection.RULE,
    lock_file_constraint.RULE,
    undefined_reference.RULE,
)


class UnknownRule(ValueError):
    pass


def resolve(selectors: Iterable[str]) -> set[str]:
    """Codes named by codes, names, or code prefixes (``TFX00``), case-insensitive."""
    codes = set()
    for selector in selectors:
        selector = selector.strip()
        if not selector:
            continue
        if selector.upper() == "ALL":
            codes.update(rule.code for rule in RULES)
            continue
        matched = {rule.code for rule in RULES
                   if rule.code.startswith(selector.upper()) or rule.name == selector.lower()}
        if not matched:
            raise UnknownRule(f"unknown rule selector: {selector!r}")
        codes |= matched
    return codes


def select(select: Iterable[str] | None = None, ignore: Iterable[str] = ()) -> list[Rule]:
    chosen = resolve(select) if select is not None else {rule.code for rule in RULES}
    chosen -= resolve(ignore)
    return [rule for rule in RULES if rule.code in chosen]
