module "network" {
  source    = "./network"
  bucket_id = aws_s3_bucket.logs.id
}

resource "aws_s3_bucket" "logs" {
  bucket = "logs-${module.network.vpc_id}"
}
