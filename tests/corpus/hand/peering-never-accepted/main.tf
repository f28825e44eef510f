# A cross-account peering request between the platform account and the data account. Nothing
# accepts it (no aws_vpc_peering_connection_accepter under the data account's provider, and
# auto_accept cannot work across accounts), and neither side routes to the other.

provider "aws" {
  region = "eu-central-1"
  assume_role {
    role_arn = "arn:aws:iam::111111111111:role/terraform"
  }
}

provider "aws" {
  alias  = "data"
  region = "eu-central-1"
  assume_role {
    role_arn = "arn:aws:iam::222222222222:role/terraform"
  }
}

resource "aws_vpc" "platform" {
  cidr_block = "10.40.0.0/16"
  tags       = { Name = "platform" }
}

resource "aws_subnet" "platform" {
  vpc_id            = aws_vpc.platform.id
  cidr_block        = "10.40.1.0/24"
  availability_zone = "eu-central-1a"
}

resource "aws_vpc" "data" {
  provider   = aws.data
  cidr_block = "10.41.0.0/16"
  tags       = { Name = "data" }
}

resource "aws_subnet" "data" {
  provider          = aws.data
  vpc_id            = aws_vpc.data.id
  cidr_block        = "10.41.1.0/24"
  availability_zone = "eu-central-1a"
}

resource "aws_vpc_peering_connection" "platform_data" {
  vpc_id        = aws_vpc.platform.id
  peer_vpc_id   = aws_vpc.data.id
  peer_owner_id = "222222222222"
  tags          = { Name = "platform-data" }
}
