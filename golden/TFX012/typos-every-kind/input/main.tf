variable "name" {
  type = string
}

locals {
  tags = {
    Project = var.name
  }
}

data "aws_caller_identity" "current" {}

resource "aws_s3_bucket" "logs" {
  bucket = "${var.nmae}-logs"
  tags   = local.tgas
}

resource "aws_s3_bucket_versioning" "logs" {
  # the type is misspelt: two letters swapped
  bucket = aws_s3_bukcet.logs.id

  versioning_configuration {
    status = "Enabled"
  }

  depends_on = [aws_s3_bucket.lgos]
}

resource "aws_instance" "web" {
  count         = 2
  ami           = "ami-12345678"
  instance_type = "t3.micro"
}

module "kms" {
  source = "./modules/kms"

  account_id = aws_caller_identity.current.account_id
}

output "first_web_id" {
  value = aws_instance.webb[0].id
}

output "key_arn" {
  value = module.ksm.key_arn
}

output "key_id" {
  value = module.kms.kye_id
}

output "account" {
  value = data.aws_caller_identity.curent.account_id
}
