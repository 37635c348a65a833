resource "aws_kms_key" "trail" {
  description = "CloudTrail logs"
  policy      = data.aws_iam_policy_document.trail_key.json
}

data "aws_iam_policy_document" "trail_key" {
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
