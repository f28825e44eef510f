// Required for tests
output "vpc_peering_accept_status" {
  value = module.single_account_single_region.vpc_peering_accept_status
}
