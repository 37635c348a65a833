terraform {
  required_version = ">= 1.5"

  required_providers {
    # copied from the stack this one started from, which was on AWS provider 5
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
    random = {
      source  = "hashicorp/random"
      version = ">= 3.1"
    }
    archive = "< 3.0" # legacy string form
  }
}
