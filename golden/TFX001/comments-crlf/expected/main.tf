# Providers, one per region.
# Keep in sync with the module below.
provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"

  default_tags {
    tags = { Region = "us-east-1" } # tag
  }
}

provider "aws" {
  alias  = "eu_west_1"
  region = "eu-west-1"

  default_tags {
    tags = { Region = "eu-west-1" } # tag
  }
}

// the consumer
module "vpc_us_east_1" {
  source    = "./vpc"
  providers = { aws = aws.us_east_1 } # per region
}

module "vpc_eu_west_1" {
  source    = "./vpc"
  providers = { aws = aws.eu_west_1 } # per region
}

locals {
  vpc = {
    "us-east-1" = module.vpc_us_east_1
    "eu-west-1" = module.vpc_eu_west_1
  }
}

moved {
  from = module.vpc["us-east-1"]
  to   = module.vpc_us_east_1
}

moved {
  from = module.vpc["eu-west-1"]
  to   = module.vpc_eu_west_1
}

output "vpc_ids" {
  value = { for k, m in local.vpc : k => m.id }
}
