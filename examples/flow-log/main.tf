resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_s3_bucket" "flow_logs" {
  bucket = "example-vpc-flow-logs"
}

# All traffic of the VPC goes to S3.
resource "aws_flow_log" "vpc" {
  log_destination_arn = aws_s3_bucket.flow_logs.arn
  traffic_type        = "ALL"
  vpc_id              = aws_vpc.main.id
}
