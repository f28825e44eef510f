"""The printed form of a trace, pinned: what a person reads when a flow passes or fails.

Changing these strings is fine when the story gets better; the diff shows how.
"""
# ruff: noqa: E501  (the pinned text is as wide as the story it pins)

from __future__ import annotations

from .builder import entry, rule
from .scenarios import internet, outpost, peered, run

OUTPOST = """\
Flow: tcp/8080 from client to vpce-outpost
Disposition: REACHABLE
Forward path
  1. i-client (client) [instance]; eni-client 10.20.1.10 in subnet-c1 (eu-west-1b)
       ✓ security group egress: sg-client (client) allows tcp/8080 to 10.20.1.50 (rule all 0.0.0.0/0)
       ✓ network ACL egress: not crossed: both ends are in subnet-c1
       ✓ route: local: 10.20.1.50 is inside vpc-c
  2. eni-outpost-eni1 (outpost-eni1) [endpoint interface]; 10.20.1.50 in subnet-c1 (eu-west-1b)
       ✓ network ACL ingress: not crossed: both ends are in subnet-c1
       ✓ security group ingress: sg-ep (ep) allows tcp/8080 from 10.20.1.10 (rule tcp/8080 10.20.0.0/16)
  3. vpce-outpost (outpost) [interface endpoint]; in vpc-c, to com.amazonaws.vpce.eu-west-1.vpce-svc-outpost
       ✓ endpoint state: vpce-outpost (outpost) is available (connection accepted)
  4. vpce-svc-outpost (outpost) [endpoint service]; com.amazonaws.vpce.eu-west-1.vpce-svc-outpost in eu-west-1, account 111111111111
       ✓ service state: vpce-svc-outpost (outpost) is Available
       ✓ allowed principals: arn:aws:iam::222222222222:root admits account 222222222222
       ✓ region: same region (eu-west-1)
  5. nlb-outpost (outpost) [network load balancer]; node eni-outpost-node1 (outpost-node1) in eu-west-1a
       ✓ AZ: the endpoint ENI in eu-west-1b uses the node in the same AZ (euw1-az1)
       ✓ listener: lst-nlb-outpost-8080-tcp (TCP/8080) forwards to tg-outpost (outpost) (ip targets)
       ✓ targets: 1 target(s) serve eu-west-1a
  6. tg-outpost (outpost) [target group]; target 10.10.1.10 port 8080
       ✓ target AZ: 10.10.1.10 is outside vpc-outpost, registered with availability zone 'all'
       ✓ target: 10.10.1.10 is i-app (app)
       ✓ client IP: not preserved: the target sees the NLB node's address
  7. eni-outpost-node1 (outpost-node1) [load balancer node]; address not known yet in subnet-outpost1 (eu-west-1a)
       ✓ security group egress: eni-outpost-node1 (outpost-node1) has no security groups, so nothing filters it
       ✓ network ACL egress: acl-outpost (outpost-default) rule 100 allows tcp/8080 to 10.10.1.10
       ✓ route: rtb-outpost (outpost): 10.10.0.0/16 via pcx-prov-outpost
  8. pcx-prov-outpost (prov-outpost) [peering connection]; vpc-prov (us-east-1) <-> vpc-outpost (eu-west-1)
       ✓ peering status: pcx-prov-outpost (prov-outpost) is active
       ✓ peer VPC: 10.10.1.10 is inside vpc-prov
  9. i-app (app) [instance]; eni-app 10.10.1.10 in subnet-prov1 (us-east-1a)
       ✓ network ACL ingress: acl-prov (prov-default) rule 100 allows tcp/8080 from an address in subnet-outpost1 (10.30.1.0/24); it covers all of subnet-outpost1, wherever AWS puts the address
       ✓ security group ingress: sg-app (app) allows tcp/8080 from an address in subnet-outpost1 (10.30.1.0/24) (rule tcp/8080 10.30.0.0/16); it covers all of subnet-outpost1, wherever AWS puts the address
Return path
 10. i-app (app) [instance]; eni-app 10.10.1.10 in subnet-prov1 (us-east-1a)
       ✓ security group: stateful: the reply to an allowed connection is allowed
       ✓ network ACL egress: acl-prov (prov-default) rule 100 allows tcp/49152 (reply to tcp/8080, an ephemeral port) to an address in subnet-outpost1 (10.30.1.0/24); it covers all of subnet-outpost1, wherever AWS puts the address
       ✓ route: rtb-prov (prov): 10.30.0.0/16 via pcx-prov-outpost
 11. pcx-prov-outpost (prov-outpost) [peering connection]; vpc-prov (us-east-1) <-> vpc-outpost (eu-west-1)
       ✓ peering status: pcx-prov-outpost (prov-outpost) is active
       ✓ peer VPC: an address in subnet-outpost1 (10.30.1.0/24) is inside vpc-outpost
 12. eni-outpost-node1 (outpost-node1) [load balancer node]; address not known yet in subnet-outpost1 (eu-west-1a)
       ✓ network ACL ingress: acl-outpost (outpost-default) rule 100 allows tcp/49152 (reply to tcp/8080, an ephemeral port) from 10.10.1.10
       ✓ security group: no security groups: nothing to pass
 13. eni-outpost-eni1 (outpost-eni1) [endpoint interface]; 10.20.1.50 in subnet-c1 (eu-west-1b)
       ✓ security group: stateful: the reply to an allowed connection is allowed
       ✓ network ACL egress: not crossed: both ends are in subnet-c1
       ✓ route: local: 10.20.1.10 is inside vpc-c
 14. i-client (client) [instance]; eni-client 10.20.1.10 in subnet-c1 (eu-west-1b)
       ✓ network ACL ingress: not crossed: both ends are in subnet-c1
       ✓ security group: stateful: the reply to an allowed connection is allowed
Result: every check passed, forward and back.
"""

