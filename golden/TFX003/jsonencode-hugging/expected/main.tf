resource "aws_kms_key" "trail" {
  count = 1

  description = "CloudTrail logs"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Root" // keep IAM control of the key
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:root" }
      Action    = "kms:*"
      Resource  = "*"
      }, {
      Sid       = "Logs"
      Effect    = "Allow"
      Principal = { Service = "logs.amazonaws.com" }
      Action    = ["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
      Resource  = "*"
      }, {
      Sid       = "Allow CloudTrail to encrypt logs"
      Effect    = "Allow"
      Principal = { Service = "cloudtrail.amazonaws.com" }
      Action    = "kms:GenerateDataKey*"
      Resource  = "*"
      Condition = {
        StringLike = {
          "kms:EncryptionContext:aws:cloudtrail:arn" = "arn:${data.aws_partition.current.partition}:cloudtrail:*:${data.aws_caller_identity.current.account_id}:trail/*"
        }
      }
      }, {
      Sid       = "Allow CloudTrail to describe key"
      Effect    = "Allow"
      Principal = { Service = "cloudtrail.amazonaws.com" }
      Action    = "kms:DescribeKey"
      Resource  = "*"
    }]
  })
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = "my-trail-logs"
  kms_key_id     = aws_kms_key.trail[0].arn
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}
