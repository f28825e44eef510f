"""Intents without a spec: what a Terraform configuration itself promises, plus --expect.

A configuration says what it is for by what it builds:

* every interface endpoint: the instances of its VPC reach the service's listener ports
  through it (the service: the endpoint service of the same configuration whose
  ``service_name`` the endpoint references);
* every peering: each side's instances reach the other side's on the ports the other
  side's security groups admit from them (nothing is promised where no group admits);
* every pair of VPCs whose Transit Gateway route tables route each to the other (both ways,
  across a TGW peering too): the same as a peering;
* every other pair of VPCs with instances stays isolated (TGW segments kept apart included).

``--expect FILE`` adds the user's own: a YAML list of ``{from, to, port, protocol,
reachable}`` naming instances, endpoints or load balancers by Name tag or Terraform address.
Every intent is verified with the same engine, traces and fixes as ``vpcwire verify``.
"""

from __future__ import annotations

from dataclasses import replace
from ipaddress import IPv4Network
from pathlib import Path

import yaml

from vpcwire.errors import Location, SpecError, SpecProblem, UsageError
from vpcwire.network import KINDS, Network
from vpcwire.network.model import Instance, SecurityGroupRule
from vpcwire.verify.flow import Flow
from vpcwire.verify.intents import MAX_ISOLATION_PAIRS, Intent

__all__ = ["derive_intents", "load_expectations"]

Protocol = str  # tcp, udp, icmp, or another IP protocol number (see vpcwire.verify.flow)


def derive_intents(network: Network) -> list[Intent]:
    out = _endpoint_intents(network) + _peering_intents(network) + _isolation_intents(network)
    seen: dict[str, Intent] = {}
    for intent in out:
        seen.setdefault(intent.key, intent)
    return list(seen.values())


def _label(net: Network, rid: str) -> str:
    r = net.get(rid)
    if r is None:
        return rid
    if r.origin is not None and r.origin.address:
        return r.origin.address
    return r.name or rid


def _intent(
    net: Network,
    tag: str,
    reachable: bool,
    src: str,
    dst: str,
    proto: Protocol,
    port: int,
    why: str,
) -> Intent:
    arrow = "->" if reachable else "-/->"
    key = f"{tag}: {_label(net, src)} {arrow} {_label(net, dst)} {proto}/{port}"
    return Intent(
        key, None, "reachable" if reachable else "unreachable", Flow(src, dst, proto, port), why
    )


def _endpoint_intents(net: Network) -> list[Intent]:
    out: list[Intent] = []
    for ep in net.endpoints.values():
        if ep.type != "Interface":
            continue
        svc = net.endpoint_service_by_name.get(ep.service_name)
        if svc is None:
            continue  # a service outside this configuration: nothing to say about its ports
        listeners = [lst for lb in svc.load_balancers for lst in net.listeners_of_lb.get(lb, [])]
        for inst in net.instances_in_vpc.get(ep.vpc, []):
            for lst in listeners:
                protos: list[Protocol] = (
                    ["tcp", "udp"]
                    if lst.protocol == "TCP_UDP"
                    else ["udp"]
                    if lst.protocol == "UDP"
                    else ["tcp"]
                )
                for proto in protos:
                    out.append(
                        _intent(
                            net,
                            "endpoint",
                            True,
                            inst.id,
                            ep.id,
                            proto,
                            lst.port,
                            f"{_label(net, ep.id)} exists so that its VPC's instances reach "
                            f"{_label(net, svc.id)} on listener {lst.port}",
                        )
                    )
    return out


def _admitted(net: Network, src: Instance, dst: Instance) -> list[tuple[Protocol, int]]:
    """The (protocol, port) probes that dst's security groups admit from src."""
    src_eni = net.interfaces.get(src.interface)
    dst_eni = net.interfaces.get(dst.interface)
    if src_eni is None or dst_eni is None:
        return []
    src_vpc = net.vpcs.get(src.vpc)
    addresses: list[IPv4Network] = (
        [IPv4Network(f"{src_eni.private_ip}/32")]
        if src_eni.private_ip is not None
        else [net.subnets[src.subnet].cidr]
        if src.subnet in net.subnets
        else list(src_vpc.cidrs)
        if src_vpc
        else []
    )
    out: list[tuple[Protocol, int]] = []
    for g in dst_eni.security_groups:
        sg = net.security_groups.get(g)
        if sg is None:
            continue
        for rule in sg.ingress:
            if _from_source(rule, addresses, src_eni.security_groups):
                out += _probes(rule)
    return list(dict.fromkeys(out))


