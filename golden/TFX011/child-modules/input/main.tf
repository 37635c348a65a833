terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 4.0"
    }
  }
}

module "network" {
  source = "./modules/network"

  cidr_block = "10.0.0.0/16"
}
