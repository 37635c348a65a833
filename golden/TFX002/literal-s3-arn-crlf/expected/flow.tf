resource "aws_flow_log" "literal" {
  vpc_id = "vpc-0123456789abcdef0"
  // written by hand
  log_destination = "arn:aws:s3:::my-flow-log-bucket/prefix/"
  log_destination_type = "s3"
  traffic_type = "REJECT"
}
