provider "aws" {
  alias    = "by_region"
  for_each = var.regions
  region   = each.key
}
