resource "aws_s3_bucket" "logs" {
  bucket = "logs"
}

resource "aws_s3_bucket_policy" "logs " {
  bucket = aws_s3_bucket.logs.id
  policy = "{}"
}

resource "aws_flow_log" "vpc" {
  log_destination      = aws_s3_bucket.logs.arn
  log_destination_type = "s3"
  traffic_type         = "ALL"
  vpc_id               = "vpc-1"
}
