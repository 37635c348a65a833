terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 4.0"
    }
  }
}

variable "cidr_block" {
  type = string
}

module "tags" {
  source = "../tags"
}

resource "aws_vpc" "this" {
  cidr_block = var.cidr_block
  tags       = module.tags.tags
}
