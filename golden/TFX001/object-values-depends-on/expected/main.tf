locals {
  accounts = {
    "1prod" = { role = "arn:aws:iam::111111111111:role/deploy", region = "eu-west-1" }
    dev     = { role = "arn:aws:iam::222222222222:role/deploy", region = "us-east-2" }
  }
}

provider "aws" {
  alias  = "k_1prod"
  region = "eu-west-1"

  assume_role {
    role_arn     = "arn:aws:iam::111111111111:role/deploy"
    session_name = "tf-1prod"
  }
}

provider "aws" {
  alias  = "dev"
  region = "us-east-2"

  assume_role {
    role_arn     = "arn:aws:iam::222222222222:role/deploy"
    session_name = "tf-dev"
  }
}

module "baseline_k_1prod" {
  source    = "./baseline"
  providers = { aws = aws.k_1prod }
  account   = "1prod"
}

module "baseline_dev" {
  source    = "./baseline"
  providers = { aws = aws.dev }
  account   = "dev"
}

moved {
  from = module.baseline["1prod"]
  to   = module.baseline_k_1prod
}

moved {
  from = module.baseline["dev"]
  to   = module.baseline_dev
}

resource "null_resource" "after_baseline" {
  depends_on = [module.baseline_k_1prod, module.baseline_dev]
}
