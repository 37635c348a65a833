provider "aws" {
  for_each = {
    prod    = "arn:aws:iam::111111111111:role/deploy"
    staging = "arn:aws:iam::222222222222:role/deploy"
  }
  region = "eu-west-1"

  assume_role {
    role_arn = each.value
  }

  default_tags {
    tags = {
      Environment = each.key
    }
  }
}

module "network" {
  source = "./network"
  for_each = {
    prod    = "arn:aws:iam::111111111111:role/deploy"
    staging = "arn:aws:iam::222222222222:role/deploy"
  }
  providers = {
    aws = aws[each.key]
  }
  name = "net-${each.key}"
}
