resource "aws_flow_log" "both" {
  log_destination      = aws_s3_bucket.logs.arn
  log_destination_arn  = aws_s3_bucket.logs.arn
  log_destination_type = "s3"
  traffic_type         = "ALL"
  vpc_id               = aws_vpc.main.id
}

resource "aws_flow_log" "conflict" {
  log_destination     = aws_s3_bucket.a.arn
  log_destination_arn = aws_s3_bucket.b.arn
  traffic_type        = "ALL"
  vpc_id              = aws_vpc.main.id
}
