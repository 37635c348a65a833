module "kms" {
  source    = "./kms"
  for_each  = var.regions
  providers = { aws = aws.by_region[each.key] }
  region    = each.key
}

output "key_ids" {
  value = { for region in var.regions : region => module.kms[region].key_id }
}
