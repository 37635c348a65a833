resource "aws_s3_bucket" "flow_logs" {
  bucket = "example-flow-logs"
}

# Capture all traffic of the VPC.
resource "aws_flow_log" "vpc" {
  log_destination_arn = aws_s3_bucket.flow_logs.arn # S3, not CloudWatch
  traffic_type        = "ALL"
  vpc_id              = aws_vpc.main.id

  tags = {
    Name = "vpc-flow-logs"
  }
}
