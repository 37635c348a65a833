terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 3.0, < 5.0"
    }
  }
}

output "tags" {
  value = { ManagedBy = "terraform" }
}
