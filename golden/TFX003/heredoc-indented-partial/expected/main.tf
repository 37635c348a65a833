resource "aws_kms_key" "trail" {
  description = "CloudTrail logs"
  policy      = <<-POLICY
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "Enable IAM User Permissions",
          "Effect": "Allow",
          "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
          "Action": "kms:*",
          "Resource": "*"
        },
        {
          "Sid": "CloudTrailEncrypt",
          "Effect": "Allow",
          "Principal": {"Service": ["cloudtrail.amazonaws.com"]},
          "Action": ["kms:GenerateDataKey*"],
          "Resource": "*"
        },
        {
          "Sid": "Allow CloudTrail to describe key",
          "Effect": "Allow",
          "Principal": {
            "Service": "cloudtrail.amazonaws.com"
          },
          "Action": "kms:DescribeKey",
          "Resource": "*"
        }
      ]
    }
  POLICY
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = "my-trail-logs"
  kms_key_id     = aws_kms_key.trail.arn
}

data "aws_partition" "this" {}

data "aws_caller_identity" "this" {}
