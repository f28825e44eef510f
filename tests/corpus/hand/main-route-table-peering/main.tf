# Two VPCs of one account peered, with no explicit subnet associations: each side's route to the
# other is on the table its subnets use implicitly. Side A manages its default (main) route table
# with aws_default_route_table; side B makes its own table the main one with
# aws_main_route_table_association; a third route is added to A's main table by id.

locals {
  a_cidr = "10.80.0.0/16"
  b_cidr = "10.81.0.0/16"
}

resource "aws_vpc" "a" {
  cidr_block = local.a_cidr
  tags       = { Name = "a" }
}

resource "aws_vpc" "b" {
  cidr_block = local.b_cidr
  tags       = { Name = "b" }
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.a.id
  cidr_block        = cidrsubnet(local.a_cidr, 8, 1)
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.b.id
  cidr_block        = cidrsubnet(local.b_cidr, 8, 1)
  availability_zone = "us-east-1b"
}

resource "aws_vpc_peering_connection" "ab" {
  vpc_id      = aws_vpc.a.id
  peer_vpc_id = aws_vpc.b.id
  auto_accept = true
}

resource "aws_default_route_table" "a" {
  default_route_table_id = aws_vpc.a.default_route_table_id
  tags                   = { Name = "a-main" }
}

resource "aws_route" "a_to_b" {
  route_table_id            = aws_default_route_table.a.id
  destination_cidr_block    = local.b_cidr
  vpc_peering_connection_id = aws_vpc_peering_connection.ab.id
}

resource "aws_route_table" "b" {
  vpc_id = aws_vpc.b.id
  route {
    cidr_block                = local.a_cidr
    vpc_peering_connection_id = aws_vpc_peering_connection.ab.id
  }
}

resource "aws_main_route_table_association" "b" {
  vpc_id         = aws_vpc.b.id
  route_table_id = aws_route_table.b.id
}

resource "aws_security_group" "a" {
  name   = "a"
  vpc_id = aws_vpc.a.id
  egress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = [local.b_cidr]
  }
}

resource "aws_security_group" "b" {
  name   = "b"
  vpc_id = aws_vpc.b.id
  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = [local.a_cidr]
  }
}

resource "aws_instance" "app" {
  ami                    = "ami-0c02fb55956c7d316"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.a.id
  vpc_security_group_ids = [aws_security_group.a.id]
}

resource "aws_instance" "db" {
  ami                    = "ami-0c02fb55956c7d316"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.b.id
  vpc_security_group_ids = [aws_security_group.b.id]
}
