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

  logging_configuration {
    log_destination        = "${aws_cloudwatch_log_group.sfn.arn}:*"
    include_execution_data = true
    level                  = "ERROR"
  }
}
