"""Terraform against the patched sandbox: apply, re-plan with no changes, destroy.

One hand-written configuration with every resource type vpcwire renders, across two
accounts (the second reached through `assume_role`, as on AWS) and two regions: VPCs,
subnets, route tables and routes (to an IGW, a NAT gateway, a peering), cross-region
cross-account peering with accepter and options, security groups and rules, an instance,
two internal NLBs with listeners and instance/ip target groups (one target in the peered
VPC, zone `all`), two endpoint services (allowed principals both ways), a cross-region
interface endpoint accepted by the owner, a custom NACL. The provider's fixed sleeps make
this take about two minutes.
"""

from __future__ import annotations

import ipaddress
import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from vpcwire.sandbox.clients import boto3_session, sandbox_env
from vpcwire.sandbox.server import Sandbox

pytestmark = pytest.mark.integration

ACCOUNT_B = "222222222222"
MIRROR = Path(os.environ.get("VPCWIRE_PROVIDER_MIRROR", "/opt/tf-plugins"))
PROVIDER = "registry.terraform.io/hashicorp/aws"
CLI_CONFIG = f"""provider_installation {{
  filesystem_mirror {{
    path    = "{MIRROR}"
    include = ["{PROVIDER}"]
  }}
  direct {{
    exclude = ["{PROVIDER}"]
  }}
}}
"""

