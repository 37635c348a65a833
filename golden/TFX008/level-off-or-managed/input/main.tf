resource "aws_iam_role" "sfn" {
  name               = "orders"
  assume_role_policy = "{}"
}

resource "aws_iam_role_policy_attachment" "logs" {
  role       = aws_iam_role.sfn.name
  policy_arn = "arn:aws:iam::aws:policy/CloudWatchLogsFullAccess"
}

resource "aws_sfn_state_machine" "orders" {
  name       = "orders"
  role_arn   = aws_iam_role.sfn.arn
  definition = "{}"

  logging_configuration {
    log_destination = "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/states/orders:*"
    level           = "ALL"
  }

  depends_on = [aws_iam_role_policy_attachment.logs]
}

resource "aws_iam_role" "quiet" {
  name               = "quiet"
  assume_role_policy = "{}"
}

resource "aws_sfn_state_machine" "quiet" {
  name       = "quiet"
  role_arn   = aws_iam_role.quiet.arn
  definition = "{}"

  logging_configuration {
    level = "OFF"
  }
}
