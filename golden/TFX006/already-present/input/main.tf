data "aws_caller_identity" "current" {}

resource "aws_s3_bucket" "trail" {
  bucket = "my-trail-logs"
}

# The statements CloudTrail needs, written differently from what tffix would write:
# no Sid, a wildcard action, the bucket's literal ARN, the trail's own ARN.
resource "aws_s3_bucket_policy" "trail" {
  bucket = aws_s3_bucket.trail.id
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Principal": {"Service": ["cloudtrail.amazonaws.com"]},
          "Action": ["s3:GetBucket*"],
          "Resource": "arn:aws:s3:::my-trail-logs",
          "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:cloudtrail:*:${data.aws_caller_identity.current.account_id}:trail/*"}}
        },
        {
          "Effect": "Allow",
          "Principal": {"Service": "cloudtrail.amazonaws.com"},
          "Action": "s3:PutObject",
          "Resource": "${aws_s3_bucket.trail.arn}/logs/*",
          "Condition": {
            "StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"},
            "ArnEquals": {"aws:SourceArn": "${aws_cloudtrail.main.arn}"}
          }
        }
      ]
    }
  EOT
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = aws_s3_bucket.trail.id
  s3_key_prefix  = "logs"
}
