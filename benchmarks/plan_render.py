"""Time `vpcwire plan` + `render` on generated specs of growing size (target: 500 VPCs <= 2 s).

    python benchmarks/plan_render.py [--sizes 50,100,500] [--repeat 3]

Each spec mixes what real estates have: several accounts and regions, services with two
targets, same-region PrivateLink consumers, native cross-region consumers, a few outposts
and peerings. Prints per size: YAML load, plan, render (to strings) and the total, best of
--repeat runs, plus the resources and the lines of HCL produced.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import yaml

from vpcwire.pipeline import plan
from vpcwire.render import render
from vpcwire.spec.load import load_spec

REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"]


def generate(n_vpcs: int, seed: int = 7) -> dict[str, object]:
    rnd = random.Random(seed)
    accounts = {f"acct{i}": {"id": f"{100000000000 + i}"} for i in range(4)}
    vpcs: dict[str, object] = {}
    for i in range(n_vpcs):
        region = REGIONS[i % len(REGIONS)]
        vpcs[f"vpc{i}"] = {
            "account": f"acct{i % 4}",
            "region": region,
            "cidr": f"10.{i // 256 % 256}.{i % 256}.0/24" if n_vpcs > 200 else f"10.{i}.0.0/16",
            "azs": [f"{region}a", f"{region}b"],
        }
    services = {f"svc{i}": {"vpc": f"vpc{i}", "port": 8000 + i % 100} for i in range(0, n_vpcs, 5)}
    connections: list[dict[str, object]] = []
    for i in range(n_vpcs):
        if i % 5 == 0:
            continue
        svc = f"svc{rnd.randrange(0, n_vpcs, 5)}"
        conn: dict[str, object] = {"consumer": f"vpc{i}", "service": svc, "traffic_gb_month": 10}
        if i % 50 == 7:
            conn["via"] = "outpost"
        provider_region = vpcs[services[svc]["vpc"]]["region"]  # type: ignore[index]
        if conn.get("via") == "outpost" and provider_region == vpcs[f"vpc{i}"]["region"]:  # type: ignore[index]
            del conn["via"]
        connections.append(conn)
    for i in range(1, n_vpcs - 4, 10):
        connections.append(
            {"peers": [f"vpc{i}", f"vpc{i + 4}"], "allow": [{"protocol": "tcp", "ports": [22]}]}
        )
    return {
        "name": f"bench{n_vpcs}",
        "accounts": accounts,
        "vpcs": vpcs,
        "services": services,
        "connections": connections,
    }


def measure(n_vpcs: int, repeat: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "spec.yaml"
        path.write_text(yaml.safe_dump(generate(n_vpcs), sort_keys=False))
        best: dict[str, float] = {}
        for _ in range(repeat):
            t0 = time.perf_counter()
            spec = load_spec(path)
            t1 = time.perf_counter()
            planned = plan(spec)
            t2 = time.perf_counter()
            files = render(planned, target="aws").files
            t3 = time.perf_counter()
            run = {"load": t1 - t0, "plan": t2 - t1, "render": t3 - t2, "total": t3 - t0}
            best = run if not best or run["total"] < best["total"] else best
        best["resources"] = len(planned.network)
        best["hcl_lines"] = sum(text.count("\n") for text in files.values())
        return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,100,250,500")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(
        f"{'VPCs':>6} {'load s':>8} {'plan s':>8} {'render s':>9} {'total s':>8} {'resources':>10} {'HCL lines':>10}"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        r = measure(size, args.repeat)
        print(
            f"{size:>6} {r['load']:>8.3f} {r['plan']:>8.3f} {r['render']:>9.3f} {r['total']:>8.3f} "
            f"{int(r['resources']):>10} {int(r['hcl_lines']):>10}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
