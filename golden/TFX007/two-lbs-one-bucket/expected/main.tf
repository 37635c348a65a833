provider "aws" {
  region = "ap-southeast-2"
}

data "aws_elb_service_account" "this" {}

resource "aws_s3_bucket" "logs" {
  bucket = "my-alb-logs"
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AllowReaders"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::111122223333:role/reader" }
        Action    = "s3:GetObject"
        Resource  = "${aws_s3_bucket.logs.arn}/*"
      },
      {
        Sid       = "AWSELBAccessLogsWrite"
        Effect    = "Allow"
        Principal = { AWS = data.aws_elb_service_account.this.arn }
        Action    = "s3:PutObject"
        Resource  = ["${aws_s3_bucket.logs.arn}/web/AWSLogs/${data.aws_caller_identity.current.account_id}/*", "${aws_s3_bucket.logs.arn}/api/AWSLogs/${data.aws_caller_identity.current.account_id}/*", "${aws_s3_bucket.logs.arn}/api//AWSLogs/${data.aws_caller_identity.current.account_id}/*"]
      },
    ]
  })
}

resource "aws_lb" "web" {
  name    = "web"
  subnets = ["subnet-0123", "subnet-4567"]

  access_logs {
    bucket  = aws_s3_bucket.logs.id
    prefix  = "web"
    enabled = true
  }
}

resource "aws_lb" "api" {
  name    = "api"
  subnets = ["subnet-0123", "subnet-4567"]

  access_logs {
    bucket  = aws_s3_bucket.logs.id
    prefix  = "api/"
    enabled = true
  }
}

data "aws_caller_identity" "current" {}
