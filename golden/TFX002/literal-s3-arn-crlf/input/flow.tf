resource "aws_flow_log" "literal" {
  vpc_id = "vpc-0123456789abcdef0"
  // written by hand
  log_destination_arn = "arn:aws:s3:::my-flow-log-bucket/prefix/"
  traffic_type = "REJECT"
}
