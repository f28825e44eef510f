"""NLB nodes and interface endpoints as nftables NAT: the service half of the layout.

* an NLB node DNATs each listener to the registered targets it serves (cross-zone off: its
  own AZ's; ``availability_zone = "all"``: every node; IP targets outside the VPC only with
  ``all`` and a private address, as AWS accepts them). Where AWS preserves the client's
  address (instance targets, UDP, or ``preserve_client_ip`` on; never PrivateLink traffic)
  the node does not SNAT: it marks the connection, and the VPC router sends the target's
  replies, addressed to the client, back through that node, whose conntrack undoes the
  DNAT. Otherwise it SNATs to itself, so targets see the node's address. A target's rule
  that references the NLB's own security group admits preserved traffic too (AWS lets
  targets reference the NLB's group whatever the source address): the node tags it with a
  DSCP value of its NLB, which such rules match;
* an endpoint ENI admits what its security groups allow, then DNATs listener ports over a
  private link to one NLB node of the service (same AZ id; any node cross-region) and SNATs
  to its end of that link; nothing can start a connection from the link's far side. The
  link exists only when the control plane lets the endpoint carry (available, service
  Available, principal allowed or same account, regions supported).
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network

from vpcwire.network import Network, SecurityGroupRule, Target, TargetGroup, VpcEndpoint
from vpcwire.sandbox.dataplane.filters import sg_lines
from vpcwire.sandbox.dataplane.slots import Slot

__all__ = ["PRESERVED", "ServiceRules", "link_pair", "preserves_client_ip", "protocols"]

PRESERVED = "0x1"  # the node's conntrack mark for a connection that keeps the client address
_STEER_TABLE = 3000  # + node index: the router's table that sends replies back to a node

_LINK_BASE = int(IPv4Address("169.254.0.0"))
_PRIVATE = [
    IPv4Network(c) for c in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10")
]


def link_pair(index: int) -> tuple[str, str]:
    """The two link-local addresses of the index-th private link (a /30 each)."""
    base = _LINK_BASE + 4 * index
    return str(IPv4Address(base + 1)), str(IPv4Address(base + 2))


def protocols(protocol: str) -> list[str]:
    if protocol == "UDP":
        return ["udp"]
    if protocol == "TCP_UDP":
        return ["tcp", "udp"]
    return ["tcp"]


def preserves_client_ip(group: TargetGroup) -> bool:
    """Does a direct (non-PrivateLink) client's address reach the targets of ``group``?

    On by default for instance targets and for UDP/TCP_UDP (where it cannot be turned
    off), off for TCP/TLS IP targets; ``preserve_client_ip.enabled`` decides otherwise.
    PrivateLink traffic always arrives from the NLB's address.
    https://docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-target-group-attributes.html#client-ip-preservation
    """
    if group.protocol in ("UDP", "TCP_UDP"):
        return True
    if group.preserve_client_ip is not None:
        return group.preserve_client_ip
    return group.target_type == "instance"


class ServiceRules:
    """Mixed into the layout builder; uses its slots, namespaces and rule buffers."""

    net: Network
    slots: list[Slot]
    slot_ns: dict[str, str]
    host: list[str]
    ip: dict[str, list[str]]
    nft: dict[str, list[str]]
    links: int
    pl: list[tuple[str, str]]
    vpc_ns: dict[str, str]
    slot_if: dict[str, str]
    unhealthy: frozenset[tuple[str, str, int]]  # (node slot, target address, port)

    def rules_of(self, groups: tuple[str, ...], egress: bool) -> list[SecurityGroupRule]:
        raise NotImplementedError

    def members(self, vpc: str) -> dict[str, list[IPv4Address]]:
        raise NotImplementedError

    # -- load balancers ----------------------------------------------------------------------

    def target_address(self, lb_vpc: str, target: Target) -> IPv4Address | None:
        try:
            address = IPv4Address(target.id)
        except ValueError:
            inst = self.net.instances.get(target.id)
            if inst is None or inst.state != "running":
                return None
            eni = self.net.interfaces.get(inst.interface)
            return eni.private_ip if eni else None
        vpc = self.net.vpcs.get(lb_vpc)
        inside = vpc is not None and any(address in c for c in vpc.cidrs)
        if not inside and (
            target.availability_zone != "all" or not any(address in p for p in _PRIVATE)
        ):
            return None  # AWS refuses such a registration; nothing is forwarded there
        return address

    def serves(self, node: Slot, target: Target, cross_zone: bool) -> bool:
        if cross_zone or target.availability_zone == "all":
            return True
        subnet = self.net.subnets[node.subnet]
        if target.availability_zone:
            return target.availability_zone in (subnet.az, subnet.az_id)
        inst = self.net.instances.get(target.id)
        target_subnet = self.net.subnets.get(inst.subnet) if inst else None
        if target_subnet is None:
            # An IP target inside the VPC is in the AZ of the subnet holding its address
            # (found by the agreement benchmark: every node used to serve it).
            try:
                address = IPv4Address(target.id)
            except ValueError:
                return True
            target_subnet = next(
                (x for x in self.net.subnets.values() if x.vpc == node.vpc and address in x.cidr),
                None,
            )
        if target_subnet is None:
            return True
        if subnet.az_id and target_subnet.az_id:
            return subnet.az_id == target_subnet.az_id
        return subnet.az == target_subnet.az

    def pairs(self, node: Slot, group: TargetGroup) -> dict[int, list[str]]:
        """Port -> the target addresses ``node`` sends ``group``'s connections to."""
        lb = self.net.load_balancers[node.owner]
        dests: dict[int, list[str]] = {}
        for t in group.targets:
            if not self.serves(node, t, lb.cross_zone):
                continue
            address = self.target_address(lb.vpc, t)
            if address is not None:
                dests.setdefault(t.port or group.port, []).append(str(address))
        return dests

    def healthy_pairs(self, node: Slot, group: TargetGroup) -> dict[int, list[str]]:
        """:meth:`pairs` without the targets that failed ``node``'s health check — unless
        every target fails from every node: then the NLB fails open and sends to all.
        https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health-checks.html
        """
        dests = self.pairs(node, group)
        if not self.unhealthy:
            return dests
        nodes = [n for n in self.slots if n.role == "node" and n.owner == node.owner]
        every = [
            (n.id, a, p)
            for n in nodes
            for p, addresses in self.pairs(n, group).items()
            for a in addresses
        ]
        if every and all(x in self.unhealthy for x in every):
            return dests  # fail open
        kept = {
            p: [a for a in addresses if (node.id, a, p) not in self.unhealthy]
            for p, addresses in dests.items()
        }
        return {p: a for p, a in kept.items() if a}

    def health_checks(self) -> list[tuple[str, str, int]]:
        """(node slot, target address, port) for every target a preserving group's node
        sends to: the checks that decide which of them receive connections."""
        out = []
        for node in self.slots:
            if node.role != "node":
                continue
            for lst in self.net.listeners_of_lb.get(node.owner, []):
                group = self.net.target_groups.get(lst.target_group or "")
                if group is None or not preserves_client_ip(group):
                    continue
                for port, addresses in self.pairs(node, group).items():
                    out += [(node.id, a, port) for a in addresses]
        return sorted(set(out))

    def dnat_lines(self, node: Slot) -> list[str]:
        """DNAT per listener to the healthy targets; a preserving group's direct clients
        are marked first (their connection keeps the client's address), PrivateLink
        traffic never is."""
        lb = self.net.load_balancers[node.owner]
        lines = []
        for lst in sorted(self.net.listeners_of_lb.get(lb.id, []), key=lambda x: x.port):
            group = self.net.target_groups.get(lst.target_group or "")
            if group is None:
                continue
            dests = self.healthy_pairs(node, group)
            if not dests:
                continue
            port, addresses = sorted(dests.items())[0]
            if len(addresses) == 1:
                to = f"{addresses[0]}:{port}"
            else:
                pairs = ", ".join(f"{i} : {a}" for i, a in enumerate(addresses))
                to = f"numgen random mod {len(addresses)} map {{ {pairs} }}:{port}"
            for proto in protocols(lst.protocol):
                match = f"ip protocol {proto} {proto} dport {lst.port}"
                if preserves_client_ip(group):
                    lines.append(f'iifname "eth0" {match} ct mark set {PRESERVED} dnat to {to}')
                lines.append(f"{match} dnat to {to}")
        return lines

    def preserving(self, node: Slot) -> bool:
        """Does some listener of ``node``'s NLB keep the client's address?"""
        for lst in self.net.listeners_of_lb.get(node.owner, []):
            group = self.net.target_groups.get(lst.target_group or "")
            # the same test dnat_lines makes before marking a listener's connections
            if group is not None and preserves_client_ip(group) and self.healthy_pairs(node, group):
                return True
        return False

    def lb_tags(self) -> dict[str, int]:
        """NLB id -> the DSCP value its nodes put on preserved traffic (NLBs with groups)."""
        cached: dict[str, int] | None = getattr(self, "_lb_tags", None)
        if cached is None:
            lbs = sorted({s.owner for s in self.slots if s.role == "node" and self.preserving(s)})
            with_groups = [b for b in lbs if self.net.load_balancers[b].security_groups]
            cached = {b: 1 + i for i, b in enumerate(with_groups[:63])}
            self._lb_tags = cached
        return cached

    def tags_for_group(self, group: str) -> list[int]:
        """DSCP values of the NLBs carrying ``group``: preserved traffic they forward."""
        return sorted(
            tag
            for lb, tag in self.lb_tags().items()
            if group in self.net.load_balancers[lb].security_groups
        )

    def steering(self) -> None:
        """Replies to preserved connections go back through the node that forwarded them.

        The target answers the client's own address; on AWS the load balancer still sees
        those replies. In the NLB's VPC router, connections a node starts are marked with
        the node's number and their replies routed to that node, whose conntrack turns the
        source back into the NLB's address before it forwards them to the client.
        """
        by_router: dict[str, list[str]] = {}
        for k, s in enumerate(self.slots, start=1):
            if s.role != "node" or not self.preserving(s):
                continue
            router = self.vpc_ns[s.vpc]
            table = _STEER_TABLE + k
            eif = self.slot_if[s.id]
            self.ip[router] += [
                f"rule add pref 500 fwmark {k} lookup {table}",
                f"route add default via {s.address} dev {eif} onlink table {table}",
            ]
            by_router.setdefault(router, []).append(f'iifname "{eif}" ct state new ct mark set {k}')
        for router, lines in by_router.items():
            self.nft.setdefault(router, []).append(
                "\n".join(
                    [
                        "table ip vwlb {",
                        "  chain steer {",
                        "    type filter hook prerouting priority -160; policy accept;",
                        *(f"    {line}" for line in lines),
                        "    ct direction reply ct mark != 0 meta mark set ct mark",
                        "  }",
                        "}",
                    ]
                )
            )

    def nodes(self) -> None:
        for s in self.slots:
            if s.role != "node":
                continue
            lb = self.net.load_balancers[s.owner]
            ingress = sg_lines(
                self.net, self.rules_of(lb.security_groups, False), "ingress", self.members(s.vpc)
            )
            table = ["table ip vw {"]
            if lb.security_groups:
                table += [
                    "  chain pre_filter {",
                    "    type filter hook prerouting priority -150; policy accept;",
                    '    iifname != "eth0" accept',
                    "    ct state established,related accept",
                    *(f"    {r}" for r in ingress),
                    "    drop",
                    "  }",
                ]
            table += [
                "  chain pre_nat {",
                "    type nat hook prerouting priority -100; policy accept;",
                *(f"    {r}" for r in self.dnat_lines(s)),
                "  }",
                "  chain post_nat {",
                "    type nat hook postrouting priority 100; policy accept;",
                f'    oifname "eth0" ct status dnat ct mark {PRESERVED} accept',
                '    oifname "eth0" ct status dnat masquerade',
                "  }",
                "  chain input {",
                "    type filter hook input priority 0; policy drop;",
                '    iif "lo" accept',
                "    ct state established,related accept",
                "  }",
            ]
            tag = self.lb_tags().get(lb.id)
            if tag is not None:
                table += [
                    "  chain tag {",
                    "    type filter hook forward priority 0; policy accept;",
                    f"    ct mark {PRESERVED} ct direction original ip dscp set {tag}",
                    "  }",
                ]
            table.append("}")
            self.nft[self.slot_ns[s.id]] = ["\n".join(table)]

    # -- interface endpoints -----------------------------------------------------------------

    def endpoints(self) -> None:
        for s in self.slots:
            if s.role != "endpoint":
                continue
            ep = self.net.endpoints[s.owner]
            ns = self.slot_ns[s.id]
            node = self.node_for(ep, s)
            ingress = sg_lines(
                self.net, self.rules_of(s.groups, False), "ingress", self.members(s.vpc)
            )
            pre_nat: list[str] = []
            post_nat: list[str] = []
            forward = ["ct state established,related accept"]
            if node is not None:
                name = f"l{self.links}"
                mine, theirs = link_pair(self.links)
                self.links += 1
                self.pl.append((s.id, node.id))
                self.host.append(
                    f"link add {name} netns {ns} type veth peer name {name} "
                    f"netns {self.slot_ns[node.id]}"
                )
                self.ip[ns] += [f"link set {name} up", f"addr add {mine}/30 dev {name}"]
                self.ip[self.slot_ns[node.id]] += [
                    f"link set {name} up",
                    f"addr add {theirs}/30 dev {name}",
                ]
                lb = self.net.load_balancers[node.owner]
                for lst in self.net.listeners_of_lb.get(lb.id, []):
                    for proto in protocols(lst.protocol):
                        pre_nat.append(
                            f'iifname "eth0" ip protocol {proto} {proto} dport {lst.port} '
                            f"dnat to {theirs}"
                        )
                post_nat.append(f'oifname "{name}" masquerade')
                if lb.security_groups and lb.enforce_sg_on_privatelink:
                    # The NLB's groups see the client's own address; references never match.
                    rules = [r for r in self.rules_of(lb.security_groups, False) if r.group is None]
                    for line in sg_lines(self.net, rules, "ingress", {}):
                        forward.append(f'iifname "eth0" oifname "{name}" {line}')
                else:
                    forward.append(f'iifname "eth0" oifname "{name}" accept')
            table = [
                "table ip vw {",
                "  chain pre_filter {",
                "    type filter hook prerouting priority -150; policy accept;",
                '    iifname != "eth0" accept',
                "    ct state established,related accept",
                *(f"    {r}" for r in ingress),
                "    drop",
                "  }",
                "  chain pre_nat {",
                "    type nat hook prerouting priority -100; policy accept;",
                *(f"    {r}" for r in pre_nat),
                "  }",
                "  chain post_nat {",
                "    type nat hook postrouting priority 100; policy accept;",
                *(f"    {r}" for r in post_nat),
                "  }",
                "  chain input {",
                "    type filter hook input priority 0; policy drop;",
                '    iif "lo" accept',
                "    ct state established,related accept",
                "  }",
                "  chain forward {",
                "    type filter hook forward priority 0; policy drop;",
                *(f"    {r}" for r in forward),
                "  }",
                "}",
            ]
            self.nft[ns] = ["\n".join(table)]

    def node_for(self, ep: VpcEndpoint, s: Slot) -> Slot | None:
        """The NLB node this endpoint ENI carries to, if the control plane lets it carry."""
        if ep.state != "available":
            return None
        service = self.net.endpoint_service_by_name.get(ep.service_name)
        vpc = self.net.vpcs.get(ep.vpc)
        if service is None or vpc is None or service.state != "Available":
            return None
        account = ep.account or vpc.account
        allowed = account == service.account or any(
            p == "*" or (p.split(":")[4:5] == [account] and p.startswith("arn:"))
            for p in service.allowed_principals
        )
        if not allowed:
            return None
        cross_region = vpc.region != service.region
        if cross_region and (
            ep.service_region != service.region or vpc.region not in service.supported_regions
        ):
            return None
        lb_id = next((b for b in service.load_balancers if b in self.net.load_balancers), None)
        if lb_id is None:
            return None
        nodes = [n for n in self.slots if n.role == "node" and n.owner == lb_id]
        if not nodes or cross_region:
            return nodes[0] if nodes else None
        mine = self.net.subnets[s.subnet]
        for n in nodes:
            theirs = self.net.subnets[n.subnet]
            if mine.az_id and theirs.az_id:
                if mine.az_id == theirs.az_id:
                    return n
            elif mine.az == theirs.az:
                return n
        if not mine.az_id or not all(self.net.subnets[n.subnet].az_id for n in nodes):
            return nodes[0]
        return None
