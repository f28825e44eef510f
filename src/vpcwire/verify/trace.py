"""Traces: what the verifier found, hop by hop, as plain frozen values.

Shaped after pybatfish's Trace/Hop/Step: a :class:`Trace` is a disposition plus the hops
a packet passes, each hop a resource with the checks (:class:`Step`) made there. Unlike
pybatfish, a trace also carries its :class:`Block` list: every single thing that stops the
flow, each with the concrete fix, so that one run tells the user everything to change.

A flow that fans out (an NLB with several targets, an endpoint with one ENI per AZ) has one
:class:`Branch` per path, each with its own hops (shared, not copied, where branches pass the
same hops); ``Trace.hops`` is every branch's hops one after the other, forward path then
return path per branch.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal, Protocol

from vpcwire.verify.flow import Flow
from vpcwire.verify.reasons import Reason

__all__ = ["Block", "Branch", "Deferred", "Direction", "Disposition", "Hop", "Step", "Trace"]

Direction = Literal["forward", "return"]


class Disposition(StrEnum):
    REACHABLE = "REACHABLE"
    UNREACHABLE = "UNREACHABLE"
    # The network lacks what it takes to decide (a peer VPC or an endpoint service in an
    # account that was not read, a transit gateway): neither a pass nor a failure.
    UNKNOWN = "UNKNOWN"


# Text not formatted yet: a function and its arguments, ``(format, *args)``. Most steps of
# most traces are never printed (a verdict, a count, a JSON disposition), and at 10,000 VPCs
# formatting every detail eagerly was a tenth of the CPU time and a fifth of each kept
# trace; the arguments are objects the engine holds anyway (nodes, addresses, rules).
Deferred = tuple[Any, ...]


@dataclass(frozen=True, slots=True, eq=False)
class Step:
    """One check at one hop.

    ``resource`` is the id of what decided (a security group, network ACL, route table,
    peering…) and ``matched`` the rule, entry or route that decided, when one did.
    ``text`` is the detail as given: a string, or :data:`Deferred` text that ``detail``
    formats on first read (and keeps); two steps are equal when their details are.
    """

    action: str
    text: str | Deferred
    ok: bool
    reason: Reason | None = None
    fix: str | None = None
    resource: str | None = None
    matched: str | None = None

    @property
    def detail(self) -> str:
        text = self.text
        if isinstance(text, str):
            return text
        formatted: str = text[0](*text[1:])
        object.__setattr__(self, "text", formatted)  # frozen to users; a cache inside
        return formatted

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if not isinstance(other, Step):
            return NotImplemented
        # the cheap fields first: a detail is formatted only when everything else agrees
        return (
            self.action == other.action
            and self.ok == other.ok
            and self.reason == other.reason
            and self.resource == other.resource
            and self.matched == other.matched
            and self.fix == other.fix
            and self.detail == other.detail
        )

    def __hash__(self) -> int:
        # equal steps agree on these; leaving the detail out keeps hashing from formatting it
        return hash((self.action, self.ok, self.reason, self.resource, self.matched, self.fix))

    def __repr__(self) -> str:
        return (
            f"Step(action={self.action!r}, detail={self.detail!r}, ok={self.ok!r}, "
            f"reason={self.reason!r}, fix={self.fix!r}, resource={self.resource!r}, "
            f"matched={self.matched!r})"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "detail": self.detail,
            "ok": self.ok,
            "reason": None if self.reason is None else str(self.reason),
            "fix": self.fix,
            "resource": self.resource,
            "matched": self.matched,
        }


@dataclass(frozen=True, slots=True)
class Hop:
    """A resource the packet passes, with the checks made there; ``detail`` says where the
    hop is (address, subnet, AZ)."""

    resource: str
    name: str
    kind: str
    steps: tuple[Step, ...]
    direction: Direction = "forward"
    detail: str = ""

    @property
    def ok(self) -> bool:
        return all(step.ok for step in self.steps)

    @property
    def label(self) -> str:
        if self.name and self.name != self.resource:
            return f"{self.resource} ({self.name})"
        return self.resource

    def to_dict(self, branch: int = 0) -> dict[str, Any]:
        return {
            "resource": self.resource,
            "name": self.name,
            "kind": self.kind,
            "detail": self.detail,
            "direction": self.direction,
            "branch": branch,
            "steps": [step.to_dict() for step in self.steps],
        }


@dataclass(frozen=True, slots=True)
class Block:
    """One thing that stops the flow, and how to fix it.

    ``unknown`` marks blocks that say "the network lacks the data" rather than "this is
    wrong"; a trace whose blocks are all unknown has disposition UNKNOWN. ``branches``
    lists the 1-based branches it blocks when the flow fans out (empty: all, or only one).
    """

    resource: str
    reason: Reason
    detail: str
    fix: str
    unknown: bool = False
    branches: tuple[int, ...] = ()
    label: str = ""  # "id (name)", filled in when the trace is assembled

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.resource, str(self.reason), self.fix)

    def to_dict(self) -> dict[str, Any]:
        return {
            "resource": self.resource,
            "reason": str(self.reason),
            "detail": self.detail,
            "fix": self.fix,
            "unknown": self.unknown,
            "branches": list(self.branches),
            "label": self.label or self.resource,
        }


class Stretch(Protocol):
    """What a branch is made of: hops out, hops back, and a label (verify.legs.Path)."""

    @property
    def forward(self) -> tuple[Hop, ...]: ...

    @property
    def back(self) -> tuple[Hop, ...]: ...

    @property
    def label(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Branch:
    """One path of a flow: e.g. endpoint ENI → NLB node → target, forward and back."""

    index: int  # 1-based
    # the stretch of path this branch is (verify.legs.Path): its hops are joined from the
    # stretches it chains (often shared with other flows) only when they are read
    path: Stretch
    disposition: Disposition
    blocks: tuple[Block, ...] = ()

    @property
    def label(self) -> str:
        return self.path.label or f"path {self.index}"

    @property
    def forward(self) -> tuple[Hop, ...]:
        return self.path.forward

    @property
    def back(self) -> tuple[Hop, ...]:
        return self.path.back

    @property
    def hops(self) -> tuple[Hop, ...]:
        """Forward path, then return path."""
        back = self.path.back
        return self.path.forward + back if back else self.path.forward

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "label": self.label,
            "disposition": str(self.disposition),
            "reasons": sorted({str(b.reason) for b in self.blocks}),
        }


@dataclass(frozen=True, slots=True)
class Trace:
    """``hops`` is not stored: it is every branch's hops in turn, joined when asked for
    (a flow that fans out over 27 paths kept that list twice)."""

    flow: Flow
    disposition: Disposition
    blocks: tuple[Block, ...]
    branches: tuple[Branch, ...] = ()
    notes: tuple[str, ...] = ()  # how names were resolved, what was assumed

    @property
    def hops(self) -> tuple[Hop, ...]:
        if len(self.branches) == 1:
            return self.branches[0].hops
        return tuple(hop for branch in self.branches for hop in branch.hops)

    @property
    def reachable(self) -> bool:
        return self.disposition is Disposition.REACHABLE

    @property
    def reasons(self) -> tuple[Reason, ...]:
        """The distinct reason codes of the blocks, in order of first appearance."""
        return tuple(dict.fromkeys(block.reason for block in self.blocks))

    def hops_of(self, branch: int) -> tuple[Hop, ...]:
        """The hops of one branch (1-based); 0 means the only branch of a flow that has one."""
        if branch == 0 and len(self.branches) == 1:
            return self.branches[0].hops
        return self.branches[branch - 1].hops

    def __str__(self) -> str:
        from vpcwire.verify.render import render_trace

        return render_trace(self)

    def to_dict(self) -> dict[str, Any]:
        return {
            "flow": self.flow.to_dict(),
            "disposition": str(self.disposition),
            "notes": list(self.notes),
            "branches": [branch.to_dict() for branch in self.branches],
            "hops": [
                hop.to_dict(branch.index if len(self.branches) > 1 else 0)
                for branch in self.branches
                for hop in branch.hops
            ],
            "blocks": [block.to_dict() for block in self.blocks],
        }
