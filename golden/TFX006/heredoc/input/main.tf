resource "aws_s3_bucket" "trail" {
  bucket        = "my-trail-logs"
  force_destroy = true

  policy = <<POLICY
{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "AWSCloudTrailAclCheck",
            "Effect": "Allow",
            "Principal": {
              "Service": "cloudtrail.amazonaws.com"
            },
            "Action": "s3:GetBucketAcl",
            "Resource": "arn:aws:s3:::my-trail-logs"
        }
    ]
}
POLICY
}

resource "aws_cloudtrail" "main" {
  name                          = "tf-trail"
  s3_bucket_name                = aws_s3_bucket.trail.id
  include_global_service_events = false
}
