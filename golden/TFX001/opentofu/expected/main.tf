variable "regions" {
  type    = set(string)
  default = ["us-east-1", "eu-west-1"]
}

provider "aws" {
  alias    = "by_region"
  for_each = var.regions
  region   = each.key
}

module "kms" {
  source   = "./kms"
  for_each = var.regions
  providers = {
    aws = aws.by_region[each.key]
  }
}
