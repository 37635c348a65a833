data "aws_partition" "this" {}

resource "aws_cloudtrail" "org" {
  name                  = "acme-audit"
  s3_bucket_name        = aws_s3_bucket.audit.bucket
  is_multi_region_trail = true
}
