locals {
  a = jsonencode(<<EOT
{"k": "v"}
EOT
  )
  b = trimspace(<<-EOT
    x
  EOT
  )
}
