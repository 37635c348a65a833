variable "a" {
  # comment
  default = <<EOT
line
EOT
}