def _from_source(
    rule: SecurityGroupRule, addresses: list[IPv4Network], groups: tuple[str, ...]
) -> bool:
    if rule.cidr is not None:
        return (
            bool(addresses)
            and all(a.subnet_of(rule.cidr) for a in addresses)
            and rule.cidr.prefixlen > 0
        )
    return rule.group is not None and rule.group in groups


def _probes(rule: SecurityGroupRule) -> list[tuple[Protocol, int]]:
    if rule.protocol == "all":
        return [("tcp", 22), ("icmp", 8)]
    if rule.protocol == "icmp":
        return [("icmp", 8)]
    if rule.protocol not in ("tcp", "udp"):
        return [(rule.protocol, 0)]  # another IP protocol: no ports
    port = rule.ports.low if rule.ports is not None else (22 if rule.protocol == "tcp" else 53)
    return [(rule.protocol, port)]


def _peering_intents(net: Network) -> list[Intent]:
    out: list[Intent] = []
    links = [(pcx.id, pcx.requester_vpc, pcx.accepter_vpc) for pcx in net.peerings.values()]
    links += [(tgw, x, y) for (x, y), tgw in sorted(_tgw_links(net).items())]
    for link, a, b in links:
        what = "peering" if link in net.peerings else "transit gateway"
        for here, there in ((a, b), (b, a)):
            for src in net.instances_in_vpc.get(here, []):
                for dst in net.instances_in_vpc.get(there, []):
                    for proto, port in _admitted(net, src, dst):
                        out.append(
                            _intent(
                                net,
                                "peering",
                                True,
                                src.id,
                                dst.id,
                                proto,
                                port,
                                f"{what} {_label(net, link)}: {_label(net, dst.id)}'s "
                                f"security groups admit {_label(net, src.id)} on {proto}/{port}",
                            )
                        )
    return out


def _isolation_intents(net: Network) -> list[Intent]:
    linked: set[frozenset[str]] = set()
    for pcx in net.peerings.values():
        linked.add(frozenset((pcx.requester_vpc, pcx.accepter_vpc)))
    linked |= {frozenset(pair) for pair in _tgw_links(net)}
    vpcs = [v for v in net.vpcs if net.instances_in_vpc.get(v)]
    pairs = [(x, y) for x in vpcs for y in vpcs if x != y and frozenset((x, y)) not in linked]
    out = []
    for x, y in pairs[:MAX_ISOLATION_PAIRS]:
        src, dst = net.instances_in_vpc[x][0], net.instances_in_vpc[y][0]
        out.append(
            _intent(
                net,
                "isolation",
                False,
                src.id,
                dst.id,
                "tcp",
                22,
                f"{_label(net, x)} and {_label(net, y)} are not peered: no host of one reaches "
                "a host of the other directly",
            )
        )
    return out


def _tgw_links(net: Network) -> dict[tuple[str, str], str]:
    """(x, y) with x < y -> the TGW x enters by, for each pair of VPCs whose TGW route tables
    carry x's primary block to y and y's to x: the table associated with the ingress
    attachment routes the destination's block (longest prefix; propagated routes counted;
    blackholes and unavailable attachments carry nothing) to the destination's attachment,
    or over a TGW peering to a TGW that does. Reading the configuration's routing only; the
    verifier then checks the whole path, VPC routes and filters included."""

    def carries(tgw: str, ingress: str, vpc: str, hops: int = 3) -> bool:
        table = net.tgw_route_table_of.get((tgw, ingress))
        dest = net.vpcs[vpc].cidr
        if table is None or hops == 0:
            return False
        best = None
        for route in net.tgw_routes(table):
            d = route.destination
            if d is None or not dest.subnet_of(d):
                continue
            if best is None or d.prefixlen > best.destination.prefixlen:  # type: ignore[union-attr]
                best = route
        att = (
            None
            if best is None or best.attachment is None
            else net.tgw_attachments.get(best.attachment)
        )
        if att is None or att.state != "available":
            return False
        if att.kind == "vpc":
            return att.vpc == vpc
        other = att.other_gateway(tgw)
        return other is not None and carries(other, att.id, vpc, hops - 1)

    out: dict[tuple[str, str], str] = {}
    attached = {
        vpc: [a for a in atts if a.state == "available"]
        for vpc, atts in net.tgw_attachments_of_vpc.items()
        if vpc in net.vpcs
    }
    for x, xs in attached.items():
        for y, ys in attached.items():
            if x >= y:
                continue
            for ax in xs:
                if not carries(ax.transit_gateway, ax.id, y):
                    continue
                if any(carries(ay.transit_gateway, ay.id, x) for ay in ys):
                    out[(x, y)] = ax.transit_gateway
                    break
    return out


