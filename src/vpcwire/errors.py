"""The errors vpcwire raises, and the exit code each one means.

    VpcwireError                 any failure we can explain; never shown as a traceback
    ├── UsageError        (2)    bad command line, unknown name, missing file
    │   └── SpecError     (2)    the spec is invalid; carries every located problem at once
    ├── DeployError       (3)    terraform or the sandbox failed; says what exists now
    │   ├── TerraformNotFound
    │   └── SandboxError
    └── ReadError         (3)    the live network could not be read (credentials, API)

Exit code 1 is not an error: it is the verdict "a verification failed".
The CLI maps `exit_code` to the process status, so a new error class only has to
pick the right parent.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "EXIT_DEPLOY",
    "EXIT_OK",
    "EXIT_USAGE",
    "EXIT_VERIFY_FAILED",
    "DeployError",
    "Location",
    "ReadError",
    "SandboxError",
    "SpecError",
    "SpecProblem",
    "TerraformNotFound",
    "UsageError",
    "VpcwireError",
    "clip",
]

EXIT_OK = 0
EXIT_VERIFY_FAILED = 1
EXIT_USAGE = 2
EXIT_DEPLOY = 3


CLIP_AT = 100


def clip(value: object, limit: int = CLIP_AT) -> str:
    """``repr(value)``, cut to about ``limit`` characters.

    Error messages quote the offending value so the user can find it, but a spec may hold a
    megabyte-long string or an alias that expands to millions of items: echoing that would
    drown the message (and the terminal). The cut keeps the start, which is what locates it.
    """
    # containers: built lazily so a huge (aliased) tree is never walked whole
    text = _bounded_repr(value, limit + 1)
    if len(text) <= limit:
        return text
    return f"{text[: limit - 1]}… ({_size(value)})"


def _size(value: object) -> str:
    if isinstance(value, str):
        return f"{len(value)} characters"
    if isinstance(value, list | tuple | dict):
        return f"{len(value)} items"
    return "cut"


def _bounded_repr(value: object, budget: int) -> str:
    """A repr that stops once it is ``budget`` characters long (cycles and huge trees safe)."""
    parts: list[str] = []
    used = 0

    def emit(text: str) -> bool:
        nonlocal used
        parts.append(text)
        used += len(text)
        return used < budget

    def walk(item: object, depth: int) -> bool:
        if depth > 20:
            return emit("…")
        if isinstance(item, dict):
            if not emit("{"):
                return False
            for i, (k, v) in enumerate(item.items()):
                if (i and not emit(", ")) or not emit(f"{k!r}: ") or not walk(v, depth + 1):
                    return False
            return emit("}")
        if isinstance(item, list | tuple):
            if not emit("["):
                return False
            for i, v in enumerate(item):
                if (i and not emit(", ")) or not walk(v, depth + 1):
                    return False
            return emit("]")
        if isinstance(item, int) and item.bit_length() > 4 * budget:
            return emit(f"<a {item.bit_length()}-bit integer>")
        if isinstance(item, str):
            return emit(repr(item[:budget]))
        return emit(repr(item)[:budget])

    walk(value, 0)
    return "".join(parts)


class VpcwireError(Exception):
    exit_code = EXIT_USAGE


class UsageError(VpcwireError):
    exit_code = EXIT_USAGE


@dataclass(frozen=True, slots=True)
class Location:
    """Where in a spec file something is: enough for an editor to jump there."""

    file: Path | None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based

    def __str__(self) -> str:
        where = str(self.file) if self.file else "<spec>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where


@dataclass(frozen=True, slots=True)
class SpecProblem:
    """One thing wrong with a spec, said so that the user can fix it without reading code."""

    location: Location
    path: str  # dotted field path, e.g. "vpcs.provider.subnets.private[0].cidr"
    message: str
    value: object = None
    hint: str = ""
    # what kind of check refused it, for machine output (SARIF ruleId, JSON "rule"):
    # yaml (the text), schema (fields and types), reference (names), aws (what AWS refuses),
    # rule (a rule's finding, reported along with the loader's; ``rule`` holds its id)
    kind: str = "schema"
    rule: str | None = None  # the rule id, when a rule (not the loader) found it

    @property
    def shown_value(self) -> str | None:
        """The offending value as quoted in messages: clipped, and None if the message
        already quotes it."""
        if self.value is None:
            return None
        shown = clip(self.value)
        if shown in self.message or (
            isinstance(self.value, str) and len(self.value) <= 100 and self.value in self.message
        ):
            return None
        return shown

    def __str__(self) -> str:
        text = f"{self.location}: {self.path or '<root>'}: {self.message}"
        if self.shown_value is not None:
            text += f" (got {self.shown_value})"
        text += f"\n    fix: {self.hint or 'see `vpcwire schema` for what this field takes'}"
        return text


class SpecError(UsageError):
    """The spec could not be accepted; `problems` lists every reason, each located."""

    SHOWN = 50  # a broken file can hold thousands; the first ones say what is wrong

    def __init__(self, problems: list[SpecProblem]) -> None:
        self.problems = problems
        count = len(problems)
        head = f"the spec has {count} problem{'s' if count != 1 else ''}:"
        lines = [head, *(f"  {p}" for p in problems[: self.SHOWN])]
        if count > self.SHOWN:
            lines.append(f"  … and {count - self.SHOWN} more (`vpcwire plan --json` lists all)")
        super().__init__("\n".join(lines))


class DeployError(VpcwireError):
    """Terraform could not finish. `detail` says what exists now and how to continue."""

    exit_code = EXIT_DEPLOY

    def __init__(self, message: str, *, detail: str = "", resource: str | None = None) -> None:
        self.resource = resource
        self.detail = detail
        super().__init__(message + (f"\n{detail}" if detail else ""))


class TerraformNotFound(DeployError):
    pass


class SandboxError(DeployError):
    pass


class ReadError(VpcwireError):
    exit_code = EXIT_DEPLOY
