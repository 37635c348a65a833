variable "account_id" {
  type = string
}

resource "aws_kms_key" "this" {
  description = "logs for ${var.account_id}"
}

output "key_arn" {
  value = aws_kms_key.this.arn
}

output "key_id" {
  value = aws_kms_key.this.key_id
}
