locals {
  trail_bucket = aws_s3_bucket.trail.id
}

resource "aws_s3_bucket" "trail" {
  bucket = "my-trail-logs"
}

resource "aws_s3_bucket_policy" "trail" {
  bucket = "my-trail-logs"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AWSCloudTrailAclCheck"
      Effect    = "Allow"
      Principal = { Service = "cloudtrail.amazonaws.com" }
      Action    = "s3:GetBucketAcl"
      Resource  = "arn:aws:s3:::my-trail-logs"
      Condition = {
        StringEquals = {
          "aws:SourceArn" = "arn:aws:cloudtrail:eu-west-1:111122223333:trail/main"
        }
      }
    }]
  })
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = local.trail_bucket
}
