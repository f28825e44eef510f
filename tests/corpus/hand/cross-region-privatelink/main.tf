# A SaaS provider serves customers in another region over PrivateLink: the application runs in
# us-east-1; a "front" VPC in eu-west-1 is peered with it, holds an NLB whose IP targets are
# the application's addresses across the peering, and offers that NLB as an endpoint service
# to a consumer VPC in eu-west-1. Routes sit on the VPCs' main route tables.

provider "aws" {
  region = "us-east-1"
  alias  = "app"
}

provider "aws" {
  region = "eu-west-1"
  alias  = "front"
}

variable "app_port" {
  type    = number
  default = 443
}

locals {
  app_cidr      = "10.10.0.0/16"
  front_cidr    = "10.20.0.0/16"
  consumer_cidr = "10.30.0.0/16"
  app_ips       = [for i in range(2) : cidrhost(cidrsubnet(local.app_cidr, 8, i), 10)]
}

# -- the application (us-east-1) ------------------------------------------------------------

resource "aws_vpc" "app" {
  provider   = aws.app
  cidr_block = local.app_cidr
  tags       = { Name = "app" }
}

data "aws_availability_zones" "app" {
  provider = aws.app
  state    = "available"
}

resource "aws_subnet" "app" {
  provider          = aws.app
  count             = 2
  vpc_id            = aws_vpc.app.id
  cidr_block        = cidrsubnet(local.app_cidr, 8, count.index)
  availability_zone = data.aws_availability_zones.app.names[count.index]
  tags              = { Name = "app-${count.index}" }
}

resource "aws_security_group" "app" {
  provider    = aws.app
  name        = "app"
  vpc_id      = aws_vpc.app.id
  description = "the application, reached from the front VPC's NLB"
}

resource "aws_vpc_security_group_ingress_rule" "app_from_front" {
  provider          = aws.app
  security_group_id = aws_security_group.app.id
  ip_protocol       = "tcp"
  from_port         = var.app_port
  to_port           = var.app_port
  cidr_ipv4         = local.front_cidr
}

resource "aws_vpc_security_group_egress_rule" "app_all" {
  provider          = aws.app
  security_group_id = aws_security_group.app.id
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_instance" "app" {
  provider               = aws.app
  count                  = 2
  ami                    = "ami-0c02fb55956c7d316"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.app[count.index].id
  private_ip             = local.app_ips[count.index]
  vpc_security_group_ids = [aws_security_group.app.id]
  tags                   = { Name = "app-${count.index}" }
}

resource "aws_default_route_table" "app" {
  provider               = aws.app
  default_route_table_id = aws_vpc.app.default_route_table_id

  route {
    cidr_block                = local.front_cidr
    vpc_peering_connection_id = aws_vpc_peering_connection.front_app.id
  }
}

# -- the front (eu-west-1) ---------------------------------------------------------------------

resource "aws_vpc" "front" {
  provider   = aws.front
  cidr_block = local.front_cidr
  tags       = { Name = "front" }
}

resource "aws_subnet" "front" {
  provider          = aws.front
  for_each          = { a = 0, b = 1 }
  vpc_id            = aws_vpc.front.id
  cidr_block        = cidrsubnet(local.front_cidr, 8, each.value)
  availability_zone = "eu-west-1${each.key}"
}

resource "aws_vpc_peering_connection" "front_app" {
  provider    = aws.front
  vpc_id      = aws_vpc.front.id
  peer_vpc_id = aws_vpc.app.id
  peer_region = "us-east-1"
  tags        = { Name = "front-app" }
}

resource "aws_vpc_peering_connection_accepter" "front_app" {
  provider                  = aws.app
  vpc_peering_connection_id = aws_vpc_peering_connection.front_app.id
  auto_accept               = true
}

resource "aws_route" "front_to_app" {
  provider                  = aws.front
  route_table_id            = aws_vpc.front.main_route_table_id
  destination_cidr_block    = local.app_cidr
  vpc_peering_connection_id = aws_vpc_peering_connection.front_app.id
}

resource "aws_lb" "front" {
  provider           = aws.front
  name               = "front"
  internal           = true
  load_balancer_type = "network"
  subnets            = [for s in aws_subnet.front : s.id]
}

resource "aws_lb_target_group" "app" {
  provider    = aws.front
  name        = "app"
  port        = var.app_port
  protocol    = "TCP"
  target_type = "ip"
  vpc_id      = aws_vpc.front.id
}

resource "aws_lb_target_group_attachment" "app" {
  provider          = aws.front
  count             = length(local.app_ips)
  target_group_arn  = aws_lb_target_group.app.arn
  target_id         = local.app_ips[count.index]
  port              = var.app_port
  availability_zone = "all"
}

resource "aws_lb_listener" "front" {
  provider          = aws.front
  load_balancer_arn = aws_lb.front.arn
  port              = var.app_port
  protocol          = "TCP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.app.arn
  }
}

resource "aws_vpc_endpoint_service" "front" {
  provider                   = aws.front
  acceptance_required        = false
  network_load_balancer_arns = [aws_lb.front.arn]
}

# -- the customer (eu-west-1) ------------------------------------------------------------------

resource "aws_vpc" "consumer" {
  provider   = aws.front
  cidr_block = local.consumer_cidr
  tags       = { Name = "consumer" }
}

resource "aws_subnet" "consumer" {
  provider          = aws.front
  vpc_id            = aws_vpc.consumer.id
  cidr_block        = cidrsubnet(local.consumer_cidr, 8, 0)
  availability_zone = "eu-west-1a"
}

resource "aws_security_group" "endpoint" {
  provider    = aws.front
  name        = "endpoint"
  vpc_id      = aws_vpc.consumer.id
  description = "the interface endpoint"

  ingress {
    from_port   = var.app_port
    to_port     = var.app_port
    protocol    = "tcp"
    cidr_blocks = [local.consumer_cidr]
  }
}

resource "aws_vpc_endpoint" "app" {
  provider           = aws.front
  vpc_id             = aws_vpc.consumer.id
  service_name       = aws_vpc_endpoint_service.front.service_name
  vpc_endpoint_type  = "Interface"
  subnet_ids         = [aws_subnet.consumer.id]
  security_group_ids = [aws_security_group.endpoint.id]
}

resource "aws_security_group" "client" {
  provider    = aws.front
  name        = "client"
  vpc_id      = aws_vpc.consumer.id
  description = "the customer's client"

  egress {
    from_port   = var.app_port
    to_port     = var.app_port
    protocol    = "tcp"
    cidr_blocks = [local.consumer_cidr]
  }
}

resource "aws_instance" "client" {
  provider               = aws.front
  ami                    = "ami-0d64bb532e0502c46"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.consumer.id
  vpc_security_group_ids = [aws_security_group.client.id]
  tags                   = { Name = "client" }
}
