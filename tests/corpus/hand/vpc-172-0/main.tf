# A "private" VPC whose block was meant to be 172.16.0.0/16 but was typed 172.0.0.0/16: public
# address space (not RFC 1918, not 100.64.0.0/10) that AWS accepts, shadowing real internet
# addresses from inside the VPC.

resource "aws_vpc" "services" {
  cidr_block = "172.0.0.0/16"
  tags       = { Name = "services-private" }
}

resource "aws_subnet" "services" {
  count             = 2
  vpc_id            = aws_vpc.services.id
  cidr_block        = cidrsubnet(aws_vpc.services.cidr_block, 4, count.index)
  availability_zone = element(["us-east-1a", "us-east-1b"], count.index)
}

resource "aws_security_group" "services" {
  name   = "services"
  vpc_id = aws_vpc.services.id

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.services.cidr_block]
  }
}
