region = "us-east-2"

availability_zones = ["us-east-2a", "us-east-2b"]

namespace = "eg"

stage = "test"

name = "vpc-peering"

requestor_vpc_cidr = "172.16.0.0/16"

acceptor_vpc_cidr = "172.32.0.0/16"

requestor_additional_ipv4_cidr_block = "100.64.0.0/16"
