"""vpcwire: from "these VPCs and services must talk privately" to working, proven AWS networking.

The pipeline, one function per stage::

    spec = load_spec("examples/privatelink.yaml")   # YAML -> validated Spec (SpecError, located)
    planned = plan(spec)                             # Spec -> Plan: Network + decisions + findings
    files = render(planned)                          # Plan -> Terraform files (fmt/validate clean)
    result = deploy(planned, target="sandbox", workdir=Path(".vpcwire/x/sandbox"))
    observed = read_stack(planned, target="sandbox").network   # live AWS/sandbox -> Network
    verdicts = evaluate(observed, derive_intents(planned))       # every intent, with traces

Errors are :class:`VpcwireError` subclasses (see ``vpcwire.errors``).

The names are imported lazily (PEP 562): ``import vpcwire`` costs a few milliseconds, and
each stage's modules (pydantic models, the engine, boto3) load only when a name that needs
them is first used. So ``vpcwire --help`` and ``vpcwire --version`` never pay for the
pipeline; ``tests/cli/test_startup.py`` pins that.
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vpcwire.deploy.stack import deploy, destroy, read_stack
    from vpcwire.errors import DeployError, ReadError, SpecError, UsageError, VpcwireError
    from vpcwire.network import Network
    from vpcwire.pipeline import plan
    from vpcwire.plan.plan import Plan
    from vpcwire.render import render
    from vpcwire.spec.load import load_spec
    from vpcwire.spec.models import Spec
    from vpcwire.verify import Engine, Flow, Trace, trace
    from vpcwire.verify.intents import Intent, Verdict, derive_intents, evaluate

__version__ = "0.1.0"

# public name -> the module that defines it (imported on first access)
_LAZY = {
    "DeployError": "vpcwire.errors",
    "Engine": "vpcwire.verify",
    "Flow": "vpcwire.verify",
    "Intent": "vpcwire.verify.intents",
    "Network": "vpcwire.network",
    "Plan": "vpcwire.plan.plan",
    "ReadError": "vpcwire.errors",
    "Spec": "vpcwire.spec.models",
    "SpecError": "vpcwire.errors",
    "Trace": "vpcwire.verify",
    "UsageError": "vpcwire.errors",
    "Verdict": "vpcwire.verify.intents",
    "VpcwireError": "vpcwire.errors",
    "deploy": "vpcwire.deploy.stack",
    "derive_intents": "vpcwire.verify.intents",
    "destroy": "vpcwire.deploy.stack",
    "evaluate": "vpcwire.verify.intents",
    "load_spec": "vpcwire.spec.load",
    "plan": "vpcwire.pipeline",
    "read_stack": "vpcwire.deploy.stack",
    "render": "vpcwire.render",
    "trace": "vpcwire.verify",
}

__all__ = [
    "DeployError",
    "Engine",
    "Flow",
    "Intent",
    "Network",
    "Plan",
    "ReadError",
    "Spec",
    "SpecError",
    "Trace",
    "UsageError",
    "Verdict",
    "VpcwireError",
    "__version__",
    "deploy",
    "derive_intents",
    "destroy",
    "evaluate",
    "load_spec",
    "plan",
    "read_stack",
    "render",
    "trace",
]


def __getattr__(name: str) -> Any:
    """Import a public name's module on first use and cache the name in this module."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'vpcwire' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Package(ModuleType):
    """The package module, with ``plan`` and ``render`` always the functions.

    ``vpcwire.plan`` and ``vpcwire.render`` are also subpackages: importing one makes the
    import system bind the subpackage on this module, which would hide the function of the
    same name. A data descriptor on the module's class wins over that binding.
    """

    @property
    def plan(self) -> Any:
        return import_module("vpcwire.pipeline").plan

    @plan.setter
    def plan(self, value: Any) -> None:
        """Ignore the import system binding the subpackage (see the class docstring)."""

    @property
    def render(self) -> Any:
        return import_module("vpcwire.render").render

    @render.setter
    def render(self, value: Any) -> None:
        """Ignore the import system binding the subpackage (see the class docstring)."""


sys.modules[__name__].__class__ = _Package
