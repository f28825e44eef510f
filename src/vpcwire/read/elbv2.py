"""Network Load Balancers, their listeners and target groups (ELBv2).

Model ids for ELBv2 resources are their ARNs (load balancer, listener, target group): ARNs
are what every ELBv2 and EC2 API uses to refer to them (listener → target group, endpoint
service → NLB). Names are the Name tag, else the AWS name (listeners have none: "").

AWS → model:

* Load balancer (type ``network`` only): subnets from AvailabilityZones; node ENIs from the
  ENI scan (see :mod:`vpcwire.read.interfaces`), plus, for a subnet whose node ENI was not
  seen but whose address AWS reports in ``LoadBalancerAddresses``, a node interface
  ``<arn>:<subnet>`` with that address; security groups;
  ``EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic`` (absent = on, AWS's default);
  cross-zone from ``load_balancing.cross_zone.enabled``; idle timeout from the TCP
  listeners' ``tcp.idle_timeout.seconds`` (the largest one that is not AWS's default 350 s;
  None when all are default, as the planner writes it).
* Listener: port, protocol, and the forward action's target group (``TargetGroupArn``, or
  the first weighted group of a ``ForwardConfig``; NLBs allow only one).
* Target group: NLB protocols only (TCP, UDP, TCP_UDP, TLS — HTTP groups belong to ALBs),
  instance or ip targets; ``preserve_client_ip.enabled``, None when it is AWS's default for
  the group (on for instance targets and for UDP/TCP_UDP, off otherwise), as planned.
* Targets: DescribeTargetHealth's id, port and AvailabilityZone, except ``draining`` ones
  (being deregistered). AWS echoes ``all`` for IP targets registered outside the VPC; moto
  echoes no zone at all. Since AWS refuses to register an address outside the group's VPC
  without ``all``, an IP target outside the VPC's blocks with no zone is recorded as ``all``.
"""

from __future__ import annotations

from collections.abc import Iterable
from ipaddress import IPv4Address
from typing import Any, Literal, cast

from vpcwire.network import (
    Listener,
    LoadBalancer,
    NetworkBuilder,
    NetworkInterface,
    Target,
    TargetGroup,
)
from vpcwire.read.convert import Raw, add_new, address, name_of
from vpcwire.read.snapshot import Snapshot, Unit
from vpcwire.read.tasks import Scheduler, api_name, paginate, store_at

__all__ = ["map_elbv2", "schedule"]

LbProtocol = Literal["TCP", "UDP", "TCP_UDP", "TLS", "HTTP", "HTTPS"]
NLB_PROTOCOLS = ("TCP", "UDP", "TCP_UDP", "TLS")
DEFAULT_IDLE_TIMEOUT = 350
_TAGS_PER_CALL = 20  # DescribeTags takes at most 20 ARNs


# -- fetching ------------------------------------------------------------------------------


def schedule(sched: Scheduler, unit: Unit) -> None:
    snap, elb = unit.snap, unit.elbv2

    def store_lbs(items: list[Raw]) -> None:
        keep = [
            lb for lb in items if lb.get("Type") == "network" and lb.get("VpcId") in snap.selected
        ]
        snap.load_balancers.extend(keep)
        for lb in keep:
            _load_balancer_details(sched, unit, lb["LoadBalancerArn"])
        _tags(sched, unit, [lb["LoadBalancerArn"] for lb in keep])

    def store_tgs(items: list[Raw]) -> None:
        keep = [
            tg
            for tg in items
            if tg.get("VpcId") in snap.selected and tg.get("Protocol") in NLB_PROTOCOLS
        ]
        snap.target_groups.extend(keep)
        for tg in keep:
            _target_group_details(sched, unit, tg["TargetGroupArn"])
        _tags(sched, unit, [tg["TargetGroupArn"] for tg in keep])

    sched.list_all(
        unit,
        "load_balancers",
        elb,
        "describe_load_balancers",
        store_lbs,
        f"load balancers of {unit.where} are not in the network",
    )
    sched.list_all(
        unit,
        "target_groups",
        elb,
        "describe_target_groups",
        store_tgs,
        f"target groups of {unit.where} are not in the network",
    )


def _attributes(answer: dict[str, Any]) -> dict[str, str]:
    return {a["Key"]: a.get("Value", "") for a in answer.get("Attributes") or ()}


