resource "aws_iam_role" "sfn" {
  name               = "orders"
  assume_role_policy = "{}"
}

resource "aws_iam_role_policy" "sfn" {
  role   = aws_iam_role.sfn.id
  policy = data.aws_iam_policy_document.sfn.json
}

data "aws_iam_policy_document" "sfn" {
  statement {
    actions   = ["logs:*"]
    resources = ["*"]
  }
}

resource "aws_sfn_state_machine" "orders" {
  name       = "orders"
  role_arn   = aws_iam_role.sfn.arn
  definition = "{}"

  logging_configuration {
    log_destination = "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/states/orders:*"
    level           = "ALL"
  }

  depends_on = [aws_iam_role_policy.sfn]
}
