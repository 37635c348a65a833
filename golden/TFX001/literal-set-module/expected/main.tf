# One KMS key per region.
provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"
}

provider "aws" {
  alias  = "eu_west_1"
  region = "eu-west-1"
}

module "kms_us_east_1" {
  source = "./modules/kms"

  providers = {
    aws = aws.us_east_1
  }

  description = "key in us-east-1"
}

module "kms_eu_west_1" {
  source = "./modules/kms"

  providers = {
    aws = aws.eu_west_1
  }

  description = "key in eu-west-1"
}

locals {
  kms = {
    "us-east-1" = module.kms_us_east_1
    "eu-west-1" = module.kms_eu_west_1
  }
}

moved {
  from = module.kms["us-east-1"]
  to   = module.kms_us_east_1
}

moved {
  from = module.kms["eu-west-1"]
  to   = module.kms_eu_west_1
}

output "key_arns" {
  value = { for region, m in local.kms : region => m.key_arn }
}

output "us_key" {
  value = module.kms_us_east_1.key_arn
}