def _load_balancer_details(sched: Scheduler, unit: Unit, arn: str) -> None:
    snap, elb = unit.snap, unit.elbv2

    def store_listeners(items: list[Raw]) -> None:
        snap.listeners.extend(items)
        for listener in items:
            if listener.get("Protocol") == "TCP":
                _listener_attributes(sched, unit, listener["ListenerArn"])
        _tags(sched, unit, [item["ListenerArn"] for item in items])

    sched.call(
        unit,
        "lb_attributes",
        api_name(elb, "describe_load_balancer_attributes"),
        lambda: _attributes(elb.describe_load_balancer_attributes(LoadBalancerArn=arn)),
        store_at(snap.lb_attributes, arn),
        "load balancer attributes (cross-zone) are assumed to be AWS's defaults",
    )
    sched.call(
        unit,
        "listeners",
        api_name(elb, "describe_listeners"),
        paginate(elb, "describe_listeners", LoadBalancerArn=arn),
        store_listeners,
        f"listeners of {arn} are not in the network",
    )


def _listener_attributes(sched: Scheduler, unit: Unit, arn: str) -> None:
    elb = unit.elbv2
    sched.call(
        unit,
        "listener_attributes",
        api_name(elb, "describe_listener_attributes"),
        lambda: _attributes(elb.describe_listener_attributes(ListenerArn=arn)),
        store_at(unit.snap.listener_attributes, arn),
        "TCP idle timeouts of listeners are assumed to be AWS's default",
    )


def _target_group_details(sched: Scheduler, unit: Unit, arn: str) -> None:
    snap, elb = unit.snap, unit.elbv2
    sched.call(
        unit,
        "tg_attributes",
        api_name(elb, "describe_target_group_attributes"),
        lambda: _attributes(elb.describe_target_group_attributes(TargetGroupArn=arn)),
        store_at(snap.tg_attributes, arn),
        "target group attributes (client IP preservation) are assumed to be AWS's defaults",
    )
    sched.call(
        unit,
        "target_health",
        api_name(elb, "describe_target_health"),
        lambda: list(
            elb.describe_target_health(TargetGroupArn=arn).get("TargetHealthDescriptions") or ()
        ),
        store_at(snap.target_health, arn),
        f"the targets of {arn} are not in the network",
    )


def _tags(sched: Scheduler, unit: Unit, arns: list[str]) -> None:
    elb = unit.elbv2
    for i in range(0, len(arns), _TAGS_PER_CALL):
        chunk = arns[i : i + _TAGS_PER_CALL]

        def run(chunk: list[str] = chunk) -> list[Raw]:
            return list(elb.describe_tags(ResourceArns=chunk).get("TagDescriptions") or ())

        def store(items: list[Raw]) -> None:
            for item in items:
                unit.snap.elb_tags[item["ResourceArn"]] = {
                    t["Key"]: t.get("Value", "") for t in item.get("Tags") or ()
                }

        sched.call(
            unit,
            "elb_tags",
            api_name(elb, "describe_tags"),
            run,
            store,
            "load balancing resources are named by their AWS names, not Name tags",
        )


# -- mapping -------------------------------------------------------------------------------


def map_elbv2(snap: Snapshot, b: NetworkBuilder) -> None:
    nodes: dict[str, list[NetworkInterface]] = {}
    for eni in b.all("network_interface"):
        if eni.kind == "load_balancer" and eni.owner:
            nodes.setdefault(eni.owner, []).append(eni)
    listeners_of: dict[str, list[Raw]] = {}
    for raw in snap.listeners:
        listeners_of.setdefault(raw["LoadBalancerArn"], []).append(raw)
    for raw in snap.load_balancers:
        arn = raw["LoadBalancerArn"]
        add_new(b, _load_balancer(raw, snap, b, nodes.get(arn, []), listeners_of.get(arn, [])))
        for listener in listeners_of.get(arn, []):
            mapped = _listener(listener, snap)
            if mapped is not None:
                add_new(b, mapped)
    for raw in snap.target_groups:
        mapped_tg = _target_group(raw, snap, b)
        if mapped_tg is not None:
            add_new(b, mapped_tg)


def _name(snap: Snapshot, arn: str, fallback: str = "") -> str:
    return name_of(snap.elb_tags.get(arn, {}), fallback)


