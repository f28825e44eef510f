# Isolated spokes, one shared-services VPC, one Transit Gateway (AWS's documented scenario).
# prod and dev reach shared and never each other; shared reaches both. Every VPC sends the
# whole 10.0.0.0/8 to the TGW; the TGW route tables decide who reaches whom.

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["123456789012"]
}

locals {
  vpcs = {
    shared = { cidr = "10.0.0.0/16", spoke = false }
    prod   = { cidr = "10.1.0.0/16", spoke = true }
    dev    = { cidr = "10.2.0.0/16", spoke = true }
  }
  azs = ["us-east-1a", "us-east-1b"]
  subnets = merge([
    for name, v in local.vpcs : {
      for i, az in local.azs : "${name}-${az}" => { vpc = name, az = az, cidr = cidrsubnet(v.cidr, 8, i) }
    }
  ]...)
}

resource "aws_vpc" "this" {
  for_each   = local.vpcs
  cidr_block = each.value.cidr
  tags       = { Name = each.key }
}

resource "aws_subnet" "private" {
  for_each          = local.subnets
  vpc_id            = aws_vpc.this[each.value.vpc].id
  cidr_block        = each.value.cidr
  availability_zone = each.value.az
  tags              = { Name = each.key }
}

resource "aws_route_table" "private" {
  for_each = local.vpcs
  vpc_id   = aws_vpc.this[each.key].id
  tags     = { Name = "${each.key}-private" }
}

resource "aws_route_table_association" "private" {
  for_each       = local.subnets
  subnet_id      = aws_subnet.private[each.key].id
  route_table_id = aws_route_table.private[each.value.vpc].id
}

resource "aws_ec2_transit_gateway" "hub" {
  description                     = "shared services hub"
  amazon_side_asn                 = 64512
  default_route_table_association = "disable"
  default_route_table_propagation = "disable"
  tags                            = { Name = "hub" }
}

resource "aws_ec2_transit_gateway_vpc_attachment" "this" {
  for_each           = local.vpcs
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.this[each.key].id
  subnet_ids         = [for az in local.azs : aws_subnet.private["${each.key}-${az}"].id]

  transit_gateway_default_route_table_association = false
  transit_gateway_default_route_table_propagation = false
  tags                                            = { Name = each.key }
}

resource "aws_ec2_transit_gateway_route_table" "spokes" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  tags               = { Name = "spokes" }
}

resource "aws_ec2_transit_gateway_route_table" "shared" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  tags               = { Name = "shared" }
}

resource "aws_ec2_transit_gateway_route_table_association" "spokes" {
  for_each                       = { for k, v in local.vpcs : k => v if v.spoke }
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.this[each.key].id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}

resource "aws_ec2_transit_gateway_route_table_association" "shared" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.this["shared"].id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.shared.id
}

# shared's routes into the spokes' table; every spoke's into shared's
resource "aws_ec2_transit_gateway_route_table_propagation" "to_spokes" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.this["shared"].id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}

resource "aws_ec2_transit_gateway_route_table_propagation" "to_shared" {
  for_each                       = { for k, v in local.vpcs : k => v if v.spoke }
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.this[each.key].id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.shared.id
}

# spokes must not reach each other even by a more specific route: a blackhole for 10.0.0.0/8
# under shared's propagated 10.0.0.0/16 (AWS's own "isolated VPCs" example has one)
resource "aws_ec2_transit_gateway_route" "spokes_isolated" {
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
  destination_cidr_block         = "10.0.0.0/8"
  blackhole                      = true
}

resource "aws_route" "to_hub" {
  for_each               = local.vpcs
  route_table_id         = aws_route_table.private[each.key].id
  destination_cidr_block = "10.0.0.0/8"
  transit_gateway_id     = aws_ec2_transit_gateway.hub.id
}
