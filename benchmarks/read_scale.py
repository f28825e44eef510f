"""The live read: API calls per read, and what concurrency buys on the sandbox and on AWS.

    .venv/bin/python benchmarks/read_scale.py                 # 100 VPCs
    .venv/bin/python benchmarks/read_scale.py --vpcs 200
    PYTHONPATH=/work/main/src .venv/bin/python benchmarks/read_scale.py   # another tree

A private background sandbox gets N VPCs in us-east-1 (one subnet each; every fourth pair
peered, half of those peerings allowing DNS resolution from the remote VPC), then
`read_network` reads them:
- API calls per read, and how many of them are DescribeVpcAttribute (it has no batch form:
  one attribute of one VPC per call, so only the VPCs whose DNS settings matter are asked);
- wall time with 1 and 8 workers, against the sandbox as it is and with 50 ms added before
  every request (a stand-in for AWS's latency), medians of 3.
On the sandbox, moto answers every request in one Python process: its CPU work holds the
GIL, so threads overlap only the network waits and the ceiling is about one core's worth of
requests, whatever the number of workers; with AWS-like latency the workers overlap the
waits, as they would on AWS.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

LATENCY_S = 0.05


def build(ec2: Any, count: int) -> None:
    vpcs = []
    for i in range(count):
        vpc = ec2.create_vpc(CidrBlock=f"10.{i // 4}.{(i % 4) * 64}.0/18")["Vpc"]["VpcId"]
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.{i // 4}.{(i % 4) * 64}.0/24")
        vpcs.append(vpc)
    for k, (a, b) in enumerate(zip(vpcs[0::8], vpcs[4::8], strict=False)):
        pcx = ec2.create_vpc_peering_connection(VpcId=a, PeerVpcId=b)["VpcPeeringConnection"]
        pcx_id = pcx["VpcPeeringConnectionId"]
        ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=pcx_id)
        if k % 2 == 0:
            ec2.modify_vpc_peering_connection_options(
                VpcPeeringConnectionId=pcx_id,
                AccepterPeeringConnectionOptions={"AllowDnsResolutionFromRemoteVpc": True},
            )


def one_read(session: Any, endpoint_url: str, workers: int) -> tuple[float, int, int]:
    from vpcwire.read import read_network

    attributes: list[int] = []
    handler = lambda **_: attributes.append(1)  # noqa: E731
    session.events.register("before-call.ec2.DescribeVpcAttribute", handler)
    try:
        result = read_network(
            ["us-east-1"], endpoint_url=endpoint_url, max_workers=workers, session=session
        )
    finally:
        session.events.unregister("before-call.ec2.DescribeVpcAttribute", handler)
    return result.seconds, result.calls, len(attributes)


def measure(count: int) -> dict[str, Any]:
    from vpcwire.sandbox.background import start_background, stop_background
    from vpcwire.sandbox.clients import boto3_session

    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        os.environ["VPCWIRE_HOME"] = str(home)
        info = start_background(home)
        try:
            sandbox = boto3_session(info.endpoint_url)
            session = sandbox.session
            build(sandbox.client("ec2", "us-east-1"), count)  # the sandbox's endpoint, only
            for latency in (0.0, LATENCY_S):
                delay = (lambda _s=latency, **_: time.sleep(_s)) if latency else None
                if delay:
                    session.events.register("before-send", delay)
                for workers in (1, 8):
                    runs = [one_read(session, info.endpoint_url, workers) for _ in range(3)]
                    rows.append(
                        {
                            "latency_ms": latency * 1e3,
                            "workers": workers,
                            "seconds": statistics.median(r[0] for r in runs),
                            "calls": runs[0][1],
                            "attribute_calls": runs[0][2],
                        }
                    )
                if delay:
                    session.events.unregister("before-send", delay)
        finally:
            stop_background(home)
    load = os.getloadavg()
    return {
        "vpcs": count,
        "dns_relevant_vpcs": dns_relevant(count),
        "load": f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
        "rows": rows,
    }


def dns_relevant(count: int) -> int:
    """VPCs on a peering that allows DNS resolution, as :func:`build` makes them."""
    pairs = len(list(zip(range(0, count, 8), range(4, count, 8), strict=False)))
    return 2 * len(range(0, pairs, 2))


def print_table(result: dict[str, Any]) -> None:
    print(
        f"read of {result['vpcs']} VPCs (+1 default) in one region; wall seconds, median of 3; "
        f"load average {result['load']}"
    )
    print(f"{'latency':>8} {'workers':>8} {'seconds':>8} {'calls':>6} {'attribute calls':>16}")
    for r in result["rows"]:
        print(
            f"{r['latency_ms']:>6.0f}ms {r['workers']:>8} {r['seconds']:>7.2f}s "
            f"{r['calls']:>6} {r['attribute_calls']:>16}"
        )
    by = {(r["latency_ms"], r["workers"]): r["seconds"] for r in result["rows"]}
    for latency in sorted({r["latency_ms"] for r in result["rows"]}):
        speedup = by[(latency, 1)] / by[(latency, 8)]
        print(f"  8 workers vs 1 at {latency:.0f} ms added latency: x{speedup:.2f}")
    first = result["rows"][0]
    relevant = result["dns_relevant_vpcs"]
    print(f"{'target':<52} {'target':>7} {'measured':>9} {'ratio':>6}")
    rows = [
        (
            "DescribeVpcAttribute calls (2 per DNS-relevant VPC)",
            2 * relevant,
            first["attribute_calls"],
        ),
        ("API calls per read (no target: for the record)", None, first["calls"]),
    ]
    for what, target, measured in rows:
        ratio = f"{measured / target:.2f}" if target else "-"
        print(f"{what:<52} {target if target is not None else '-':>7} {measured:>9} {ratio:>6}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vpcs", type=int, default=100)
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args()
    result = measure(args.vpcs)
    if args.json:
        print(json.dumps(result))
    else:
        print_table(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
