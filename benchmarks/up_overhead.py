"""What `vpcwire up` adds on top of terraform's own apply, for the reference architecture.

    python benchmarks/up_overhead.py [--spec examples/inter-region-privatelink.yaml]

One run, one background sandbox:
1. `vpcwire up` as a user runs it (plan, render, sandbox, terraform init + apply, outputs,
   live verification) in a fresh working directory: wall time per phase;
2. the sandbox is reset and the *same rendered directory* is applied with a bare
   `terraform apply` (after its own `terraform init`), timed on its own;
3. both stacks are destroyed.
Target: (vpcwire up - bare init - bare apply) <= 10 % of the bare apply.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from vpcwire.deploy.terraform import Terraform
from vpcwire.sandbox.background import start_background, stop_background
from vpcwire.sandbox.clients import sandbox_env


def reset(endpoint_url: str) -> None:
    """Empty the sandbox; signed with its own key (the sandbox refuses anyone else)."""
    from vpcwire.sandbox.clients import sandbox_keys

    key = sandbox_keys(endpoint_url)[0]
    request = urllib.request.Request(
        f"{endpoint_url}/moto-api/reset",
        method="POST",
        headers={
            "Authorization": (
                f"AWS4-HMAC-SHA256 Credential={key}/20240101/us-east-1/ec2/aws4_request, "
                "SignedHeaders=host, Signature=0"
            )
        },
    )
    urllib.request.urlopen(request, timeout=10).close()


def timed(cmd: list[str], **kwargs: object) -> tuple[float, str]:
    started = time.monotonic()
    proc = subprocess.run(cmd, check=True, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload]
    return time.monotonic() - started, proc.stdout


def phases(stdout: str) -> dict[str, float]:
    """The `timings:` line `vpcwire up` prints: phase -> seconds."""
    line = next(x for x in stdout.splitlines() if x.startswith("timings: "))
    found = re.findall(r"([a-z ]+?) (\d+\.\d)s", line.removeprefix("timings: ").split(";")[0])
    return {name.strip(" ,"): float(value) for name, value in found}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", default="examples/inter-region-privatelink.yaml")
    args = parser.parse_args()
    spec = Path(args.spec).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        os.environ["VPCWIRE_HOME"] = str(home)
        started = time.monotonic()
        info = start_background(home)
        sandbox_start = time.monotonic() - started
        try:
            workdir = Path(tmp) / "up"
            up, up_stdout = timed(
                [sys.executable, "-m", "vpcwire", "up", str(spec), "--workdir", str(workdir)]
            )
            up_phases = phases(up_stdout)

            reset(info.endpoint_url)
            bare = Path(tmp) / "bare"
            shutil.copytree(
                workdir, bare, ignore=shutil.ignore_patterns(".terraform*", "terraform.tfstate*")
            )
            # the same CLI config and the same sandbox as `vpcwire up` used
            env = Terraform(bare, sandbox_env(info.endpoint_url)).env
            init, _ = timed(["terraform", "init", "-input=false"], cwd=bare, env=env)
            apply, _ = timed(
                ["terraform", "apply", "-auto-approve", "-input=false"], cwd=bare, env=env
            )
            timed(
                ["terraform", "apply", "-destroy", "-auto-approve", "-input=false"],
                cwd=bare,
                env=env,
            )
        finally:
            stop_background(home)
    overhead = up - apply
    print(f"spec                          {spec.name}")
    print(f"sandbox start (once)          {sandbox_start:6.1f} s")
    print(f"vpcwire up (wall, all phases) {up:6.1f} s")
    print(f"bare terraform init           {init:6.1f} s")
    print(f"bare terraform apply          {apply:6.1f} s")
    print(
        f"vpcwire up - bare apply       {overhead:6.1f} s = {100 * overhead / apply:4.1f} % of the apply"
        f"  (target <= 10 %)"
    )
    print(f"  of which init               {init:6.1f} s (the bare run needs it too)")
    print(
        f"vpcwire's own additions       {overhead - init:6.1f} s = {100 * (overhead - init) / apply:4.1f} %"
        " (render, sandbox check, outputs, live verify)"
    )
    inside = up_phases.get("terraform apply", 0.0)
    print("within the same `vpcwire up` run (immune to apply-to-apply variance):")
    print("  phases: " + ", ".join(f"{k} {v:.1f} s" for k, v in up_phases.items()))
    print(
        f"  wall - its own terraform apply  {up - inside:6.1f} s = {100 * (up - inside) / inside:4.1f} %"
        " (includes interpreter start-up and terraform init)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
