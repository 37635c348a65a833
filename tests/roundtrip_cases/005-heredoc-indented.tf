locals {
  a = <<-EOT
    one
      two
    EOT
  b = <<EOT
flush
EOT
  c = 1
}
