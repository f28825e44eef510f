locals {
  tags = {
    Department   = "Fintech"
    Organization = "Finances and Marketplace"
    Project      = "Banking Application"
    Environment  = "Production"
  }
}