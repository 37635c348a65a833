provider "aws" {
  region = "eu-west-1"
}

resource "aws_s3_bucket" "logs" {
  bucket = "my-alb-logs"
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = templatefile("${path.module}/policy.json", { bucket = aws_s3_bucket.logs.arn })
}

resource "aws_lb" "web" {
  name    = "web"
  subnets = ["subnet-0123", "subnet-4567"]

  access_logs {
    bucket  = aws_s3_bucket.logs.id
    enabled = true
  }
}
