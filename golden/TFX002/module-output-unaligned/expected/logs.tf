module "bucket" {
  source = "terraform-aws-modules/s3-bucket/aws"
}

resource "aws_flow_log" "main" {
  vpc_id = aws_vpc.main.id
  traffic_type = "ALL"
  log_destination = module.bucket.s3_bucket_arn
  max_aggregation_interval = 60
}