def load_expectations(path: Path, network: Network) -> list[Intent]:
    """The --expect file: ``[{from, to, port, protocol, reachable}, ...]``."""
    if not path.is_file():
        raise UsageError(f"--expect {path}: no such file")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = Location(path, mark.line + 1 if mark else None)
        raise SpecError(
            [SpecProblem(where, "", f"YAML syntax error: {exc}", kind="terraform")]
        ) from None
    if not isinstance(data, list):
        raise SpecError(
            [
                SpecProblem(
                    Location(path, 1),
                    "",
                    "expected a list of {from, to, port, protocol, reachable}",
                    kind="terraform",
                )
            ]
        )
    out: list[Intent] = []
    problems: list[SpecProblem] = []
    for i, item in enumerate(data):
        where = Location(path)
        if not isinstance(item, dict):
            problems.append(SpecProblem(where, f"[{i}]", "expected a mapping"))
            continue
        unknown = set(item) - {"from", "to", "port", "protocol", "reachable"}
        if unknown:
            problems.append(
                SpecProblem(
                    where,
                    f"[{i}]",
                    f"unknown keys {sorted(unknown)}",
                    hint="use from, to, port, protocol, reachable",
                )
            )
            continue
        src, dst = item.get("from"), item.get("to")
        port, proto = item.get("port"), item.get("protocol", "tcp")
        reachable = item.get("reachable", True)
        if not isinstance(src, str) or not isinstance(dst, str):
            problems.append(SpecProblem(where, f"[{i}]", "from and to must be names or addresses"))
            continue
        if (
            not isinstance(port, int)
            or proto not in ("tcp", "udp", "icmp")
            or not isinstance(reachable, bool)
        ):
            problems.append(
                SpecProblem(
                    where,
                    f"[{i}]",
                    "port must be a number, protocol tcp|udp|icmp, reachable true|false",
                    value=item,
                )
            )
            continue
        src_id = _resolve(network, src, problems, where, f"[{i}].from")
        dst_id = _resolve(network, dst, problems, where, f"[{i}].to")
        if src_id and dst_id:
            out.append(
                _intent(
                    network, "expect", reachable, src_id, dst_id, proto, port, f"{path.name}[{i}]"
                )
            )
    if problems:
        raise SpecError([replace(p, kind="terraform") for p in problems])
    return out


def _resolve(
    net: Network, name: str, problems: list[SpecProblem], where: Location, field: str
) -> str | None:
    """A Name tag, a Terraform address or an IP -> the Network id the engine knows."""
    kinds = ("instance", "vpc_endpoint", "load_balancer", "network_interface")
    candidates = [r for kind in kinds for r in getattr(net, KINDS[kind][1]).values()]
    by_address = [r for r in candidates if r.origin is not None and r.origin.address == name]
    if by_address:
        return str(by_address[0].id)
    found = net.find(name, kinds)
    if found:
        return str(found[0].id)
    if any(c.isdigit() for c in name) and name.count(".") == 3:
        return name
    close = net.suggest(name, kinds)
    hint = f"did you mean {', '.join(close)}?" if close else "use a Name tag or a Terraform address"
    problems.append(
        SpecProblem(where, field, f"no instance, endpoint or load balancer {name!r}", hint=hint)
    )
    return None
