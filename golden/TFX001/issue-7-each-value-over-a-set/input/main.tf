variable "replica_regions" {
  type    = set(string)
  default = ["us-east-1", "eu-west-1"]
}

provider "aws" {
  /* one provider
     per region */
  for_each = var.replica_regions
  region   = each.value
}

module "replica" {
  source    = "./replica"
  for_each  = var.replica_regions
  providers = { aws = aws[each.value] }
}

output "arns" {
  value = values(module.replica)[*].arn
}
