variable "environment" {
  type    = string
  default = "prod"
}

resource "aws_s3_bucket" "trail" {
  bucket = "my-trail-logs"
}

resource "aws_s3_bucket_policy" "trail" {
  bucket = aws_s3_bucket.trail.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.trail.arn, "${aws_s3_bucket.trail.arn}/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      }
    ]
  })
}

resource "aws_cloudtrail" "management" {
  name           = "${var.environment}-management"
  s3_bucket_name = aws_s3_bucket.trail.id
  s3_key_prefix  = "management"
}

resource "aws_cloudtrail" "data" {
  name           = "${var.environment}-data"
  s3_bucket_name = aws_s3_bucket.trail.id
  s3_key_prefix  = "data"

  event_selector {
    read_write_type           = "All"
    include_management_events = false

    data_resource {
      type   = "AWS::S3::Object"
      values = ["arn:aws:s3"]
    }
  }
}
