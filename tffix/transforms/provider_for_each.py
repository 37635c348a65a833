"""TFX001 provider-for-each: expand for_each in provider blocks into one aliased provider per key.

Stub registered by the lead; its author replaces this body.
"""
from __future__ import annotations

from tffix.rules import Rule


def check(module):
    return iter(())


RULE = Rule("TFX001", "provider-for-each", check, summary="expand for_each in provider blocks into one aliased provider per key", safe=True)
