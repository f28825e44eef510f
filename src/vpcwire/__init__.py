"""vpcwire: from "these VPCs and services must talk privately" to working, proven AWS networking.

The pipeline, one function per stage::

    spec = load_spec("examples/privatelink.yaml")   # YAML -> validated Spec (SpecError, located)
    planned = plan(spec)                             # Spec -> Plan: Network + decisions + findings
    files = render(planned)                          # Plan -> Terraform files (fmt/validate clean)
    result = deploy(planned, target="sandbox", workdir=Path(".vpcwire/x/sandbox"))
    observed = read_stack(planned, target="sandbox").network   # live AWS/sandbox -> Network
    verdicts = evaluate(observed, derive_intents(planned))       # every intent, with traces

Errors are :class:`VpcwireError` subclasses (see ``vpcwire.errors``).
"""

from vpcwire.deploy.stack import deploy, destroy, read_stack
from vpcwire.errors import DeployError, ReadError, SpecError, UsageError, VpcwireError
from vpcwire.network import Network
from vpcwire.plan.plan import Plan, plan
from vpcwire.render import render
from vpcwire.spec.load import load_spec
from vpcwire.spec.models import Spec
from vpcwire.verify import Engine, Flow, Trace, trace
from vpcwire.verify.intents import Intent, Verdict, derive_intents, evaluate

__version__ = "0.1.0"

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
