"""How `vpcwire diff` scales: two synthetic estates of N VPCs that differ by a few changes.

    .venv/bin/python benchmarks/diff_scale.py              # 100 VPCs (the target)
    .venv/bin/python benchmarks/diff_scale.py --vpcs 300   # other sizes (repeatable)

NEW is OLD with three changes a pull request could make: a new peering (with routes and an
all-traffic security group rule on both sides), an app security group narrowed to one port,
and a second listener on one NLB. Both networks are built before timing starts; the time is
the whole comparison — equivalence classes, tracing every class on both networks, grouping,
and the resource comparison. Target: 100 VPCs ≤ 10 s on one core. CPU time is printed
beside wall time because other load on a shared machine inflates only the latter.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synthetic import build

from vpcwire.diff import flow_changes, resource_changes
from vpcwire.network import (
    Listener,
    Network,
    NetworkBuilder,
    PeeringConnection,
    PortRange,
    Route,
    SecurityGroupRule,
)


def changed(old: Network) -> tuple[Network, str]:
    """OLD plus a new peering, a narrowed security group and a new listener."""
    b = NetworkBuilder(old)
    peered = {frozenset((p.requester_vpc, p.accepter_vpc)) for p in old.peerings.values()}
    vpcs = sorted(old.vpcs.values(), key=lambda v: v.id)
    x, y = next(
        (a, c)
        for a in vpcs
        for c in vpcs
        if a.id < c.id and frozenset((a.id, c.id)) not in peered and a.region == c.region
    )
    pcx = b.add(
        PeeringConnection(
            "pcx-bench", "bench", x.id, y.id, x.account, y.account, x.region, y.region
        )
    )
    for here, there in ((x, y), (y, x)):
        for rt in old.route_tables.values():
            if rt.vpc == here.id:
                b.update(rt, routes=(*rt.routes, Route(there.cidr, pcx.id, "peering")))
        for sg in old.security_groups.values():
            if sg.vpc == here.id and sg.name.endswith("-app"):
                rule = SecurityGroupRule("all", None, there.cidr)
                b.update(sg, ingress=(*sg.ingress, rule), egress=(*sg.egress, rule))
    narrowed = next(
        sg
        for sg in sorted(old.security_groups.values(), key=lambda s: s.id)
        if sg.name.startswith("v")
        and sg.name.endswith("-app")
        and sg.vpc not in (x.id, y.id)
        and sg.ingress
    )
    b.update(
        narrowed,
        ingress=tuple(
            replace(r, ports=PortRange.one(443)) if r.protocol != "icmp" else r
            for r in narrowed.ingress
        ),
    )
    lst = sorted(old.listeners.values(), key=lambda item: item.id)[0]
    b.add(
        Listener(
            lst.id + "-8443",
            lst.name + "-8443",
            lst.load_balancer,
            8443,
            lst.protocol,
            lst.target_group,
        )
    )
    return (
        b.build(),
        f"peering {x.name}<->{y.name}, narrowed {narrowed.name}, listener on {lst.load_balancer}",
    )


def run(vpcs: int) -> None:
    estate = build(vpcs, vpcs * 10)
    old = estate.network
    new, what = changed(old)
    started, cpu = time.perf_counter(), time.process_time()
    flows = flow_changes(old, new)
    resources = resource_changes(old, new)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"{vpcs:>5} VPCs, {len(old.instances):>5} instances: {seconds:6.2f} s wall, "
        f"{cpu:6.2f} s CPU  "
        f"({flows.classes_traced} classes traced per network, {len(flows.changes)} flow groups "
        f"changed, {len(resources)} resources changed) [{what}]"
    )
    for change in flows.changes[:6]:
        print(f"        {change}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--vpcs", type=int, action="append", help="sizes (default: 100)")
    for size in parser.parse_args().vpcs or [100]:
        run(size)


if __name__ == "__main__":
    main()
