resource "aws_s3_bucket" "trail" {
  bucket = "example-trail"
}

resource "aws_s3_bucket_policy" "trail" {
  bucket = aws_s3_bucket.trail.bucket
  policy = data.aws_iam_policy_document.trail.json
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = aws_s3_bucket.trail.id

  depends_on = [
    # the log group must exist
    aws_cloudwatch_log_group.trail,
  ]
}