CONFIG = """terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

locals {
  account_b = "222222222222"
}

provider "aws" {
  region      = "us-east-1"
  max_retries = 2
}

provider "aws" {
  alias       = "b"
  region      = "us-west-2"
  max_retries = 2
  assume_role {
    role_arn = "arn:aws:iam::${local.account_b}:role/x"
  }
}

# ---------------------------------------------------------------- account A, us-east-1
resource "aws_vpc" "a" {
  cidr_block           = "10.10.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = { Name = "a" }
}

resource "aws_subnet" "a1" {
  vpc_id            = aws_vpc.a.id
  cidr_block        = "10.10.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "a2" {
  vpc_id            = aws_vpc.a.id
  cidr_block        = "10.10.2.0/24"
  availability_zone = "us-east-1b"
}

resource "aws_subnet" "a_public" {
  vpc_id            = aws_vpc.a.id
  cidr_block        = "10.10.0.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_internet_gateway" "a" {
  vpc_id = aws_vpc.a.id
}

resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_nat_gateway" "a" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.a_public.id
  depends_on    = [aws_internet_gateway.a]
}

resource "aws_route_table" "a_public" {
  vpc_id = aws_vpc.a.id
}

resource "aws_route" "a_public_default" {
  route_table_id         = aws_route_table.a_public.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.a.id
}

resource "aws_route_table_association" "a_public" {
  subnet_id      = aws_subnet.a_public.id
  route_table_id = aws_route_table.a_public.id
}

resource "aws_route_table" "a_private" {
  vpc_id = aws_vpc.a.id
}

resource "aws_route" "a_private_default" {
  route_table_id         = aws_route_table.a_private.id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.a.id
}

resource "aws_route" "a_to_b" {
  route_table_id            = aws_route_table.a_private.id
  destination_cidr_block    = aws_vpc.b.cidr_block
  vpc_peering_connection_id = aws_vpc_peering_connection_accepter.ab.id
}

resource "aws_route_table_association" "a1" {
  subnet_id      = aws_subnet.a1.id
  route_table_id = aws_route_table.a_private.id
}

resource "aws_route_table_association" "a2" {
  subnet_id      = aws_subnet.a2.id
  route_table_id = aws_route_table.a_private.id
}

resource "aws_default_security_group" "a" {
  vpc_id = aws_vpc.a.id
}

resource "aws_security_group" "app" {
  name        = "app"
  description = "the service behind the NLB"
  vpc_id      = aws_vpc.a.id
}

resource "aws_vpc_security_group_ingress_rule" "app_from_a" {
  security_group_id = aws_security_group.app.id
  cidr_ipv4         = aws_vpc.a.cidr_block
  ip_protocol       = "tcp"
  from_port         = 8080
  to_port           = 8080
}

resource "aws_vpc_security_group_egress_rule" "app_all" {
  security_group_id = aws_security_group.app.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}

data "aws_ssm_parameter" "al2023" {
  name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
}

resource "aws_instance" "app" {
  ami                    = data.aws_ssm_parameter.al2023.insecure_value
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.a1.id
  private_ip             = "10.10.1.10"
  vpc_security_group_ids = [aws_security_group.app.id]
  user_data              = <<-EOT
    #!/bin/sh
    echo hello > /tmp/hello
  EOT
}

resource "aws_lb" "nlb" {
  name                             = "vw-nlb"
  internal                         = true
  load_balancer_type               = "network"
  subnets                          = [aws_subnet.a1.id, aws_subnet.a2.id]
  enable_cross_zone_load_balancing = true
}

resource "aws_lb_target_group" "instance" {
  name        = "vw-instance"
  port        = 8080
  protocol    = "TCP"
  vpc_id      = aws_vpc.a.id
  target_type = "instance"
}

resource "aws_lb_target_group_attachment" "instance" {
  target_group_arn = aws_lb_target_group.instance.arn
  target_id        = aws_instance.app.id
  port             = 8080
}

resource "aws_lb_target_group" "ip" {
  name        = "vw-ip"
  port        = 8080
  protocol    = "TCP"
  vpc_id      = aws_vpc.a.id
  target_type = "ip"
}

resource "aws_lb_target_group_attachment" "peer_ip" {
  target_group_arn  = aws_lb_target_group.ip.arn
  target_id         = "10.20.1.10"
  port              = 8080
  availability_zone = "all"
}

resource "aws_lb_listener" "instance" {
  load_balancer_arn = aws_lb.nlb.arn
  port              = 8080
  protocol          = "TCP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.instance.arn
  }
}

resource "aws_lb_listener" "ip" {
  load_balancer_arn = aws_lb.nlb.arn
  port              = 9090
  protocol          = "TCP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.ip.arn
  }
}

resource "aws_vpc_endpoint_service" "svc" {
  acceptance_required        = true
  network_load_balancer_arns = [aws_lb.nlb.arn]
  allowed_principals         = ["arn:aws:iam::${local.account_b}:root"]
  supported_regions          = ["us-east-1", "us-west-2"]
}

resource "aws_vpc_endpoint_connection_accepter" "b" {
  vpc_endpoint_service_id = aws_vpc_endpoint_service.svc.id
  vpc_endpoint_id         = aws_vpc_endpoint.b.id
}

# A second service, its principal granted with the separate resource.
resource "aws_lb" "nlb2" {
  name               = "vw-nlb2"
  internal           = true
  load_balancer_type = "network"
  subnet_mapping {
    subnet_id            = aws_subnet.a1.id
    private_ipv4_address = "10.10.1.100"
  }
  subnet_mapping {
    subnet_id = aws_subnet.a2.id
  }
}

resource "aws_vpc_endpoint_service" "svc2" {
  acceptance_required        = false
  network_load_balancer_arns = [aws_lb.nlb2.arn]
}

resource "aws_vpc_endpoint_service_allowed_principal" "svc2_b" {
  vpc_endpoint_service_id = aws_vpc_endpoint_service.svc2.id
  principal_arn           = "arn:aws:iam::${local.account_b}:root"
}

# ---------------------------------------------------------------- account B, us-west-2
resource "aws_vpc" "b" {
  provider             = aws.b
  cidr_block           = "10.20.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = { Name = "b" }
}

resource "aws_subnet" "b1" {
  provider          = aws.b
  vpc_id            = aws_vpc.b.id
  cidr_block        = "10.20.1.0/24"
  availability_zone = "us-west-2a"
}

resource "aws_route_table" "b" {
  provider = aws.b
  vpc_id   = aws_vpc.b.id
}

resource "aws_route" "b_to_a" {
  provider                  = aws.b
  route_table_id            = aws_route_table.b.id
  destination_cidr_block    = aws_vpc.a.cidr_block
  vpc_peering_connection_id = aws_vpc_peering_connection_accepter.ab.id
}

resource "aws_route_table_association" "b1" {
  provider       = aws.b
  subnet_id      = aws_subnet.b1.id
  route_table_id = aws_route_table.b.id
}

resource "aws_network_acl" "b" {
  provider   = aws.b
  vpc_id     = aws_vpc.b.id
  subnet_ids = [aws_subnet.b1.id]
  ingress {
    rule_no    = 100
    protocol   = "tcp"
    action     = "allow"
    cidr_block = "10.0.0.0/8"
    from_port  = 0
    to_port    = 65535
  }
  egress {
    rule_no    = 100
    protocol   = "-1"
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }
}

resource "aws_security_group" "b_endpoint" {
  provider    = aws.b
  name        = "endpoint"
  description = "clients of the service"
  vpc_id      = aws_vpc.b.id
}

resource "aws_vpc_security_group_ingress_rule" "b_endpoint" {
  provider          = aws.b
  security_group_id = aws_security_group.b_endpoint.id
  cidr_ipv4         = aws_vpc.b.cidr_block
  ip_protocol       = "tcp"
  from_port         = 8080
  to_port           = 8080
}

resource "aws_vpc_endpoint" "b" {
  provider           = aws.b
  vpc_id             = aws_vpc.b.id
  service_name       = aws_vpc_endpoint_service.svc.service_name
  service_region     = "us-east-1"
  vpc_endpoint_type  = "Interface"
  subnet_ids         = [aws_subnet.b1.id]
  security_group_ids = [aws_security_group.b_endpoint.id]
}

# ------------------------------------------------- peering A (us-east-1) <-> B (us-west-2)
resource "aws_vpc_peering_connection" "ab" {
  vpc_id        = aws_vpc.a.id
  peer_vpc_id   = aws_vpc.b.id
  peer_owner_id = local.account_b
  peer_region   = "us-west-2"
}

resource "aws_vpc_peering_connection_accepter" "ab" {
  provider                  = aws.b
  vpc_peering_connection_id = aws_vpc_peering_connection.ab.id
  auto_accept               = true
}

resource "aws_vpc_peering_connection_options" "a" {
  vpc_peering_connection_id = aws_vpc_peering_connection_accepter.ab.id
  requester {
    allow_remote_vpc_dns_resolution = true
  }
}

resource "aws_vpc_peering_connection_options" "b" {
  provider                  = aws.b
  vpc_peering_connection_id = aws_vpc_peering_connection_accepter.ab.id
  accepter {
    allow_remote_vpc_dns_resolution = true
  }
}

# ---------------------------------------------------------------- read back by the test
output "ids" {
  value = {
    vpc_a       = aws_vpc.a.id
    vpc_b       = aws_vpc.b.id
    instance    = aws_instance.app.id
    app_group   = aws_security_group.app.id
    nlb         = aws_lb.nlb.arn
    ip_targets  = aws_lb_target_group.ip.arn
    endpoint    = aws_vpc_endpoint.b.id
    endpoint_sg = aws_security_group.b_endpoint.id
    peering     = aws_vpc_peering_connection.ab.id
  }
}
"""


