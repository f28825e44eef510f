"""The rules catalogue: one rule per module, collected by :func:`all_rules`.

See ``base.py`` for what a rule is and ``docs/rules.md`` (generated) for the catalogue.
"""

from vpcwire.plan.rules.base import Finding, Rule, RuleContext, Severity, all_rules

__all__ = ["Finding", "Rule", "RuleContext", "Severity", "all_rules"]
