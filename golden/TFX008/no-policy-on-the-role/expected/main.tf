resource "aws_iam_role" "sfn" {
  name               = "orders"
  assume_role_policy = "{}"
}

resource "aws_cloudwatch_log_group" "sfn" {
  name = "/aws/states/orders"
}

resource "aws_sfn_state_machine" "orders" {
  name       = "orders"
  role_arn   = aws_iam_role.sfn.arn
  definition = "{}"

  depends_on = [aws_iam_role_policy.orders_log_delivery]

  logging_configuration {
    log_destination        = "${aws_cloudwatch_log_group.sfn.arn}:*"
    include_execution_data = true
    level                  = "ERROR"
  }
}

resource "aws_iam_role_policy" "orders_log_delivery" {
  name = "orders-log-delivery"
  role = aws_iam_role.sfn.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "StepFunctionsLogDelivery"
        Effect   = "Allow"
        Action   = ["logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups"]
        Resource = "*"
      }
    ]
  })
}
