output "all" {
  value = module.kms
}
