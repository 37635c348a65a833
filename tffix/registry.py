"""Every rule, in code order: the one table `--list-rules`, `--select` and `--ignore` read.

A retired rule stays listed so that no code is ever reused.

A rule's module is imported when the rule is first needed, not with this table (start-up
time: a run on a module with no CloudTrail never loads the CloudTrail rules, nor the policy
code they share).  The table holds what is needed before that: each rule's code, name, module
and ``needs`` (`tffix.rules.Rule.needs`), copied from the rule (tests/test_startup.py checks
the copy).  `select` returns stand-ins (`LazyRule`) that import their rule on first use;
``RULES``, the rules themselves, imports them all.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable

from tffix.rules import Rule
from tffix.semantic.module import LOCK_FILE

# code, name, module in tffix/transforms/, needs
_TABLE: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("TFX001", "provider-for-each", "provider_for_each", ("provider",)),
    ("TFX002", "flow-log-destination", "flow_log_destination", ("aws_flow_log",)),
    ("TFX003", "kms-cloudtrail-policy", "kms_cloudtrail_policy", ("aws_cloudtrail",)),
    (
        "TFX004",
        "depends-on",
        "depends_on",
        (
            "aws_s3_bucket_replication_configuration",
            "aws_s3_bucket_lifecycle_configuration",
            "aws_s3_bucket_policy",
            "aws_flow_log",
            "aws_cloudtrail",
            "aws_lb",
            "aws_alb",
            "aws_sfn_state_machine",
        ),
    ),
    (
        "TFX005",
        "deletion-protection",
        "deletion_protection",
        (
            "aws_lb",
            "aws_alb",
            "aws_db_instance",
            "aws_rds_cluster",
            "aws_neptune_cluster",
            "aws_docdb_cluster",
            "aws_dynamodb_table",
        ),
    ),
    ("TFX006", "cloudtrail-bucket-policy", "cloudtrail_bucket_policy", ("aws_cloudtrail",)),
    ("TFX007", "alb-log-bucket-policy", "alb_log_bucket_policy", ("aws_lb", "aws_alb")),
    ("TFX008", "sfn-log-delivery", "sfn_log_delivery", ("aws_sfn_state_machine",)),
    ("TFX009", "event-selector-arn", "event_selector_arn", ("aws_cloudtrail",)),
    ("TFX010", "reference-cycle", "reference_cycle", ()),
    ("TFX011", "lock-file-constraint", "lock_file_constraint", (LOCK_FILE,)),
    ("TFX012", "undefined-reference", "undefined_reference", ()),
)


class LazyRule:
    """A rule of the table before its module is imported: ``code``, ``name`` and ``needs`` are
    known; any other attribute imports the module and is the rule's own."""

    __slots__ = ("_rule", "code", "module", "name", "needs")

    def __init__(self, code: str, name: str, module: str, needs: tuple[str, ...]):
        self.code = code
        self.name = name
        self.module = module
        self.needs = needs
        self._rule: Rule | None = None

    def load(self) -> Rule:
        if self._rule is None:
            self._rule = importlib.import_module(f"tffix.transforms.{self.module}").RULE
        return self._rule

    def __getattr__(self, attribute: str):
        if attribute.startswith("_"):  # not the rule's: copy and pickle probe these
            raise AttributeError(attribute)
        return getattr(self.load(), attribute)

    def __repr__(self) -> str:
        return f"LazyRule({self.code!r}, {self.name!r})"


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

_LAZY: tuple[LazyRule | Rule, ...] = (*(LazyRule(*row) for row in _TABLE), UNUSED_SUPPRESSION)


def __getattr__(attribute: str):
    """``RULES``: every rule, in code order, their modules imported (once)."""
    if attribute == "RULES":
        rules = tuple(rule.load() if isinstance(rule, LazyRule) else rule for rule in _LAZY)
        globals()["RULES"] = rules
        return rules
    raise AttributeError(f"module {__name__!r} has no attribute {attribute!r}")


def listed() -> tuple:
    """``RULES`` once they are imported (tests add rules to it), else the stand-ins."""
    return globals().get("RULES", _LAZY)


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
            codes.update(rule.code for rule in listed())
            continue
        matched = {
            rule.code
            for rule in listed()
            if rule.code.startswith(selector.upper()) or rule.name == selector.lower()
        }
        if not matched:
            raise UnknownRule(f"unknown rule selector: {selector!r}")
        codes |= matched
    return codes


def select(select: Iterable[str] | None = None, ignore: Iterable[str] = ()) -> list[LazyRule | Rule]:
    """The chosen rules, in code order; their modules are imported when a rule is first used."""
    chosen = resolve(select) if select is not None else {rule.code for rule in listed()}
    chosen -= resolve(ignore)
    return [rule for rule in listed() if rule.code in chosen]
