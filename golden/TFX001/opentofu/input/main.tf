variable "regions" {
  type    = set(string)
  default = ["us-east-1", "eu-west-1"]
}

provider "aws" {
  for_each = var.regions
  region   = each.key
}

module "kms" {
  source   = "./kms"
  for_each = var.regions
  providers = {
    aws = aws[each.key]
  }
}
