"""Patches for network ACLs, peering connections and security group rules."""

from __future__ import annotations

import ipaddress
from typing import Any

from vpcwire.sandbox.patches._helpers import (
    IMPLICIT_DENY_RULE,
    PEERING_FAILED_MESSAGE,
    _bind,
    _extra,
    _replace,
)


def network_acl_implicit_deny() -> None:
    """Every network ACL ends with the implicit deny rule 32767, ingress and egress.

    AWS:   a network ACL's entries always end with rule 32767 (`*`), deny all, in both
           directions; it cannot be removed.
    moto:  default ACLs have it; ACLs made with CreateNetworkAcl have no entries at all.
    patch: add the two deny entries to any ACL created without them.
    """
    from moto.ec2.models.network_acls import NetworkAclBackend

    original = NetworkAclBackend.create_network_acl

    def create_network_acl(self: Any, *args: Any, **kwargs: Any) -> Any:
        acl = original(self, *args, **kwargs)
        for egress in (False, True):
            present = any(
                int(entry.rule_number) == IMPLICIT_DENY_RULE and bool(entry.egress) == egress
                for entry in acl.network_acl_entries
            )
            if not present:
                self.create_network_acl_entry(
                    network_acl_id=acl.id,
                    rule_number=IMPLICIT_DENY_RULE,
                    protocol="-1",
                    rule_action="deny",
                    egress=egress,
                    cidr_block="0.0.0.0/0",
                    icmp_code=None,
                    icmp_type=None,
                    port_range_from=None,
                    port_range_to=None,
                    ipv6_cidr_block=None,
                )
        return acl

    _replace(NetworkAclBackend, "create_network_acl", create_network_acl)


def _associated_cidrs(vpc: Any) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [
        ipaddress.ip_network(association["cidr_block"])
        for association in vpc._cidr_block_association_set.values()
        if association.get("cidr_block_state", {}).get("state") == "associated"
    ]


def _cidrs_overlap(vpc: Any, peer_vpc: Any) -> bool:
    return any(
        mine.version == theirs.version and mine.overlaps(theirs)
        for mine in _associated_cidrs(vpc)
        for theirs in _associated_cidrs(peer_vpc)
    )


def peering_overlap_fails() -> None:
    """A peering between VPCs with overlapping CIDR blocks ends in status `failed`.

    AWS:   CreateVpcPeeringConnection succeeds, then the connection goes to `failed` with
           "Failed due to incorrect VPC-ID, Account ID, or overlapping CIDR range" when any
           associated block (primary or secondary, IPv4 or IPv6) of one VPC overlaps one of
           the other's; it can never be accepted.
    moto:  the connection goes to pending-acceptance and can be accepted and routed through.
    patch: on create, mark such a connection failed with AWS's message (moto's accept then
           refuses it, as AWS does).
    """
    from moto.ec2.models.vpc_peering_connections import VPCPeeringConnectionBackend

    original = VPCPeeringConnectionBackend.create_vpc_peering_connection

    def create_vpc_peering_connection(self: Any, *args: Any, **kwargs: Any) -> Any:
        connection = original(self, *args, **kwargs)
        if _cidrs_overlap(connection.vpc, connection.peer_vpc):
            connection._status.code = "failed"
            connection._status.message = PEERING_FAILED_MESSAGE
        return connection

    _replace(
        VPCPeeringConnectionBackend, "create_vpc_peering_connection", create_vpc_peering_connection
    )


def security_group_rule_descriptions() -> None:
    """A rule's description is returned whatever its peer is.

    AWS:   DescribeSecurityGroupRules returns the Description of every rule: a CIDR rule, a
           rule referencing another group, a prefix-list rule.
    moto:  keeps the description of a group reference in the rule's source group and that of
           a prefix-list rule not at all, but reads it only from the CIDR range; the Terraform
           provider then sees an empty description on `aws_vpc_security_group_egress_rule`
           with `referenced_security_group_id` and plans an update on every run.
    patch: the rule remembers a prefix list's description and `description` falls back to
           the source group's and the prefix list's.
    """
    from moto.ec2.models.security_groups import SecurityGroupRule

    original_init = SecurityGroupRule.__init__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        prefix = _bind(original_init, self, *args, **kwargs).get("prefix_list_id") or {}
        if prefix.get("Description"):
            _extra(self)["prefix_description"] = prefix["Description"]

    def description(self: Any) -> str | None:
        return (
            self.ip_range.get("Description")
            or self.source_group.get("Description")
            or _extra(self).get("prefix_description")
        )

    SecurityGroupRule.__init__ = __init__  # type: ignore[method-assign]
    SecurityGroupRule.description = property(description)  # type: ignore[assignment,method-assign]


# Targets AWS accepts for a route equal to or inside one of the VPC's blocks (middlebox
# routing): a network interface, an instance, a NAT gateway, a Gateway Load Balancer endpoint.
_INSIDE_VPC_TARGETS = ("interface_id", "instance_id", "nat_gateway_id", "vpc_endpoint_id")
_INSIDE_VPC_MESSAGE = (
    "The destination CIDR block {cidr} is equal to or more specific than one of this VPC's "
    "CIDR blocks. This route can target only an interface or an instance."
)


def route_inside_vpc_refused() -> None:
    """A route to one of the VPC's own blocks (or inside one) cannot go to a gateway or peering.

    AWS:   CreateRoute and ReplaceRoute whose DestinationCidrBlock equals or lies inside an
           associated block of the route table's VPC, with a peering, internet/virtual-
           private/transit/carrier gateway or egress-only gateway as target, fail with
           InvalidParameterValue ("The destination CIDR block 10.0.0.0/16 is equal to or more
           specific than one of this VPC's CIDR blocks. This route can target only an
           interface or an instance."). The `local` route can never be overridden that way
           (e.g. toward a peer that has the same CIDR), nor a middlebox route inside the VPC
           be turned toward a gateway.
    moto:  accepts both; a route equal to a VPC block replaces the `local` route in
           DescribeRouteTables (ReplaceRoute of `local` to a peering drops `local`).
    patch: refuse such a route with AWS's code and message in both calls; network interface,
           instance, NAT gateway and Gateway Load Balancer endpoint targets (AWS's middlebox
           routing) are left to moto.
    """
    from moto.ec2.exceptions import EC2ClientError
    from moto.ec2.models.route_tables import RouteBackend

    def refuse_inside_vpc(self: Any, call: dict[str, Any]) -> None:
        cidr = call.get("destination_cidr_block")
        if not cidr or call.get("local") or any(call.get(t) for t in _INSIDE_VPC_TARGETS):
            return
        table = self.get_route_table(call["route_table_id"])
        try:
            destination = ipaddress.ip_network(cidr, strict=False)
        except ValueError:
            return  # moto's own error for a bad block
        blocks = _associated_cidrs(self.get_vpc(table.vpc_id))
        if any(
            destination.version == block.version and destination.subnet_of(block)  # type: ignore[arg-type]
            for block in blocks
        ):
            raise EC2ClientError(
                "InvalidParameterValue", _INSIDE_VPC_MESSAGE.format(cidr=destination)
            )

    for name in ("create_route", "replace_route"):
        original = getattr(RouteBackend, name)

        def checked(self: Any, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
            refuse_inside_vpc(self, _bind(_original, self, *args, **kwargs))
            return _original(self, *args, **kwargs)

        _replace(RouteBackend, name, checked)
