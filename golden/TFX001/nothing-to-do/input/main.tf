provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"
}

provider "aws" {
  alias  = "eu_west_1"
  region = "eu-west-1"
}

module "kms_us_east_1" {
  source    = "./kms"
  providers = { aws = aws.us_east_1 }
}
