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
    }]
  })
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = "my-trail-logs"
  kms_key_id     = aws_kms_key.trail[0].arn
}
