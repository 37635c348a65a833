"""TFX004 depends-on: add depends_on for known AWS ordering hazards.

Stub registered by the lead; its author replaces this body.
"""
from __future__ import annotations

from tffix.rules import Rule


def check(module):
    return iter(())


RULE = Rule("TFX004", "depends-on", check, summary="add depends_on for known AWS ordering hazards", safe=True)
