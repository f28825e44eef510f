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
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from vpcwire.deploy.sandbox import sandbox_env, start_background, stop_background
from vpcwire.deploy.terraform import Terraform


def reset(endpoint_url: str) -> None:
    request = urllib.request.Request(f"{endpoint_url}/moto-api/reset", method="POST")
    urllib.request.urlopen(request, timeout=10).close()


def timed(cmd: list[str], **kwargs: object) -> float:
    started = time.monotonic()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, **kwargs)  # type: ignore[call-overload]
    return time.monotonic() - started


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
            up = timed(
                [sys.executable, "-m", "vpcwire", "up", str(spec), "--workdir", str(workdir)]
            )

            reset(info.endpoint_url)
            bare = Path(tmp) / "bare"
            shutil.copytree(
                workdir, bare, ignore=shutil.ignore_patterns(".terraform*", "terraform.tfstate*")
            )
            env = Terraform(
                bare, sandbox_env(info.endpoint_url)
            ).env  # same CLI config, same sandbox
            init = timed(["terraform", "init", "-input=false"], cwd=bare, env=env)
            apply = timed(
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