THREE_BLOCKS = """\
Flow: tcp/8080 from client to api
Disposition: UNREACHABLE
Forward path
  1. i-client (client) [instance]; eni-client 10.0.1.10 in subnet-a1 (us-east-1a)
       ✓ security group egress: sg-client (client) allows tcp/8080 to 10.1.1.10 (rule all 0.0.0.0/0)
       ✓ network ACL egress: acl-a (a-default) rule 100 allows tcp/8080 to 10.1.1.10
       ✗ route: rtb-a (a) has no route to 10.1.1.10 [NO_ROUTE]
  2. i-api (api) [instance]; eni-api 10.1.1.10 in subnet-b1 (us-east-1a)
       ✓ network ACL ingress: acl-b-strict (b-strict) rule 100 allows tcp/8080 from 10.0.1.10
       ✗ security group ingress: no rule of sg-api (api) allows tcp/8080 from 10.0.1.10 [SG_INGRESS_DENIED]
Return path
  3. i-api (api) [instance]; eni-api 10.1.1.10 in subnet-b1 (us-east-1a)
       ✓ security group: stateful: the reply to an allowed connection is allowed
       ✗ network ACL egress: acl-b-strict (b-strict): no rule allows tcp/49152 (reply to tcp/8080, an ephemeral port) to 10.0.1.10, so the implicit deny (rule *) drops it [NACL_EGRESS_DENIED]
       ✓ route: rtb-b (b): 10.0.0.0/16 via pcx-a-b
  4. pcx-a-b (a-b) [peering connection]; vpc-a (us-east-1) <-> vpc-b (us-east-1)
       ✓ peering status: pcx-a-b (a-b) is active
       ✓ peer VPC: 10.0.1.10 is inside vpc-a
  5. i-client (client) [instance]; eni-client 10.0.1.10 in subnet-a1 (us-east-1a)
       ✓ network ACL ingress: acl-a (a-default) rule 100 allows tcp/49152 (reply to tcp/8080, an ephemeral port) from 10.1.1.10
       ✓ security group: stateful: the reply to an allowed connection is allowed
Blocked by 3 things:
  1. NO_ROUTE at rtb-a (a)
     rtb-a (a) has no route to 10.1.1.10
     fix: add a route to 10.1.0.0/16 via pcx-a-b (a-b) in rtb-a (a)
  2. SG_INGRESS_DENIED at sg-api (api)
     no rule of sg-api (api) allows tcp/8080 from 10.0.1.10
     fix: allow tcp/8080 from 10.0.0.0/16 in sg-api (api) ingress
  3. NACL_EGRESS_DENIED at acl-b-strict (b-strict)
     acl-b-strict (b-strict): no rule allows tcp/49152 (reply to tcp/8080, an ephemeral port) to 10.0.1.10, so the implicit deny (rule *) drops it
     fix: add an outbound rule allowing tcp/1024-65535 (the replies to tcp/8080) to 10.0.0.0/16 to acl-b-strict (b-strict), as rule 110
"""


