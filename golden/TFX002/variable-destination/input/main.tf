variable "destination" {
  type = string
}

resource "aws_flow_log" "from_variable" {
  log_destination_arn = var.destination
  traffic_type        = "ALL"
  vpc_id              = var.vpc_id
}
