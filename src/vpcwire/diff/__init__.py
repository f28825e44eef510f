"""What a change does to a network: flows opened and closed, resources added, removed, changed.

    result = diff_networks(old, new, intents)   # exhaustive over equivalence classes
    result.unintended                           # opened flows no intent asks for (CI gate)

The same resource comparison lists drift between a plan and the live network.
"""

from vpcwire.diff.flows import FlowChange, FlowDiff, flow_changes
from vpcwire.diff.resources import FieldChange, ResourceChange, resource_changes

__all__ = [
    "FieldChange",
    "FlowChange",
    "FlowDiff",
    "ResourceChange",
    "flow_changes",
    "resource_changes",
]
