"""Which evaluation a scan's values came from, why, and where it had to guess.

Three sources, best first:

* ``plan-json``: the user's own ``terraform show -json`` of a plan made with their
  credentials -- terraform's evaluation against their account: exact.
* ``terraform``: terraform planned a private copy against the embedded sandbox
  (``tf_eval.py``): every expression and function exactly as terraform evaluates it; data
  sources answered by the sandbox, or unknown where only the user's account knows.
* ``hcl``: vpcwire's own reading of the HCL (``config.py``), the fallback where terraform
  cannot run; ``reason`` says why it was used.

Every output format carries it, so a reader knows how far to trust a value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["EXACT_HINT", "Evaluation"]

Method = Literal["terraform", "hcl", "plan-json"]

EXACT_HINT = (
    "for the exact answer, plan with your credentials and scan its JSON: "
    "terraform plan -out plan.bin && terraform show -json plan.bin > plan.json && "
    "vpcwire scan plan.json"
)


@dataclass(frozen=True, slots=True)
class Evaluation:
    method: Method
    reason: str  # what was used and why (the fallback's cause, when it is one)
    notes: tuple[str, ...] = ()  # what was changed or guessed: relaxed pins, sandbox answers
    guessed: bool = False  # some value is the sandbox's or vpcwire's guess, not your account's
    seconds: float = 0.0  # terraform's time (init, plan, show), when it ran
    steps: tuple[tuple[str, float], ...] = ()  # wall seconds per step (init, plan, show...)

    @property
    def label(self) -> str:
        return {
            "terraform": "terraform (a plan against a private embedded sandbox)",
            "hcl": "vpcwire's own HCL evaluation",
            "plan-json": "terraform (your plan's JSON)",
        }[self.method]

    def lines(self) -> list[str]:
        """The text report's lines."""
        took = f" in {self.seconds:.1f} s" if self.seconds else ""
        out = [f"evaluated by {self.label}{took}: {self.reason}"]
        out += [f"  {note}" for note in self.notes]
        if self.guessed:
            out.append(f"  {EXACT_HINT}")
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "reason": self.reason,
            "notes": list(self.notes),
            "guessed": self.guessed,
            "seconds": round(self.seconds, 2),
            "steps": dict(self.steps),
        }
