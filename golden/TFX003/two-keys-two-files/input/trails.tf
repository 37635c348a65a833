resource "aws_cloudtrail" "a" {
  name           = "a"
  s3_bucket_name = "logs"
  kms_key_id     = aws_kms_key.a.arn
}

resource "aws_cloudtrail" "b" {
  name           = "b"
  s3_bucket_name = "logs"
  kms_key_id     = aws_kms_key.b.key_id
}
