"""TFX005 deletion-protection: turn off deletion protection so test stacks can be destroyed.

Stub registered by the lead; its author replaces this body.
"""
from __future__ import annotations

from tffix.rules import Rule


def check(module):
    return iter(())


RULE = Rule("TFX005", "deletion-protection", check, summary="turn off deletion protection so test stacks can be destroyed", safe=False)
