locals {
  tags = {
    Department   = "Networking"
    Organization = "Infrastructure and Operations"
    Project      = "PrivateLink"
    Environment  = "Development"
  }
}