resource "aws_s3_bucket" "flow" {
  bucket = "flow-logs"
}

resource "aws_flow_log" "vpc" {
  traffic_type = "ALL"
  vpc_id       = "vpc-1"
}
