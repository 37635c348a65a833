resource "aws_flow_log" "vpc" {
  log_destination      = aws_s3_bucket.flow.arn
  log_destination_type = "s3"
}
