provider "aws" {
  alias  = "prod"
  region = "eu-west-1"

  assume_role {
    role_arn = "arn:aws:iam::111111111111:role/deploy"
  }

  default_tags {
    tags = {
      Environment = "prod"
    }
  }
}

provider "aws" {
  alias  = "staging"
  region = "eu-west-1"

  assume_role {
    role_arn = "arn:aws:iam::222222222222:role/deploy"
  }

  default_tags {
    tags = {
      Environment = "staging"
    }
  }
}

module "network_prod" {
  source = "./network"
  providers = {
    aws = aws.prod
  }
  name = "net-prod"
}

module "network_staging" {
  source = "./network"
  providers = {
    aws = aws.staging
  }
  name = "net-staging"
}

moved {
  from = module.network["prod"]
  to   = module.network_prod
}

moved {
  from = module.network["staging"]
  to   = module.network_staging
}
