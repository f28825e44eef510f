"""The rules catalogue: one rule per module, collected by :func:`all_rules`.

See ``base.py`` for what a rule is and ``docs/rules.md`` (generated) for the catalogue.
"""

from vpcwire.rules.base import (
    Finding,
    NetworkView,
    Rule,
    RuleContext,
    Severity,
    all_rules,
    judge_network,
)

__all__ = [
    "Finding",
    "NetworkView",
    "Rule",
    "RuleContext",
    "Severity",
    "all_rules",
    "judge_network",
]