def _load_balancer(
    raw: Raw, snap: Snapshot, b: NetworkBuilder, enis: list[NetworkInterface], listeners: list[Raw]
) -> LoadBalancer:
    arn = raw["LoadBalancerArn"]
    zones = raw.get("AvailabilityZones") or []
    subnets = tuple(z["SubnetId"] for z in zones)
    by_subnet = {eni.subnet: eni.id for eni in enis}
    for zone in zones:
        if zone["SubnetId"] not in by_subnet:
            node = _node_from_address(raw, zone)
            if node is not None and add_new(b, node):
                by_subnet[zone["SubnetId"]] = node.id
    interfaces = tuple(by_subnet[s] for s in subnets if s in by_subnet)
    attrs = snap.lb_attributes.get(arn, {})
    return LoadBalancer(
        arn,
        _name(snap, arn, raw.get("LoadBalancerName", "")),
        raw["VpcId"],
        subnets,
        interfaces,
        internal=raw.get("Scheme", "internal") == "internal",
        kind="network",
        security_groups=tuple(raw.get("SecurityGroups") or ()),
        enforce_sg_on_privatelink=(
            raw.get("EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic", "on") != "off"
        ),
        cross_zone=attrs.get("load_balancing.cross_zone.enabled") == "true",
        idle_timeout=_idle_timeout(snap, listeners),
    )


def _node_from_address(raw: Raw, zone: Raw) -> NetworkInterface | None:
    for entry in zone.get("LoadBalancerAddresses") or ():
        ip = address(entry.get("PrivateIPv4Address"))
        if ip is not None:
            arn = raw["LoadBalancerArn"]
            return NetworkInterface(
                f"{arn}:{zone['SubnetId']}",
                "",
                raw["VpcId"],
                zone["SubnetId"],
                ip,
                tuple(raw.get("SecurityGroups") or ()),
                kind="load_balancer",
                owner=arn,
            )
    return None


def _idle_timeout(snap: Snapshot, listeners: Iterable[Raw]) -> int | None:
    custom = [
        int(value)
        for raw in listeners
        if (
            value := snap.listener_attributes.get(raw["ListenerArn"], {}).get(
                "tcp.idle_timeout.seconds", ""
            )
        ).isdigit()
        and int(value) != DEFAULT_IDLE_TIMEOUT
    ]
    return max(custom) if custom else None


def _listener(raw: Raw, snap: Snapshot) -> Listener | None:
    protocol = raw.get("Protocol")
    if protocol not in (*NLB_PROTOCOLS, "HTTP", "HTTPS"):
        snap.warnings.append(
            f"{raw['ListenerArn']}: protocol {protocol} is not modelled; the listener is left out"
        )
        return None
    groups = []
    for action in raw.get("DefaultActions") or ():
        if action.get("Type") == "forward":
            if action.get("TargetGroupArn"):
                groups.append(action["TargetGroupArn"])
            weighted = (action.get("ForwardConfig") or {}).get("TargetGroups") or ()
            groups += [g["TargetGroupArn"] for g in weighted if g.get("Weight", 1) > 0]
    return Listener(
        raw["ListenerArn"],
        _name(snap, raw["ListenerArn"]),
        raw["LoadBalancerArn"],
        int(raw["Port"]),
        cast(LbProtocol, protocol),
        groups[0] if groups else None,
    )


def _target_group(raw: Raw, snap: Snapshot, b: NetworkBuilder) -> TargetGroup | None:
    arn, kind, protocol = raw["TargetGroupArn"], raw.get("TargetType"), raw["Protocol"]
    if kind not in ("instance", "ip"):
        snap.warnings.append(f"{arn}: target type {kind} is not modelled; the group is left out")
        return None
    preserve = snap.tg_attributes.get(arn, {}).get("preserve_client_ip.enabled")
    default = kind == "instance" or protocol in ("UDP", "TCP_UDP")
    observed = None if preserve is None else preserve == "true"
    vpc = b.get_or_none("vpc", raw["VpcId"])
    targets = tuple(
        _target(d, kind, vpc.cidrs if vpc else ())
        for d in snap.target_health.get(arn, [])
        if (d.get("TargetHealth") or {}).get("State") != "draining"
    )
    return TargetGroup(
        arn,
        _name(snap, arn, raw.get("TargetGroupName", "")),
        raw["VpcId"],
        cast(LbProtocol, protocol),
        int(raw["Port"]),
        kind,
        targets,
        preserve_client_ip=None if observed == default else observed,
    )


def _target(description: Raw, kind: str, vpc_cidrs: Iterable[Any]) -> Target:
    raw = description.get("Target") or {}
    zone = raw.get("AvailabilityZone")
    if zone is None and kind == "ip":
        ip = address(raw.get("Id"))
        blocks = list(vpc_cidrs)
        if isinstance(ip, IPv4Address) and blocks and not any(ip in c for c in blocks):
            zone = "all"  # AWS requires it for addresses outside the VPC; moto omits it
    port = raw.get("Port")
    return Target(raw["Id"], int(port) if port is not None else None, zone)
