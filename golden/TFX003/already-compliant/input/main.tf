resource "aws_kms_key" "a" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { Service = ["cloudtrail.amazonaws.com", "logs.amazonaws.com"] }
        Action    = "kms:*"
        Resource  = "*"
      },
    ]
  })
}

resource "aws_kms_key" "b" {
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": ["kms:GenerateDataKey*", "kms:DescribeKey"], "Resource": "*"}
  ]
}
EOF
}

resource "aws_kms_key" "c" {
  policy = data.aws_iam_policy_document.c.json
}

data "aws_iam_policy_document" "c" {
  statement {
    actions   = ["kms:GenerateDataKey"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
  }
  statement {
    effect    = "Allow"
    actions   = ["kms:Describe*"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
  }
}

resource "aws_cloudtrail" "a" {
  name           = "a"
  s3_bucket_name = "logs"
  kms_key_id     = aws_kms_key.a.arn
}

resource "aws_cloudtrail" "b" {
  name           = "b"
  s3_bucket_name = "logs"
  kms_key_id     = aws_kms_key.b.arn
}

resource "aws_cloudtrail" "c" {
  name           = "c"
  s3_bucket_name = "logs"
  kms_key_id     = aws_kms_key.c.arn
}

resource "aws_cloudtrail" "unencrypted" {
  name           = "d"
  s3_bucket_name = "logs"
}
