module "kms_us_east_1" {
  source    = "./kms"
  providers = { aws = aws.us_east_1 }
  region    = "us-east-1"
}

module "kms_ap_southeast_2" {
  source    = "./kms"
  providers = { aws = aws.ap_southeast_2 }
  region    = "ap-southeast-2"
}

locals {
  kms = {
    "us-east-1"      = module.kms_us_east_1
    "ap-southeast-2" = module.kms_ap_southeast_2
  }
}

moved {
  from = module.kms["us-east-1"]
  to   = module.kms_us_east_1
}

moved {
  from = module.kms["ap-southeast-2"]
  to   = module.kms_ap_southeast_2
}

output "key_ids" {
  value = { for region in var.regions : region => local.kms[region].key_id }
}
