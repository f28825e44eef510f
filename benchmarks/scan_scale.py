"""Time `vpcwire scan` on vpcwire's own rendered Terraform of a 500-VPC spec (target <= 10 s),
and, separately, terraform's own time to read the same configuration.

    python benchmarks/scan_scale.py [--vpcs 500] [--repeat 3] [--no-terraform]

The spec is plan_render.py's generator (accounts, regions, services, PrivateLink consumers,
native cross-region consumers, outposts). Printed per stage, best of --repeat: parse+evaluate
the configuration, build the Network, run the rules, derive and verify the intents; then
`terraform init` + `terraform validate` on the same directory (what terraform spends before
it could even plan), measured once.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))

from plan_render import generate

from vpcwire.plan.plan import plan
from vpcwire.plan.rules import judge_network
from vpcwire.render import render, write
from vpcwire.scan.build import build_network
from vpcwire.scan.config import load_configuration
from vpcwire.scan.intents import derive_intents
from vpcwire.spec.load import load_spec
from vpcwire.verify.intents import evaluate


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--vpcs", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-terraform", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        spec_path = Path(tmp) / "spec.yaml"
        spec_path.write_text(yaml.safe_dump(generate(args.vpcs)))
        tf_dir = Path(tmp) / "tf"
        write(render(plan(load_spec(spec_path))), tf_dir)
        files = list(tf_dir.glob("*.tf"))
        lines = sum(len(p.read_text().splitlines()) for p in files)
        print(f"{args.vpcs} VPCs: {len(files)} files, {lines} lines of HCL")
        best: dict[str, float] = {}
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            config = load_configuration(tf_dir)  # parses the root module's files
            tp = time.perf_counter()
            instances = list(config.resources())
            t1 = time.perf_counter()
            network = build_network(config)
            t2 = time.perf_counter()  # (attribute evaluation happens here, lazily)
            findings = judge_network(network)
            t3 = time.perf_counter()
            verdicts = evaluate(network, derive_intents(network))
            t4 = time.perf_counter()
            for name, secs in (
                ("parse (lark)", tp - t0),
                ("expand instances", t1 - tp),
                ("evaluate + build", t2 - t1),
                ("rules", t3 - t2),
                ("intents + verify", t4 - t3),
                ("scan total", t4 - t0),
            ):
                best[name] = min(best.get(name, secs), secs)
        print(f"  load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        print(
            f"  {len(instances)} resource instances -> {len(network)} Network resources, "
            f"{len(findings)} findings, {len(verdicts)} intents "
            f"({sum(not v.ok for v in verdicts)} failed), {len(config.unresolved)} unresolved"
        )
        for name, secs in best.items():
            print(f"  {name:<18} {secs:6.2f} s")
        verdict = "OK" if best["scan total"] <= 10 else "OVER"
        print(f"  target: scan <= 10 s: {verdict}")
        if not args.no_terraform:
            from vpcwire.deploy.terraform import Terraform

            tf = Terraform(tf_dir)
            t0 = time.perf_counter()
            tf.init()
            t1 = time.perf_counter()
            errors = tf.validate()
            t2 = time.perf_counter()
            print(f"  terraform init     {t1 - t0:6.2f} s (separately)")
            print(
                f"  terraform validate {t2 - t1:6.2f} s (separately){' ERRORS' if errors else ''}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
