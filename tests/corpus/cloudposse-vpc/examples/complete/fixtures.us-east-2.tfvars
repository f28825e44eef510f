region = "us-east-2"

availability_zones = ["us-east-2a", "us-east-2b"]

namespace = "eg"

stage = "test"

name = "vpc-subnets"

default_security_group_deny_all       = true
default_route_table_no_routes         = true
default_network_acl_deny_all          = true
network_address_usage_metrics_enabled = true 