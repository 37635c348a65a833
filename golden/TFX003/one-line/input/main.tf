resource "aws_kms_key" "k" {
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::1:root" }, Action = "kms:*", Resource = "*" }] })
}

resource "aws_kms_key" "one" {}

resource "aws_cloudtrail" "a" {
  name           = "a"
  s3_bucket_name = "logs"
  kms_key_id     = aws_kms_key.k.arn
}

resource "aws_cloudtrail" "b" {
  name           = "b"
  s3_bucket_name = "logs"
  kms_key_id     = aws_kms_key.one.arn
}
