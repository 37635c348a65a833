resource "aws_flow_log" "typed" {
  log_destination_arn  = aws_s3_bucket.logs.arn
  log_destination_type = "s3"
  traffic_type         = "ALL"
  subnet_id            = aws_subnet.a.id
}
