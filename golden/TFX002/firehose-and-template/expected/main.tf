resource "aws_flow_log" "firehose" {
  log_destination      = aws_kinesis_firehose_delivery_stream.logs.arn
  log_destination_type = "kinesis-data-firehose"
  traffic_type         = "ALL"
  vpc_id               = aws_vpc.main.id
}

resource "aws_flow_log" "templated" {
  log_destination      = "arn:${data.aws_partition.current.partition}:s3:::${var.bucket}"
  log_destination_type = "s3"
  traffic_type         = "ALL"
  vpc_id               = aws_vpc.main.id
}
