provider "aws" {
  region = "eu-west-1"
}

data "aws_elb_service_account" "main" {}

resource "aws_s3_bucket" "logs" {
  bucket = "my-alb-logs"
}

# Statements that already let Elastic Load Balancing write, spelt in other ways.
resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { AWS = ["arn:aws:iam::156460612806:root"] }
        Action    = ["s3:PutObject"]
        Resource  = "arn:aws:s3:::my-alb-logs/web/AWSLogs/*"
      },
      {
        Effect    = "Allow"
        Principal = { AWS = data.aws_elb_service_account.main.arn }
        Action    = "s3:*"
        Resource  = "${aws_s3_bucket.logs.arn}/api/*"
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
    prefix  = "api"
    enabled = true
  }
}
