variable "key_policy" {
  type = string
}

resource "aws_kms_key" "var" {
  policy = var.key_policy
}

resource "aws_kms_key" "template" {
  policy = templatefile("${path.module}/key-policy.json", { account = "111122223333" })
}

resource "aws_cloudtrail" "var" {
  name           = "var"
  s3_bucket_name = "logs"
  kms_key_id     = aws_kms_key.var.arn
}

resource "aws_cloudtrail" "template" {
  name           = "template"
  s3_bucket_name = "logs"
  kms_key_id     = aws_kms_key.template.arn
}
