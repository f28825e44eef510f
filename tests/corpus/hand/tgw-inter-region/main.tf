# Two Regions, one TGW each, peered; each Region's VPC reaches the other's through both TGWs.

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["123456789012"]
}

provider "aws" {
  alias               = "eu"
  region              = "eu-west-1"
  allowed_account_ids = ["123456789012"]
}

resource "aws_vpc" "use1" {
  cidr_block = "10.10.0.0/16"
  tags       = { Name = "use1" }
}

resource "aws_vpc" "euw1" {
  provider   = aws.eu
  cidr_block = "10.20.0.0/16"
  tags       = { Name = "euw1" }
}

resource "aws_subnet" "use1" {
  vpc_id            = aws_vpc.use1.id
  cidr_block        = "10.10.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "euw1" {
  provider          = aws.eu
  vpc_id            = aws_vpc.euw1.id
  cidr_block        = "10.20.1.0/24"
  availability_zone = "eu-west-1a"
}

resource "aws_ec2_transit_gateway" "use1" {
  amazon_side_asn = 64512
  tags            = { Name = "tgw-use1" }
}

resource "aws_ec2_transit_gateway" "euw1" {
  provider        = aws.eu
  amazon_side_asn = 64513
  tags            = { Name = "tgw-euw1" }
}

resource "aws_ec2_transit_gateway_vpc_attachment" "use1" {
  transit_gateway_id = aws_ec2_transit_gateway.use1.id
  vpc_id             = aws_vpc.use1.id
  subnet_ids         = [aws_subnet.use1.id]
}

resource "aws_ec2_transit_gateway_vpc_attachment" "euw1" {
  provider           = aws.eu
  transit_gateway_id = aws_ec2_transit_gateway.euw1.id
  vpc_id             = aws_vpc.euw1.id
  subnet_ids         = [aws_subnet.euw1.id]
}

resource "aws_ec2_transit_gateway_peering_attachment" "use1_euw1" {
  transit_gateway_id      = aws_ec2_transit_gateway.use1.id
  peer_transit_gateway_id = aws_ec2_transit_gateway.euw1.id
  peer_region             = "eu-west-1"
  tags                    = { Name = "use1-euw1" }
}

resource "aws_ec2_transit_gateway_peering_attachment_accepter" "use1_euw1" {
  provider                      = aws.eu
  transit_gateway_attachment_id = aws_ec2_transit_gateway_peering_attachment.use1_euw1.id
}

# the peering attachment in each side's default table, and a static route over it
resource "aws_ec2_transit_gateway_route_table_association" "peering_use1" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_peering_attachment.use1_euw1.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway.use1.association_default_route_table_id
}

resource "aws_ec2_transit_gateway_route_table_association" "peering_euw1" {
  provider                       = aws.eu
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_peering_attachment_accepter.use1_euw1.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway.euw1.association_default_route_table_id
}

resource "aws_ec2_transit_gateway_route" "to_eu" {
  transit_gateway_route_table_id = aws_ec2_transit_gateway.use1.association_default_route_table_id
  destination_cidr_block         = aws_vpc.euw1.cidr_block
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_peering_attachment.use1_euw1.id
}

resource "aws_ec2_transit_gateway_route" "to_us" {
  provider                       = aws.eu
  transit_gateway_route_table_id = aws_ec2_transit_gateway.euw1.propagation_default_route_table_id
  destination_cidr_block         = aws_vpc.use1.cidr_block
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_peering_attachment_accepter.use1_euw1.id
}

resource "aws_ec2_transit_gateway_route" "retired" {
  transit_gateway_route_table_id = aws_ec2_transit_gateway.use1.association_default_route_table_id
  destination_cidr_block         = "10.99.0.0/16"
  blackhole                      = true
}

resource "aws_route_table" "use1" {
  vpc_id = aws_vpc.use1.id
  route {
    cidr_block         = "10.20.0.0/16"
    transit_gateway_id = aws_ec2_transit_gateway.use1.id
  }
}

resource "aws_route_table_association" "use1" {
  subnet_id      = aws_subnet.use1.id
  route_table_id = aws_route_table.use1.id
}

resource "aws_route_table" "euw1" {
  provider = aws.eu
  vpc_id   = aws_vpc.euw1.id
  route {
    cidr_block         = "10.10.0.0/16"
    transit_gateway_id = aws_ec2_transit_gateway.euw1.id
  }
}

resource "aws_route_table_association" "euw1" {
  provider       = aws.eu
  subnet_id      = aws_subnet.euw1.id
  route_table_id = aws_route_table.euw1.id
}
