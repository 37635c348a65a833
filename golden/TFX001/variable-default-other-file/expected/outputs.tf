output "all" {
  value = local.kms
}
