"""The flow log the CLI, fault and engine-guarantee tests run on: ``WRONG`` names an argument
`aws_flow_log` does not have (TFX002), ``RIGHT`` is it fixed."""

WRONG = """resource "aws_s3_bucket" "logs" {
  bucket = "flow-logs"
}

resource "aws_flow_log" "vpc" {
  log_destination_arn = aws_s3_bucket.logs.arn # keep this comment
  traffic_type        = "ALL"
  vpc_id              = "vpc-0123456789abcdef0"
}
"""
RIGHT = """resource "aws_s3_bucket" "logs" {
  bucket = "flow-logs"
}

resource "aws_flow_log" "vpc" {
  log_destination      = aws_s3_bucket.logs.arn # keep this comment
  log_destination_type = "s3"
  traffic_type         = "ALL"
  vpc_id               = "vpc-0123456789abcdef0"
}
"""
