"""Scan: an existing Terraform configuration -> the Network it would build, before apply.

    >>> result = scan(Path("infra/"), var_files=[Path("prod.tfvars")], variables={"env": "prod"})
    >>> result.network          # the same model the planner and the live reader produce
    >>> result.unresolved       # what could not be resolved, each with file:line and address

See ``config.py`` (how Terraform's configuration is evaluated), ``build.py`` (resources ->
Network) and ``plan_json.py`` (a saved plan's JSON in place of a directory).
"""

from vpcwire.scan.result import ScanResult
from vpcwire.scan.scanner import scan

__all__ = ["ScanResult", "scan"]
