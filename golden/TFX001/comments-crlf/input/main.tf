# Providers, one per region.
# Keep in sync with the module below.
provider "aws" {
  # the keys
  for_each = toset(["us-east-1", "eu-west-1"]) # two regions
  region   = each.key

  default_tags {
    tags = { Region = each.key } # tag
  }
}

// the consumer
module "vpc" {
  source    = "./vpc"
  for_each  = toset(["us-east-1", "eu-west-1"])
  providers = { aws = aws[each.key] } # per region
}

output "vpc_ids" {
  value = { for k, m in module.vpc : k => m.id }
}
