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
]

EXIT_OK = 0
EXIT_VERIFY_FAILED = 1
EXIT_USAGE = 2
EXIT_DEPLOY = 3


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

    def __str__(self) -> str:
        text = f"{self.location}: {self.path or '<root>'}: {self.message}"
        if self.value is not None and repr(self.value) not in self.message:
            text += f" (got {self.value!r})"
        if self.hint:
            text += f"\n    fix: {self.hint}"
        return text


class SpecError(UsageError):
    """The spec could not be accepted; `problems` lists every reason, each located."""

    def __init__(self, problems: list[SpecProblem]) -> None:
        self.problems = problems
        count = len(problems)
        head = f"the spec has {count} problem{'s' if count != 1 else ''}:"
        super().__init__("\n".join([head, *(f"  {p}" for p in problems)]))


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
