resource "aws_iam_role" "sfn" {
  name               = "sfn"
  assume_role_policy = "{}"
}

resource "aws_iam_role_policy" "logs" {
  role = aws_iam_role.sfn.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      Action = [
        "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery",
        "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies",
        "logs:DescribeLogGroups",
      ]
      Resource = "*"
    }]
  })
}

resource "aws_iam_role_policy" "lambda" {
  role = aws_iam_role.sfn.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "lambda:InvokeFunction", Resource = "*" }]
  })
}

resource "aws_iam_role_policy_attachment" "xray" {
  role       = aws_iam_role.sfn.name
  policy_arn = "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess"
}

resource "aws_cloudwatch_log_group" "sfn" {
  name = "/aws/states/flow"
}

resource "aws_sfn_state_machine" "flow" {
  name       = "flow"
  role_arn   = aws_iam_role.sfn.arn
  definition = "{}"

  depends_on = [aws_iam_role_policy.logs]

  logging_configuration {
    log_destination        = "${aws_cloudwatch_log_group.sfn.arn}:*"
    include_execution_data = true
    level                  = "ERROR"
  }
}
