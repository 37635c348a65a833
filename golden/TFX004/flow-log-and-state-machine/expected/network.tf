resource "aws_s3_bucket" "logs" {
  for_each = toset(["a", "b"])
  bucket   = "example-logs-${each.key}"
}

resource "aws_s3_bucket_policy" "logs" {
  for_each = toset(["a", "b"])
  bucket   = aws_s3_bucket.logs[each.key].id
  policy   = "{}"
}

resource "aws_s3_bucket" "flow" {
  bucket = "example-flow"
}

resource "aws_s3_bucket_policy" "flow" {
  bucket = "example-flow"
  policy = "{}"
}

resource "aws_flow_log" "vpc" {
  log_destination      = "arn:aws:s3:::example-flow"
  log_destination_type = "s3"
  traffic_type         = "ALL"
  vpc_id               = aws_vpc.main.id

  depends_on = [aws_s3_bucket_policy.flow]
}

resource "aws_flow_log" "subnet" {
  log_destination      = aws_s3_bucket.logs["a"].arn
  log_destination_type = "s3"
  traffic_type         = "REJECT"
  subnet_id            = aws_subnet.main.id

  depends_on = [aws_s3_bucket_policy.logs]
}

resource "aws_flow_log" "to_cloudwatch" {
  log_destination = aws_cloudwatch_log_group.flow.arn
  traffic_type    = "ALL"
  vpc_id          = aws_vpc.main.id
}
