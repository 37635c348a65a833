locals {
  a = "%{ if var.x }yes%{ else }no%{ endif }"
  b = <<EOT
%{~ for k, v in var.m ~}
${k}=${v}
%{ endfor ~}
EOT
}
