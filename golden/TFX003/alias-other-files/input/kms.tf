resource "aws_kms_key" "trail" {
  description = "CloudTrail logs"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Enable IAM User Permissions"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::111122223333:root" }
        Action    = "kms:*"
        Resource  = "*"
      }
    ]
  })
}

resource "aws_kms_alias" "trail" {
  name          = "alias/trail"
  target_key_id = aws_kms_key.trail.key_id
}
