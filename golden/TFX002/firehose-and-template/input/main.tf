resource "aws_flow_log" "firehose" {
  log_destination_arn = aws_kinesis_firehose_delivery_stream.logs.arn
  traffic_type        = "ALL"
  vpc_id              = aws_vpc.main.id
}

resource "aws_flow_log" "templated" {
  log_destination_arn = "arn:${data.aws_partition.current.partition}:s3:::${var.bucket}"
  traffic_type        = "ALL"
  vpc_id              = aws_vpc.main.id
}
