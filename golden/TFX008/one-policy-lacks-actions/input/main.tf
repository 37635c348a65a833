locals {
  role = aws_iam_role.sfn.arn
}

resource "aws_iam_role" "sfn" {
  name               = "orders"
  assume_role_policy = "{}"
}

resource "aws_iam_role_policy" "sfn" {
  role = aws_iam_role.sfn.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["lambda:InvokeFunction", "logs:DescribeLogGroups"]
        Resource = "*"
      },
    ]
  })
}

resource "aws_sfn_state_machine" "orders" {
  name       = "orders"
  role_arn   = local.role
  definition = "{}"

  logging_configuration {
    log_destination = "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/states/orders:*"
    level           = "ALL"
  }
}
