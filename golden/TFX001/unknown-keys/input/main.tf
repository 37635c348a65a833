variable "regions" {
  type = set(string)
}

provider "aws" {
  for_each = var.regions
  region   = each.key
}

data "aws_regions" "all" {}

provider "aws" {
  alias    = "everywhere"
  for_each = data.aws_regions.all.names
  region   = each.key
}
