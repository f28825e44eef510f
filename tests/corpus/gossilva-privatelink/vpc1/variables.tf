variable "cidr_block" {
  type        = string
  description = "CIDR block value to create VPC."
}

variable "project_name" {
  type        = string
  description = "Default naming convention for vpc1 resources"
}