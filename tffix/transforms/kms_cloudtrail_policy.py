"""TFX003 kms-cloudtrail-policy: let CloudTrail use the KMS key that encrypts its logs.

Stub registered by the lead; its author replaces this body.
"""
from __future__ import annotations

from tffix.rules import Rule


def check(module):
    return iter(())


RULE = Rule("TFX003", "kms-cloudtrail-policy", check, summary="let CloudTrail use the KMS key that encrypts its logs", safe=True)