def test_reachable_outpost_trace() -> None:
    assert str(run(outpost(), "client", "vpce-outpost")) + "\n" == OUTPOST


def test_failure_lists_every_block_with_its_fix() -> None:
    n = peered()
    n.drop_routes("rtb-a", "pcx-a-b")
    n.set_rules("sg-api", ingress=(rule("tcp", 443, cidr="10.0.0.0/16"),))
    n.nacl(
        "vpc-b",
        "b-strict",
        ("subnet-b1",),
        entry(100, egress=False, protocol="tcp", ports=8080, cidr="10.0.0.0/16"),
        entry(100, egress=True, protocol="tcp", ports=(0, 1023)),
    )
    assert str(run(n, "client", "api")) + "\n" == THREE_BLOCKS


NAT = """\
Flow: tcp/443 from worker to 8.8.8.8
Disposition: REACHABLE
Forward path
  1. i-worker (worker) [instance]; eni-worker 10.0.1.10 in subnet-priv (us-east-1a)
       ✓ security group egress: sg-out (out) allows tcp/443 to 8.8.8.8 (rule all 0.0.0.0/0)
       ✓ network ACL egress: acl-a (a-default) rule 100 allows tcp/443 to 8.8.8.8
       ✓ route: rtb-a-private (a-private): 0.0.0.0/0 via nat-a (NAT gateway)
  2. nat-a (a) [NAT gateway]; 10.0.0.5 in subnet-pub (public)
       ✓ NAT gateway: nat-a (a) is available
       ✓ network ACL ingress: acl-a (a-default) rule 100 allows tcp/443 from 10.0.1.10
       ✓ translation: the source becomes nat-a (a)'s address (10.0.0.5)
       ✓ NAT subnet route: rtb-a-public (a-public): 0.0.0.0/0 via igw-a (internet gateway)
       ✓ network ACL egress: acl-a (a-default) rule 100 allows tcp/443 to 8.8.8.8
  3. igw-a (a) [internet gateway]; attached to vpc-a
       ✓ internet gateway: igw-a (a) is attached to vpc-a
       ✓ public address: the source becomes nat-a (a)'s public address (203.0.113.5)
  4. 8.8.8.8 [address]
       ✓ outside: 8.8.8.8 is on the internet: vpcwire checks nothing past AWS's edge
Return path
  5. 8.8.8.8 [address]
       ✓ reply: 8.8.8.8 answers
  6. igw-a (a) [internet gateway]
       ✓ translation: the reply's destination is translated back
  7. nat-a (a) [NAT gateway]; 10.0.0.5 in subnet-pub (public)
       ✓ network ACL ingress: acl-a (a-default) rule 100 allows tcp/49152 (reply to tcp/443, an ephemeral port) from 8.8.8.8
       ✓ translation: nat-a (a) translates the reply back to i-worker (worker)
       ✓ network ACL egress: acl-a (a-default) rule 100 allows tcp/49152 (reply to tcp/443, an ephemeral port) to 10.0.1.10
  8. i-worker (worker) [instance]; eni-worker 10.0.1.10 in subnet-priv (us-east-1a)
       ✓ network ACL ingress: acl-a (a-default) rule 100 allows tcp/49152 (reply to tcp/443, an ephemeral port) from 8.8.8.8
       ✓ security group: stateful: the reply to an allowed connection is allowed
Result: every check passed, forward and back."""


def test_a_nat_gateway_path_is_told_gateway_by_gateway() -> None:
    assert str(run(internet(), "worker", "8.8.8.8", port=443)) == NAT
