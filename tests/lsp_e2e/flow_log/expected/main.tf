resource "aws_s3_bucket" "logs" {
  bucket = "flow-logs"
}

resource "aws_flow_log" "vpc" {
  vpc_id       = "vpc-0123456789abcdef0"
  traffic_type = "ALL"
  # é🙂 where the logs go
  log_destination      = aws_s3_bucket.logs.arn
  log_destination_type = "s3"
}
