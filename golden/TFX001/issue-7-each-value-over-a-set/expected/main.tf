variable "replica_regions" {
  type    = set(string)
  default = ["us-east-1", "eu-west-1"]
}

provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"
}

provider "aws" {
  alias  = "eu_west_1"
  region = "eu-west-1"
}

module "replica_us_east_1" {
  source    = "./replica"
  providers = { aws = aws.us_east_1 }
}

module "replica_eu_west_1" {
  source    = "./replica"
  providers = { aws = aws.eu_west_1 }
}

locals {
  replica = {
    "us-east-1" = module.replica_us_east_1
    "eu-west-1" = module.replica_eu_west_1
  }
}

moved {
  from = module.replica["us-east-1"]
  to   = module.replica_us_east_1
}

moved {
  from = module.replica["eu-west-1"]
  to   = module.replica_eu_west_1
}

output "arns" {
  value = values(local.replica)[*].arn
}
