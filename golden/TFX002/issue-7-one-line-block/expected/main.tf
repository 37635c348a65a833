resource "aws_flow_log" "x" {
  log_destination      = aws_s3_bucket.b.arn
  log_destination_type = "s3"
}
