# Key for the organisation trail.
resource "aws_kms_key" "org" {
  description = "org trail"
  policy      = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [{
        "Sid": "Enable IAM User Permissions",
        "Effect": "Allow",
        "Principal": {"AWS": "arn:${data.aws_partition.p.partition}:iam::${data.aws_caller_identity.id.account_id}:root"},
        "Action": "kms:*",
        "Resource": "*"
      }, {
        "Sid": "Allow CloudTrail to encrypt logs",
        "Effect": "Allow",
        "Principal": {
          "Service": "cloudtrail.amazonaws.com"
        },
        "Action": "kms:GenerateDataKey*",
        "Resource": "*",
        "Condition": {
          "StringLike": {
            "kms:EncryptionContext:aws:cloudtrail:arn": "arn:${data.aws_partition.p.partition}:cloudtrail:*:${data.aws_caller_identity.id.account_id}:trail/*"
          }
        }
      }, {
        "Sid": "Allow CloudTrail to describe key",
        "Effect": "Allow",
        "Principal": {
          "Service": "cloudtrail.amazonaws.com"
        },
        "Action": "kms:DescribeKey",
        "Resource": "*"
      }]
    }
  EOT
}

resource "aws_kms_alias" "org" {
  name          = "alias/org-trail"
  target_key_id = aws_kms_key.org.arn
}

resource "aws_cloudtrail" "org" {
  name                  = "org"
  s3_bucket_name        = "org-trail-logs"
  is_organization_trail = true
  kms_key_id            = aws_kms_alias.org.id
}

# A second trail on the same key: one fix only.
resource "aws_cloudtrail" "audit" {
  name           = "audit"
  s3_bucket_name = "audit-logs"
  kms_key_id     = aws_kms_key.org.arn
}

data "aws_partition" "p" {}

data "aws_caller_identity" "id" {}
