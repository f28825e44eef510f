// Variables are required to pass them via Terratest
// on fixtures creation
variable "this_vpc_id" {}
variable "peer_vpc_id" {}
