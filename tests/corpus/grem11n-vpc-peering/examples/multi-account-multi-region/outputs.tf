// Required for tests
output "vpc_peering_accept_status" {
  value = module.multi_account_multi_region.vpc_peering_accept_status
}
