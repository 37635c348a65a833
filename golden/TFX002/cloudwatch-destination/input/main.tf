resource "aws_flow_log" "example" {
  iam_role_arn        = aws_iam_role.example.arn
  log_destination_arn = aws_cloudwatch_log_group.example.arn
  traffic_type        = "ALL"
  vpc_id              = aws_vpc.example.id
}
