# An internal API behind an NLB, its instances launched by an autoscaling group (targets attached
# by the group, never by aws_lb_target_group_attachment), offered over PrivateLink to two
# consumer VPCs whose endpoints spell the service name the way teams often do: built from the
# service's id, with interpolation in one and join() in the other.

variable "region" {
  type    = string
  default = "us-east-1"
}

provider "aws" {
  region = var.region
}

data "aws_region" "current" {}

resource "aws_vpc" "api" {
  cidr_block = "10.90.0.0/16"
}

resource "aws_subnet" "api" {
  count             = 2
  vpc_id            = aws_vpc.api.id
  cidr_block        = cidrsubnet(aws_vpc.api.cidr_block, 8, count.index)
  availability_zone = "${var.region}${element(["a", "b"], count.index)}"
}

resource "aws_security_group" "api" {
  name   = "api"
  vpc_id = aws_vpc.api.id
}

resource "aws_vpc_security_group_ingress_rule" "api" {
  security_group_id = aws_security_group.api.id
  ip_protocol       = "tcp"
  from_port         = 8080
  to_port           = 8080
  cidr_ipv4         = aws_vpc.api.cidr_block
}

resource "aws_launch_template" "api" {
  name_prefix            = "api-"
  image_id               = "ami-0c02fb55956c7d316"
  instance_type          = "t3.small"
  vpc_security_group_ids = [aws_security_group.api.id]
}

resource "aws_autoscaling_group" "api" {
  name                = "api"
  min_size            = 2
  max_size            = 4
  desired_capacity    = 2
  vpc_zone_identifier = aws_subnet.api[*].id
  target_group_arns   = [aws_lb_target_group.api.arn]

  launch_template {
    id      = aws_launch_template.api.id
    version = "$Latest"
  }
}

resource "aws_autoscaling_group" "admin" {
  name                = "admin"
  min_size            = 1
  max_size            = 1
  vpc_zone_identifier = [aws_subnet.api[0].id]

  launch_template {
    id      = aws_launch_template.api.id
    version = "$Latest"
  }
}

resource "aws_autoscaling_attachment" "admin" {
  autoscaling_group_name = aws_autoscaling_group.admin.id
  lb_target_group_arn    = aws_lb_target_group.admin.arn
}

resource "aws_lb" "api" {
  name               = "api"
  internal           = true
  load_balancer_type = "network"
  subnets            = aws_subnet.api[*].id
}

resource "aws_lb_target_group" "api" {
  name     = "api"
  port     = 8080
  protocol = "TCP"
  vpc_id   = aws_vpc.api.id
}

resource "aws_lb_target_group" "admin" {
  name     = "admin"
  port     = 8080
  protocol = "TCP"
  vpc_id   = aws_vpc.api.id
}

resource "aws_lb_listener" "api" {
  load_balancer_arn = aws_lb.api.arn
  port              = 443
  protocol          = "TCP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.api.arn
  }
}

resource "aws_lb_listener" "admin" {
  load_balancer_arn = aws_lb.api.arn
  port              = 8443
  protocol          = "TCP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.admin.arn
  }
}

resource "aws_vpc_endpoint_service" "api" {
  acceptance_required        = false
  network_load_balancer_arns = [aws_lb.api.arn]
}

resource "aws_vpc" "consumer" {
  for_each   = { billing = "10.91.0.0/16", search = "10.92.0.0/16" }
  cidr_block = each.value
}

resource "aws_subnet" "consumer" {
  for_each          = aws_vpc.consumer
  vpc_id            = each.value.id
  cidr_block        = cidrsubnet(each.value.cidr_block, 8, 0)
  availability_zone = "${var.region}a"
}

resource "aws_security_group" "endpoint" {
  for_each = aws_vpc.consumer
  name     = "endpoint-${each.key}"
  vpc_id   = each.value.id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [each.value.cidr_block]
  }
  ingress {
    from_port   = 8443
    to_port     = 8443
    protocol    = "tcp"
    cidr_blocks = [each.value.cidr_block]
  }
}

resource "aws_vpc_endpoint" "billing" {
  vpc_id             = aws_vpc.consumer["billing"].id
  service_name       = "com.amazonaws.vpce.${var.region}.${aws_vpc_endpoint_service.api.id}"
  vpc_endpoint_type  = "Interface"
  subnet_ids         = [aws_subnet.consumer["billing"].id]
  security_group_ids = [aws_security_group.endpoint["billing"].id]
}

resource "aws_vpc_endpoint" "search" {
  vpc_id             = aws_vpc.consumer["search"].id
  service_name       = join(".", ["com.amazonaws.vpce", data.aws_region.current.name, aws_vpc_endpoint_service.api.id])
  vpc_endpoint_type  = "Interface"
  subnet_ids         = [aws_subnet.consumer["search"].id]
  security_group_ids = [aws_security_group.endpoint["search"].id]
}

resource "aws_instance" "client" {
  for_each      = aws_subnet.consumer
  ami           = "ami-0c02fb55956c7d316"
  instance_type = "t3.micro"
  subnet_id     = each.value.id
  tags          = { Name = "client-${each.key}" }
}
