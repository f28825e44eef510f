"""Why a flow is blocked: every reason code the verifier emits, with its one-line meaning.

One place for all of them, so the CLI, the docs and the intents can list them and a test
can check that every code the engine uses is documented here.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["MEANINGS", "UNKNOWN_REASONS", "Reason"]


class Reason(StrEnum):
    """A reason code. The value is the code as printed and written to JSON."""

    NO_ROUTE = "NO_ROUTE"
    NO_RETURN_ROUTE = "NO_RETURN_ROUTE"
    BLACKHOLE_ROUTE = "BLACKHOLE_ROUTE"
    ROUTE_TARGET_NOT_MODELLED = "ROUTE_TARGET_NOT_MODELLED"
    SG_EGRESS_DENIED = "SG_EGRESS_DENIED"
    SG_INGRESS_DENIED = "SG_INGRESS_DENIED"
    SG_REFERENCE_CROSS_REGION = "SG_REFERENCE_CROSS_REGION"
    NACL_EGRESS_DENIED = "NACL_EGRESS_DENIED"
    NACL_INGRESS_DENIED = "NACL_INGRESS_DENIED"
    PEERING_NOT_ACTIVE = "PEERING_NOT_ACTIVE"
    PEERING_OVERLAP = "PEERING_OVERLAP"
    NOT_TRANSITIVE = "NOT_TRANSITIVE"
    EDGE_TO_EDGE = "EDGE_TO_EDGE"
    NOT_IN_PEER_VPC = "NOT_IN_PEER_VPC"
    NO_LISTENER = "NO_LISTENER"
    NO_TARGETS = "NO_TARGETS"
    TARGET_AZ_NOT_ALL = "TARGET_AZ_NOT_ALL"
    TARGET_IP_NOT_ALLOWED = "TARGET_IP_NOT_ALLOWED"
    ENDPOINT_ONE_WAY = "ENDPOINT_ONE_WAY"
    ENDPOINT_PRINCIPAL_NOT_ALLOWED = "ENDPOINT_PRINCIPAL_NOT_ALLOWED"
    ENDPOINT_NOT_ACCEPTED = "ENDPOINT_NOT_ACCEPTED"
    ENDPOINT_REGION_NOT_SUPPORTED = "ENDPOINT_REGION_NOT_SUPPORTED"
    ENDPOINT_AZ_NOT_SUPPORTED = "ENDPOINT_AZ_NOT_SUPPORTED"
    ENDPOINT_SERVICE_NOT_FOUND = "ENDPOINT_SERVICE_NOT_FOUND"
    ENDPOINT_SERVICE_NOT_AVAILABLE = "ENDPOINT_SERVICE_NOT_AVAILABLE"
    PROTOCOL_NOT_SUPPORTED = "PROTOCOL_NOT_SUPPORTED"
    INSTANCE_NOT_RUNNING = "INSTANCE_NOT_RUNNING"
    NOT_IN_NETWORK = "NOT_IN_NETWORK"
    PRIVATE_VIA_GATEWAY = "PRIVATE_VIA_GATEWAY"
    NO_PUBLIC_IP = "NO_PUBLIC_IP"
    NAT_NO_INTERNET = "NAT_NO_INTERNET"
    GATEWAY_NOT_AVAILABLE = "GATEWAY_NOT_AVAILABLE"
    GATEWAY_ENDPOINT_NOT_ASSOCIATED = "GATEWAY_ENDPOINT_NOT_ASSOCIATED"
    NLB_LOOPBACK = "NLB_LOOPBACK"
    TGW_NO_ROUTE = "TGW_NO_ROUTE"
    TGW_BLACKHOLE = "TGW_BLACKHOLE"
    TGW_ATTACHMENT_NOT_ASSOCIATED = "TGW_ATTACHMENT_NOT_ASSOCIATED"
    TGW_NO_PROPAGATION = "TGW_NO_PROPAGATION"
    TGW_NO_SUBNET_IN_AZ = "TGW_NO_SUBNET_IN_AZ"
    TGW_PEERING_NO_STATIC_ROUTE = "TGW_PEERING_NO_STATIC_ROUTE"


MEANINGS: dict[Reason, str] = {
    Reason.NO_ROUTE: "the source subnet's route table has no route that leads to the destination",
    Reason.NO_RETURN_ROUTE: "the responder's route table has no route that leads the reply back",
    Reason.BLACKHOLE_ROUTE: "the best route's target is gone (state blackhole): packets are "
    "dropped",
    Reason.ROUTE_TARGET_NOT_MODELLED: "the best route goes through a gateway the verifier does "
    "not model (VPN, appliance ENI; a transit gateway's VPN or Direct Connect attachment): "
    "reachability is unknown",
    Reason.SG_EGRESS_DENIED: "no outbound rule of the sender's security groups allows the packet",
    Reason.SG_INGRESS_DENIED: "no inbound rule of the receiver's security groups allows the packet",
    Reason.SG_REFERENCE_CROSS_REGION: "a rule references a security group across regions or "
    "without an active same-region peering, so it never matches (a note on a step)",
    Reason.NACL_EGRESS_DENIED: "the sender subnet's network ACL denies the packet leaving it",
    Reason.NACL_INGRESS_DENIED: "the receiver subnet's network ACL denies the packet entering it",
    Reason.PEERING_NOT_ACTIVE: "the VPC peering connection is not active, so it carries nothing",
    Reason.PEERING_OVERLAP: "the peered VPCs have overlapping CIDR blocks; AWS fails such a "
    "peering",
    Reason.NOT_TRANSITIVE: "the destination is in a third VPC peered with the peer: "
    "VPC peering is never transitive",
    Reason.EDGE_TO_EDGE: "the packet would have to leave through the peer's internet gateway, NAT, "
    "VPN, Direct Connect or gateway endpoint, which peering never allows",
    Reason.NOT_IN_PEER_VPC: "the destination is outside the peer VPC's CIDR blocks, so the peering "
    "drops the packet",
    Reason.NO_LISTENER: "the load balancer has no listener for this port and protocol",
    Reason.NO_TARGETS: "no registered target can receive the traffic (empty target group, or none "
    "in the node's AZ with cross-zone load balancing off)",
    Reason.TARGET_AZ_NOT_ALL: "an IP target outside the load balancer's VPC must be registered "
    "with availability zone 'all'",
    Reason.TARGET_IP_NOT_ALLOWED: "an IP target outside the load balancer's VPC must be an "
    "RFC 1918 or 100.64.0.0/10 address",
    Reason.ENDPOINT_ONE_WAY: "PrivateLink is one-way: the provider side can never start a "
    "connection towards a consumer through the endpoint",
    Reason.ENDPOINT_PRINCIPAL_NOT_ALLOWED: "the endpoint service does not allow the consumer's "
    "account",
    Reason.ENDPOINT_NOT_ACCEPTED: "the endpoint connection is not accepted (pendingAcceptance, "
    "rejected or failed)",
    Reason.ENDPOINT_REGION_NOT_SUPPORTED: "a cross-region endpoint needs service_region set to the "
    "service's region and its own region in the service's supported regions",
    Reason.ENDPOINT_AZ_NOT_SUPPORTED: "the endpoint's AZ has no node of the service's load "
    "balancer",
    Reason.ENDPOINT_SERVICE_NOT_FOUND: "the endpoint's service or its load balancer is not in the "
    "network (it may live in an account that was not read)",
    Reason.ENDPOINT_SERVICE_NOT_AVAILABLE: "the endpoint service is not in state Available",
    Reason.PROTOCOL_NOT_SUPPORTED: "the protocol cannot pass this hop (PrivateLink and NLBs carry "
    "TCP and UDP, never ICMP)",
    Reason.INSTANCE_NOT_RUNNING: "the instance is not running, so nothing sends or answers",
    Reason.NOT_IN_NETWORK: "something the flow needs is not in the network that was read",
    Reason.PRIVATE_VIA_GATEWAY: "the route sends a private address in another VPC to an internet "
    "or NAT gateway, which never deliver it: the packet is dropped",
    Reason.NO_PUBLIC_IP: "the interface has no public IPv4 address or Elastic IP, so the internet "
    "gateway carries nothing to or from it",
    Reason.NAT_NO_INTERNET: "the NAT gateway cannot reach the destination: it is a private NAT "
    "gateway, or its subnet's route table has no route there through an internet gateway",
    Reason.GATEWAY_NOT_AVAILABLE: "the internet or NAT gateway the route names is not attached, "
    "not available or not in the network",
    Reason.GATEWAY_ENDPOINT_NOT_ASSOCIATED: "the route names a gateway endpoint that is not "
    "associated with this route table, not available or in another VPC",
    Reason.NLB_LOOPBACK: "the NLB sends the target's own connection back to that target with "
    "the client address preserved: source and destination are the same address, and the "
    "connection times out (NLBs do not support loopback with client IP preservation)",
    Reason.TGW_NO_ROUTE: "the transit gateway route table associated with the ingress "
    "attachment has no route to the destination (or routes it round in a loop)",
    Reason.TGW_BLACKHOLE: "the transit gateway route that wins for the destination is a "
    "blackhole route: packets are dropped",
    Reason.TGW_ATTACHMENT_NOT_ASSOCIATED: "the attachment the packet enters the transit gateway "
    "through is associated with no route table, so the TGW routes nothing from it",
    Reason.TGW_NO_PROPAGATION: "the destination VPC is attached to the transit gateway, but its "
    "attachment does not propagate into the route table the packet is looked up in",
    Reason.TGW_NO_SUBNET_IN_AZ: "the VPC attachment has no subnet in the AZ of the sending "
    "subnet (traffic reaches a TGW only from AZs the attachment covers), or none at all",
    Reason.TGW_PEERING_NO_STATIC_ROUTE: "the destination is behind a peered transit gateway, but "
    "the route table has no static route over the peering (AWS never propagates over one)",
}

# Reasons that mean "the network lacks the data to decide" rather than "this is broken".
# A block with one of these can still be marked certain (Block.unknown=False) when the
# engine knows better, e.g. an address inside a VPC we read completely.
UNKNOWN_REASONS: frozenset[Reason] = frozenset(
    {Reason.ROUTE_TARGET_NOT_MODELLED, Reason.ENDPOINT_SERVICE_NOT_FOUND, Reason.NOT_IN_NETWORK}
)
