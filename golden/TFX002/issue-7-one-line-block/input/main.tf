resource "aws_flow_log" "x" { log_destination_arn = aws_s3_bucket.b.arn }
