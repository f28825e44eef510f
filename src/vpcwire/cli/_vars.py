"""``--var`` / ``--var-file``: Terraform variables for every command that reads Terraform
(`scan`, and `diff` and `diagram` given a Terraform directory), parsed one way."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from vpcwire.errors import UsageError

__all__ = ["TerraformVars", "VarFileOpt", "VarOpt", "terraform_vars"]

VarFileOpt = Annotated[
    list[Path] | None,
    typer.Option("--var-file", help="a .tfvars file for Terraform input (repeatable)"),
]
VarOpt = Annotated[
    list[str] | None,
    typer.Option("--var", help="a Terraform variable, K=V (repeatable)"),
]

TerraformVars = tuple[list[Path], dict[str, str]]


def terraform_vars(var_file: list[Path] | None, var: list[str] | None) -> TerraformVars:
    """(var files, variables) as scan takes them; a --var without ``=`` is bad input."""
    variables: dict[str, str] = {}
    for item in var or []:
        name, eq, value = item.partition("=")
        if not eq or not name:
            raise UsageError(f"--var {item!r}: expected K=V")
        variables[name.strip()] = value
    return list(var_file or []), variables
