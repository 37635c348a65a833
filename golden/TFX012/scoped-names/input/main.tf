# Names Terraform binds rather than declares: nothing here is undeclared.

variable "subnets" {
  type    = map(string)
  default = { a = "10.0.1.0/24", b = "10.0.2.0/24" }
}

variable "ingress_ports" {
  type    = list(number)
  default = [443, 80]
}

locals {
  names  = [for name, cidr in var.subnets : upper(name) if cidr != ""]
  banner = <<-EOT
    %{for port in var.ingress_ports~}
    port ${port}
    %{endfor~}
  EOT
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "this" {
  for_each   = var.subnets
  vpc_id     = aws_vpc.main.id
  cidr_block = each.value
  tags       = { Name = "${each.key}-${terraform.workspace}" }
}

resource "aws_security_group" "web" {
  name   = "web"
  vpc_id = aws_vpc.main.id

  dynamic "ingress" {
    for_each = var.ingress_ports
    iterator = port
    content {
      from_port   = port.value
      to_port     = port.value
      protocol    = "tcp"
      cidr_blocks = [for subnet in aws_subnet.this : subnet.cidr_block]
    }
  }

  dynamic "egress" {
    for_each = [0]
    content {
      from_port   = egress.value
      to_port     = egress.value
      protocol    = "-1"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}

resource "aws_instance" "web" {
  count         = 2
  ami           = "ami-12345678"
  instance_type = "t3.micro"
  user_data     = file("${path.module}/init-${count.index}.sh")

  provisioner "local-exec" {
    command = "echo ${self.private_ip}"
  }
}

check "bucket" {
  data "aws_s3_bucket" "probe" {
    bucket = "example"
  }

  assert {
    condition     = data.aws_s3_bucket.probe.bucket_domain_name != ""
    error_message = "no bucket"
  }
}

moved {
  from = aws_instance.old
  to   = aws_instance.web
}

import {
  to = aws_vpc.imported
  id = "vpc-12345678"
}

removed {
  from = aws_s3_bucket.gone

  lifecycle {
    destroy = false
  }
}
