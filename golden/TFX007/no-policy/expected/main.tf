provider "aws" {
  region = "eu-central-1"
}

resource "aws_s3_bucket" "logs" {
  bucket = "my-alb-logs"
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AWSELBAccessLogsWrite"
        Effect    = "Allow"
        Principal = { AWS = data.aws_elb_service_account.current.arn }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.logs.arn}/AWSLogs/${data.aws_caller_identity.current.account_id}/*"
      }
    ]
  })
}

resource "aws_lb" "web" {
  name    = "web"
  subnets = ["subnet-0123", "subnet-4567"]

  depends_on = [aws_s3_bucket_policy.logs]

  access_logs {
    bucket  = aws_s3_bucket.logs.id
    enabled = true
  }
}

data "aws_caller_identity" "current" {}

data "aws_elb_service_account" "current" {}
