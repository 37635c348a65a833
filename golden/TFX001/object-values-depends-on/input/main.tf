locals {
  accounts = {
    "1prod" = { role = "arn:aws:iam::111111111111:role/deploy", region = "eu-west-1" }
    dev     = { role = "arn:aws:iam::222222222222:role/deploy", region = "us-east-2" }
  }
}

provider "aws" {
  alias    = "account"
  for_each = local.accounts
  region   = each.value.region

  assume_role {
    role_arn     = each.value["role"]
    session_name = "tf-${each.key}"
  }
}

module "baseline" {
  source    = "./baseline"
  for_each  = local.accounts
  providers = { aws = aws.account[each.key] }
  account   = each.key
}

resource "null_resource" "after_baseline" {
  depends_on = [module.baseline]
}
