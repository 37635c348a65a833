# One KMS key per region.
provider "aws" {
  for_each = toset(["us-east-1", "eu-west-1"])
  region   = each.key
}

module "kms" {
  source   = "./modules/kms"
  for_each = toset(["us-east-1", "eu-west-1"])

  providers = {
    aws = aws[each.key]
  }

  description = "key in ${each.key}"
}

output "key_arns" {
  value = { for region, m in module.kms : region => m.key_arn }
}

output "us_key" {
  value = module.kms["us-east-1"].key_arn
}
