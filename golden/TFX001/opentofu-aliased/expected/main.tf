variable "regions" {
  type    = set(string)
  default = ["us-east-1", "eu-west-1"]
}

variable "disabled_regions" {
  type    = set(string)
  default = []
}

provider "aws" {
  alias    = "by_region"
  for_each = var.regions
  region   = each.key
}

resource "aws_s3_bucket" "b" {
  for_each = setsubtract(var.regions, var.disabled_regions)
  provider = aws.by_region[each.key]
  bucket   = "b-${each.key}"
}

module "ok" {
  source    = "./ok"
  for_each  = setsubtract(var.regions, var.disabled_regions)
  providers = { aws = aws.by_region[each.key] }
}
