resource "aws_kms_key" "primary" {
  description = "secrets"
}

resource "aws_kms_key_policy" "primary" {
  key_id = aws_kms_key.primary.id
  policy = data.aws_iam_policy_document.kms.json
}

data "aws_iam_policy_document" "kms" {
  statement {
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceVpce"
      values   = [aws_vpc_endpoint.kms.id]
    }
  }
}

resource "aws_vpc_endpoint" "kms" {
  vpc_id       = "vpc-1"
  service_name = "com.amazonaws.eu-west-1.kms"
  policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "kms:*"
      Resource  = aws_kms_key.primary.arn
    }]
  })
}
