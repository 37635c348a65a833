resource "aws_flow_log" "vpc" {
  log_destination_arn = aws_s3_bucket.flow.arn
}
