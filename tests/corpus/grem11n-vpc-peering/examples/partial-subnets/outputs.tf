// Required for tests

output "vpc_peering_accept_status" {
  value = module.partial_subnets.vpc_peering_accept_status
}

