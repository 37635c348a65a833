resource "aws_kms_key" "trail" {
  description = "CloudTrail logs"
  policy      = data.aws_iam_policy_document.key.json
}

data "aws_iam_policy_document" "key" {
  source_policy_documents = [data.aws_iam_policy_document.admins.json]

  statement {
    sid       = "Enable IAM User Permissions"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
  }
}

data "aws_iam_policy_document" "admins" {
  statement {
    sid       = "Let CloudTrail describe the key"
    actions   = ["kms:DescribeKey"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
  }
}