def terraform(
    workdir: Path, env: dict[str, str], *args: str
) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    completed = subprocess.run(
        ["terraform", *args, "-no-color"],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    return completed, time.monotonic() - started


def check(completed: subprocess.CompletedProcess[str], expected: int = 0) -> None:
    assert completed.returncode == expected, completed.stdout[-4000:] + completed.stderr[-4000:]


def terraform_env(sandbox: Sandbox, workdir: Path) -> dict[str, str]:
    env = sandbox_env(sandbox.endpoint_url)
    # GOGC: a lazier garbage collector saves terraform a few CPU-seconds per run (measured)
    env.update(TF_IN_AUTOMATION="1", TF_INPUT="0", CHECKPOINT_DISABLE="1", GOGC="400")
    if (MIRROR / PROVIDER).is_dir():
        (workdir / "cli.tfrc").write_text(CLI_CONFIG)
        env["TF_CLI_CONFIG_FILE"] = str(workdir / "cli.tfrc")
    return env


def check_deployed(sandbox: Sandbox, ids: dict[str, str]) -> None:
    """What the patches promise, as the live reader will see it."""
    a = boto3_session(sandbox.endpoint_url)
    b = boto3_session(sandbox.endpoint_url, ACCOUNT_B, "us-west-2")
    ec2_a, ec2_b = a.client("ec2"), b.client("ec2")

    instance = ec2_a.describe_instances(InstanceIds=[ids["instance"]])["Reservations"][0][
        "Instances"
    ][0]
    assert [g["GroupId"] for g in instance["SecurityGroups"]] == [ids["app_group"]]

    assert ":loadbalancer/net/vw-nlb/" in ids["nlb"]
    suffix = ids["nlb"].split(":loadbalancer/")[1]
    nodes = ec2_a.describe_network_interfaces(
        Filters=[{"Name": "description", "Values": [f"ELB {suffix}"]}]
    )
    assert len(nodes["NetworkInterfaces"]) == 2
    (target,) = a.client("elbv2").describe_target_health(TargetGroupArn=ids["ip_targets"])[
        "TargetHealthDescriptions"
    ]
    assert target["Target"]["AvailabilityZone"] == "all"

    endpoint = ec2_b.describe_vpc_endpoints(VpcEndpointIds=[ids["endpoint"]])["VpcEndpoints"][0]
    assert endpoint["State"] == "available"  # accepted by aws_vpc_endpoint_connection_accepter
    assert endpoint["ServiceRegion"] == "us-east-1"
    (eni,) = ec2_b.describe_network_interfaces(NetworkInterfaceIds=endpoint["NetworkInterfaceIds"])[
        "NetworkInterfaces"
    ]
    assert ipaddress.ip_address(eni["PrivateIpAddress"]) in ipaddress.ip_network("10.20.1.0/24")
    assert [g["GroupId"] for g in eni["Groups"]] == [ids["endpoint_sg"]]

    peering = ec2_a.describe_vpc_peering_connections(VpcPeeringConnectionIds=[ids["peering"]])[
        "VpcPeeringConnections"
    ][0]
    assert peering["Status"]["Code"] == "active"
    assert peering["RequesterVpcInfo"]["PeeringOptions"]["AllowDnsResolutionFromRemoteVpc"] is True
    assert peering["AccepterVpcInfo"]["PeeringOptions"]["AllowDnsResolutionFromRemoteVpc"] is True


def left_behind(sandbox: Sandbox, ids: dict[str, str]) -> list[Any]:
    """Network interfaces and VPCs of the destroyed stack that still exist."""
    found: list[Any] = []
    for account, region, vpc in (
        (None, "us-east-1", ids["vpc_a"]),
        (ACCOUNT_B, "us-west-2", ids["vpc_b"]),
    ):
        ec2 = boto3_session(sandbox.endpoint_url, account, region).client("ec2")
        in_vpc = [{"Name": "vpc-id", "Values": [vpc]}]
        found += ec2.describe_network_interfaces(Filters=in_vpc)["NetworkInterfaces"]
        found += ec2.describe_vpcs(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Vpcs"]
    return found


def test_apply_replan_destroy_on_the_patched_sandbox(
    sandbox: Sandbox, tmp_path: Path, record_property: Any
) -> None:
    (tmp_path / "main.tf").write_text(CONFIG)
    env = terraform_env(sandbox, tmp_path)
    timings: dict[str, float] = {}

    completed, timings["init"] = terraform(tmp_path, env, "init")
    check(completed)
    completed, timings["apply"] = terraform(tmp_path, env, "apply", "-auto-approve")
    check(completed)
    completed, timings["plan"] = terraform(tmp_path, env, "plan", "-detailed-exitcode")
    check(completed, expected=0)  # 2 would mean drift: the sandbox reads back what was applied
    completed, _ = terraform(tmp_path, env, "output", "-json")
    check(completed)
    ids: dict[str, str] = json.loads(completed.stdout)["ids"]["value"]
    check_deployed(sandbox, ids)
    completed, timings["destroy"] = terraform(tmp_path, env, "destroy", "-auto-approve")
    check(completed)

    assert left_behind(sandbox, ids) == []
    for step, seconds in timings.items():
        record_property(f"{step}_s", round(seconds, 1))
    print("terraform timings (s):", {step: round(seconds, 1) for step, seconds in timings.items()})
