resource "aws_flow_log" "t" {
  log_destination = "%{ if var.s3 }arn:aws:s3:::b%{ else }x%{ endif }"
  vpc_id          = "v"
}
