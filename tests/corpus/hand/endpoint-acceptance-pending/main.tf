# An internal endpoint service shared with a second VPC of the same team. acceptance_required
# is left at its default (true) and nothing accepts the endpoint's connection, so the endpoint
# stays pendingAcceptance until someone clicks in the console.

resource "aws_vpc" "provider" {
  cidr_block = "10.70.0.0/16"
}

resource "aws_subnet" "provider" {
  vpc_id            = aws_vpc.provider.id
  cidr_block        = "10.70.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_security_group" "api" {
  name   = "api"
  vpc_id = aws_vpc.provider.id
  ingress {
    from_port   = 8443
    to_port     = 8443
    protocol    = "tcp"
    cidr_blocks = ["10.70.0.0/16"]
  }
}

resource "aws_instance" "api" {
  ami                    = "ami-0c02fb55956c7d316"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.provider.id
  vpc_security_group_ids = [aws_security_group.api.id]
}

resource "aws_lb" "api" {
  name               = "api"
  internal           = true
  load_balancer_type = "network"
  subnets            = [aws_subnet.provider.id]
}

resource "aws_lb_target_group" "api" {
  name     = "api"
  port     = 8443
  protocol = "TCP"
  vpc_id   = aws_vpc.provider.id
}

resource "aws_lb_target_group_attachment" "api" {
  target_group_arn = aws_lb_target_group.api.arn
  target_id        = aws_instance.api.id
}

resource "aws_lb_listener" "api" {
  load_balancer_arn = aws_lb.api.arn
  port              = 8443
  protocol          = "TCP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.api.arn
  }
}

resource "aws_vpc_endpoint_service" "api" {
  network_load_balancer_arns = [aws_lb.api.arn]
  acceptance_required        = true
}

resource "aws_vpc" "consumer" {
  cidr_block = "10.71.0.0/16"
}

resource "aws_subnet" "consumer" {
  vpc_id            = aws_vpc.consumer.id
  cidr_block        = "10.71.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_security_group" "endpoint" {
  name   = "endpoint"
  vpc_id = aws_vpc.consumer.id
  ingress {
    from_port   = 8443
    to_port     = 8443
    protocol    = "tcp"
    cidr_blocks = ["10.71.0.0/16"]
  }
}

resource "aws_vpc_endpoint" "api" {
  vpc_id             = aws_vpc.consumer.id
  service_name       = aws_vpc_endpoint_service.api.service_name
  vpc_endpoint_type  = "Interface"
  subnet_ids         = [aws_subnet.consumer.id]
  security_group_ids = [aws_security_group.endpoint.id]
}
