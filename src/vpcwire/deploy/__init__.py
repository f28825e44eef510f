"""Deploy a rendered network: the terraform runner and its targets (AWS, the sandbox)."""
