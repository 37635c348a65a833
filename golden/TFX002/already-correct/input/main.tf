resource "aws_flow_log" "ok" {
  log_destination      = aws_s3_bucket.logs.arn
  log_destination_type = "s3"
  traffic_type         = "ALL"
  vpc_id               = aws_vpc.main.id
}

# A comment that mentions log_destination_arn must not be touched.
locals {
  note = "log_destination_arn is wrong"
}
