resource "aws_s3_bucket" "audit" {
  bucket = "acme-audit-logs"
}

resource "aws_s3_bucket_policy" "audit" {
  bucket = aws_s3_bucket.audit.bucket
  policy = data.aws_iam_policy_document.audit.json
}
