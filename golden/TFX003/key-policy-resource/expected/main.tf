resource "aws_kms_key" "trail" {
  description = "CloudTrail logs"
}

resource "aws_kms_key_policy" "trail" {
  key_id = aws_kms_key.trail.id
  policy = jsonencode({
    "Version" = "2012-10-17"
    "Statement" = [
      {
        "Sid"       = "Enable IAM User Permissions"
        "Effect"    = "Allow"
        "Principal" = { "AWS" = "arn:aws:iam::111122223333:root" }
        "Action"    = "kms:*"
        "Resource"  = "*"
      },
      # CloudTrail reads the key's metadata when the trail is created.
      {
        "Sid"       = "Describe"
        "Effect"    = "Allow"
        "Principal" = { "Service" = "cloudtrail.amazonaws.com" }
        "Action"    = ["kms:DescribeKey"]
        "Resource"  = "*"
      },
      {
        "Sid"       = "Allow CloudTrail to encrypt logs"
        "Effect"    = "Allow"
        "Principal" = { "Service" = "cloudtrail.amazonaws.com" }
        "Action"    = "kms:GenerateDataKey*"
        "Resource"  = "*"
        "Condition" = {
          "StringLike" = {
            "kms:EncryptionContext:aws:cloudtrail:arn" = "arn:${data.aws_partition.current.partition}:cloudtrail:*:${data.aws_caller_identity.current.account_id}:trail/*"
          }
        }
      }
    ]
  })
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = "my-trail-logs"
  kms_key_id     = aws_kms_key.trail.arn
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}
