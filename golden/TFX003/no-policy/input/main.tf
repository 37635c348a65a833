resource "aws_kms_key" "trail" {
  description             = "CloudTrail logs"
  deletion_window_in_days = 7
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = "my-trail-logs"
  kms_key_id     = aws_kms_key.trail.id
}
